"""The Python API backends use to report incidents, send messages and read their status.

A report is a signal-with-start: the first report of an ``incident_id`` starts
its workflow, a later one merges into the running incident as ``add_report``.
A message is sent as a validated update, so the caller gets its receipt or the
reason it was refused at once.
"""

import json
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError

from workers import search_attributes as sa
from domain.config import TASK_QUEUE, workflow_id_for
from domain.messages import MESSAGE_REFUSED, IncidentStart
from domain.presentation import local_time
from domain.procedure.registry import MESSAGES
from domain.profiles import LocalDefaults
from domain.status import IncidentStatus, MessageReceipt, Stage
from starter.settings import load_local_defaults
from workflows import IncidentWorkflow


def load_start_file(path: str | Path) -> IncidentStart:
    """Read and validate a report file; raises ValueError/ValidationError with the reason."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("报送文件须为一个 JSON 对象 (the file must hold one JSON object)")
    return IncidentStart.model_validate(data)


def with_configured_defaults(start: IncidentStart, configured: LocalDefaults) -> IncidentStart:
    """The deployment's local defaults, unless the report names its own."""
    if "local_defaults" in start.model_fields_set:
        return start
    return start.model_copy(update={"local_defaults": configured})


def initial_search_attributes(start: IncidentStart) -> TypedSearchAttributes:
    """Set at start so the incident is findable at once, without a billed upsert."""
    pairs: list[SearchAttributePair] = [
        SearchAttributePair(sa.INCIDENT_STAGE,
                            Stage.ASSIGNMENT.value if start.analysis else Stage.ANALYSIS.value),
        SearchAttributePair(sa.POLICY_PROFILE, start.profile.value),
        SearchAttributePair(sa.ESCALATION_LEVEL, "none"),
        SearchAttributePair(sa.OVERDUE, False),
    ]
    if start.analysis:
        pairs += [
            SearchAttributePair(sa.INCIDENT_CATEGORY, start.analysis.category.value),
            SearchAttributePair(sa.INCIDENT_SEVERITY, start.analysis.severity.value),
            SearchAttributePair(sa.RESPONSIBLE_UNITS, [u.unit_id for u in start.analysis.units]),
        ]
    return TypedSearchAttributes(pairs)


def summary_of(start: IncidentStart) -> str:
    if start.analysis:
        a = start.analysis
        return f"{start.title}｜{a.category.value} {a.severity.value}｜{start.profile.value}"
    return f"{start.title}｜待研判｜{start.profile.value}"


def details_of(start: IncidentStart) -> str:
    r = start.report
    lines = [f"**舆情事件** {start.incident_id}：{start.title}",
             f"**来源** {r.platform} {r.url}", f"**属地** {r.region or '—'}",
             f"**首次发现** {local_time(r.detected_at, with_year=True)}", f"**上报** {start.actor}"]
    if start.analysis:
        units = "、".join(u.name or u.unit_id for u in start.analysis.units)
        lines.append(f"**责任单位** {units}")
    return "\n\n".join(lines)


async def report_incident(client: Client, start: IncidentStart,
                          local_defaults: LocalDefaults | None = None) -> WorkflowHandle:
    """Start the incident, or merge this report into the running one."""
    start = with_configured_defaults(start, local_defaults or load_local_defaults())
    return await client.start_workflow(
        IncidentWorkflow.run, start,
        id=workflow_id_for(start.incident_id), task_queue=TASK_QUEUE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        start_signal="add_report",
        start_signal_args=[{"report": start.report.model_dump(mode="json"), "actor": start.actor}],
        search_attributes=initial_search_attributes(start),
        static_summary=summary_of(start), static_details=details_of(start),
    )


async def incident_status(client: Client, incident_id: str) -> IncidentStatus:
    handle = client.get_workflow_handle(workflow_id_for(incident_id))
    return await handle.query(IncidentWorkflow.status)


class MessageRefused(Exception):
    """The incident refused a message; ``reason`` is the workflow's own (Chinese first)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(f"{message}: {reason}")
        self.message = message
        self.reason = reason


async def send_message(client: Client, incident_id: str, message: str,
                       payload: Any) -> MessageReceipt:
    """Send one CONTRACT message as a validated update and wait for its receipt.

    Raises ``MessageRefused`` with the reason when the incident refuses it (nothing is
    recorded then), and ``ValueError`` for a message name the contract does not have.
    """
    if message not in MESSAGES:
        raise ValueError(f"未知消息 {message!r}；可用 / known: {', '.join(MESSAGES)}")
    handle = client.get_workflow_handle(workflow_id_for(incident_id))
    try:
        return await handle.execute_update(message, payload, result_type=MessageReceipt)
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.type == MESSAGE_REFUSED:
            raise MessageRefused(message, cause.message) from None
        raise
