"""Shared helpers for the workflow scenario tests.

Incidents are driven only through the public interface: ``starter.api.report_incident``,
``handle.signal(name, {json object})``, the ``status`` query (``starter.api.incident_status``)
and the server's describe for search attributes. Time is skipped with ``env.sleep``; every
moment in a test is written relative to the incident's ``detected_at``. The worker reads the
local defaults from the tests' own data directory (tests/conftest.py: no yuqing.toml, so
the shipped ones: ack 2 h, handling 72 h, backfill 24 h, W-CONT 24 h, …); a developer's
configuration cannot change what the tests expect.
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.converter import default as default_converter
from temporalio.testing import WorkflowEnvironment

from temporal import search_attributes as sa
from domain.status import IncidentStatus, TimelineEntry, Window
from starter.api import incident_status, report_incident
from settings.sealed_files import unseal
from tests.domain.builders import UNIT, start_payload, unit  # noqa: F401 (the scenarios' names)

ACTOR = "网信办 测试员"
SETTLE = timedelta(seconds=1)  # lets the workflow apply signals / fired timers before a query


async def status(env: WorkflowEnvironment, incident_id: str) -> IncidentStatus:
    """The ``status`` query, after giving the workflow a moment to apply what was sent."""
    await env.sleep(SETTLE)
    return await incident_status(env.client, incident_id)


async def advance_to(env: WorkflowEnvironment, moment: datetime) -> None:
    """Skip the test server's clock forward to ``moment``."""
    now = await env.get_current_time()
    assert moment >= now, f"test asks to go back in time: {moment} < {now}"
    if moment > now:
        await env.sleep(moment - now)


def close_to(moment: datetime | None, expected: datetime,
             within: timedelta = timedelta(seconds=5)) -> bool:
    """For times the workflow stamps itself (message arrival): a few seconds of slack."""
    return moment is not None and abs(moment - expected) <= within


def window(status: IncidentStatus, window_id: str, unit_id: str | None = None,
           seq: int = 1) -> Window | None:
    return next((w for w in status.windows
                 if (w.id.value, w.unit_id, w.seq) == (window_id, unit_id, seq)), None)


def entries(status: IncidentStatus, action: str, rule: str | None = None) -> list[TimelineEntry]:
    return [t for t in status.timeline
            if t.action == action and (rule is None or t.rule == rule)]


def assert_outcome(incident: "Incident", status: IncidentStatus, window_id: str, *,
                   met_after: timedelta | None, met_by: str | None = None,
                   unit_id: str | None = None) -> Window:
    """Met ``met_after`` detection (by ``met_by``), or (None) missed with one timeline entry."""
    found = window(status, window_id, unit_id)
    if met_after is not None:
        assert found.state.value == "met" and close_to(found.met_at, incident.after() + met_after)
        assert met_by is None or found.met_by == met_by
    else:
        assert found.state.value == "missed" and found.met_at is None
        missed = entries(status, "window_missed", rule=window_id)
        assert len(missed) == 1 and missed[0].unit_id == unit_id
    return found


async def missed_at_deadline(incident: "Incident", window_id: str, unit_id: str | None = None,
                             **deadline: float) -> IncidentStatus:
    """Pending a minute before ``deadline`` (after detection), missed a minute after it."""
    minutes = deadline.pop("minutes", 0)
    await incident.at(**deadline, minutes=minutes - 1)
    assert window(await incident.status(), window_id, unit_id).state.value == "pending"
    await incident.at(**deadline, minutes=minutes + 1)
    status = await incident.status()
    assert_outcome(incident, status, window_id, met_after=None, unit_id=unit_id)
    return status


def refusals(status: IncidentStatus, message: str | None = None) -> list[str]:
    return [r.reason for r in status.rejected_inputs if message in (None, r.message)]


def outbox_files(outbox_dir: Path, kind: str, incident_id: str, suffix: str = "") -> list[dict]:
    """Deliveries of one incident in the outbox (``kind``: notifications, assignment_forms, …)."""
    folder = outbox_dir / kind
    if not folder.exists():
        return []
    return [unseal(p.read_text(encoding="utf-8"))  # sealed at rest with the payload keys
            for p in sorted(folder.glob(f"{incident_id}*{suffix}~*.json"))]


async def wait_for_outbox(outbox_dir: Path, kind: str, incident_id: str, suffix: str = "",
                          count: int = 1) -> list[dict]:
    """Delivery activities run in the background: poll (real time) until ``count`` appear."""
    for _ in range(100):
        found = outbox_files(outbox_dir, kind, incident_id, suffix)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.05)
    return outbox_files(outbox_dir, kind, incident_id, suffix)


@dataclass
class Incident:
    """One reported incident under test."""

    env: WorkflowEnvironment
    incident_id: str
    detected_at: datetime
    handle: WorkflowHandle

    def after(self, **delta: float) -> datetime:
        """``detected_at`` + delta (hours=…, minutes=…)."""
        return self.detected_at + timedelta(**delta)

    async def at(self, **delta: float) -> None:
        """Skip the clock to ``detected_at`` + delta."""
        await advance_to(self.env, self.after(**delta))

    async def send(self, name: str, **fields: Any) -> None:
        """A well-formed message: one JSON object with ``actor`` filled in."""
        await self.handle.signal(name, {"actor": ACTOR, **fields})

    async def send_raw(self, name: str, *payloads: Any) -> None:
        """Exactly the payloads given (none, one, several; any JSON value)."""
        await self.handle.signal(name, args=list(payloads))

    async def status(self) -> IncidentStatus:
        return await status(self.env, self.incident_id)

    async def search_attributes(self) -> dict[str, Any]:
        """The incident's search attributes as the server holds them (None = unset).

        Read from the raw describe response: the time-skipping test server keeps an unset
        Datetime attribute as a null payload, which ``handle.describe()`` cannot decode.
        """
        await self.env.sleep(SETTLE)
        fields = (await self._describe()).search_attributes.indexed_fields
        values: dict[str, Any] = {key.name: None for key in sa.ALL_SEARCH_ATTRIBUTES}
        for name, payload in fields.items():
            value = default_converter().payload_converter.from_payload(payload)
            if name == sa.KEYS[sa.NEXT_DEADLINE].name and isinstance(value, str):
                value = datetime.fromisoformat(value)
            values[name] = value
        return values

    async def running(self) -> bool:
        return (await self._describe()).status == WorkflowExecutionStatus.RUNNING.value

    async def delivered(self, seconds: float = 10) -> None:
        """Until no notice is still going out: its receipt (workflow version 4) is recorded."""
        for _ in range(int(seconds * 20)):
            if not (await self._describe_raw()).pending_activities:
                await self.env.sleep(SETTLE)  # the receipts' workflow task
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{self.incident_id}: deliveries still running after {seconds} s")

    async def _describe(self) -> WorkflowExecutionInfo:
        return (await self._describe_raw()).workflow_execution_info

    async def _describe_raw(self):
        return await self.env.client.workflow_service.describe_workflow_execution(
            DescribeWorkflowExecutionRequest(
                namespace=self.env.client.namespace,
                execution=WorkflowExecution(workflow_id=self.handle.id)))


async def report(env: WorkflowEnvironment, incident_id: str, *,
                 detected_ago: timedelta = timedelta(0), **start: Any) -> Incident:
    """Report an incident first seen ``detected_ago`` before now; ``start`` → ``start_payload``."""
    detected_at = await env.get_current_time() - detected_ago
    handle = await report_incident(env.client, start_payload(incident_id, detected_at, **start),
                                   now=await env.get_current_time())
    return Incident(env, incident_id, detected_at, handle)


async def assigned(env: WorkflowEnvironment, incident_id: str, **start: Any) -> Incident:
    """A reported, analysed incident whose units have all signed (W-ACK met)."""
    incident = await report(env, incident_id, **start)
    for unit_id in start.get("units", (UNIT,)):
        await incident.send("acknowledge", unit_id=unit_id)
    return incident
