"""The frozen shell serving live work: an incident of version 5 (or 1, 3: the ladder) still
open when the workers are upgraded.

The release before version 6 (tests/support/release_before_six.py) opens the incident and
sends its first notices, then stops. The current worker takes the run over: it replays that
opening without the ``one-run-loop`` marker, so ``IncidentWorkflow.__init__`` keeps the
frozen shell (``legacy``), which then takes every new message, deadline and delivery of the
run on today's procedure, until the incident closes or continues as new (the next run is
the loop's). Each test asserts which shell took each message (``Served``).
"""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from domain.status import MessageReceipt
from domain.workflow_versions import DELIVERY_RECEIPTS, ONE_RUN_LOOP_PATCH
from legacy.incident import LegacyIncident
from starter.api import report_incident
from tests.support.markers import patches_recorded
from tests.support.release_before_six import ReleaseBeforeSix
from tests.support.served import Served, served_by
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker
from tests.workflows.scenario import (
    ACTOR, UNIT, Incident, close_to, entries, start_payload, wait_for_outbox, window,
)
from workers.audit.replay import replay_all

FROZEN = "LegacyIncident"


@pytest_asyncio.fixture
async def upgraded() -> AsyncIterator[WorkflowEnvironment]:
    """A server of the test's own: its workers change midway (the session's would compete),
    and no open incident of another test has its timers fire into this one's workers."""
    env = await start_time_skipping_server()
    try:
        yield env
    finally:
        await env.shutdown()


async def opened_before_the_upgrade(env: WorkflowEnvironment, incident_id: str,
                                    outbox_dir: Path, version: int = 5,
                                    **start: Any) -> Incident:
    """Opened under ``version`` by the release before version 6, its notices out; that
    release's worker then stops (no cache: no task waits on its own queue)."""
    now = await env.get_current_time()
    payload = start_payload(incident_id, now, **start).model_copy(
        update={"workflow_version": version})
    async with incident_worker(env.client, outbox_dir, workflow=ReleaseBeforeSix,
                               max_cached_workflows=0):
        handle = await report_incident(env.client, payload, now=now)
        incident = Incident(env, incident_id, now, handle)
        await incident.status()
        await incident.delivered()
    return incident


async def served_frozen_throughout(incident: Incident) -> None:
    """The first run's history has no marker, replays on the frozen shell (``served_by``: as
    the worker runs it, unsandboxed) and in the sandbox."""
    history = await incident.env.client.get_workflow_handle(
        incident.handle.id, run_id=incident.handle.result_run_id).fetch_history()
    assert ONE_RUN_LOOP_PATCH not in patches_recorded(history)
    assert isinstance((await served_by(history)).shell, LegacyIncident)
    [outcome] = await replay_all([history], sandboxed=True)
    assert outcome.ok, outcome.error


async def test_the_frozen_shell_takes_the_messages_of_a_run_open_at_the_upgrade(
        upgraded, incident_id, outbox_dir):
    """签收 → 回应 (an update) → 情况反馈 → 办结审核: each taken live by the frozen shell, and
    the incident closes there."""
    incident = await opened_before_the_upgrade(upgraded, incident_id, outbox_dir)
    served = Served()
    async with incident_worker(upgraded.client, outbox_dir, interceptors=[served]):
        await incident.send("acknowledge", unit_id=UNIT)
        await incident.at(hours=5)
        answer = await incident.handle.execute_update(
            "record_response", {"actor": ACTOR, "unit_id": UNIT, "channel": "platform_reply",
                                "summary": "已在原平台回复"}, result_type=MessageReceipt)
        await incident.send("submit_feedback", unit_id=UNIT, summary="已维修", resolved=True)
        status = await incident.status()
        assert status.stage.value == "feedback"
        await incident.send("review_feedback", unit_id=UNIT, accepted=True)
        closed = await incident.handle.result()
    assert isinstance(served.shell, LegacyIncident)
    assert served.live == [("acknowledge", FROZEN), ("record_response", FROZEN),
                           ("submit_feedback", FROZEN), ("review_feedback", FROZEN)]
    assert answer.message == "record_response"
    assert close_to(answer.accepted_at, incident.after(hours=5))
    assert closed.stage.value == "closed"
    assert closed.assignment(UNIT).state.value == "completed"
    assert window(closed, "W-HANDLE", UNIT).state.value == "met"
    await served_frozen_throughout(incident)


@pytest.mark.parametrize("version", [1, 3, 5])
async def test_a_deadline_falls_and_is_urged_then_supervised_on_the_frozen_shell(
        upgraded, incident_id, outbox_dir, version):
    """W-RESP (48 h) missed: 催办 and its notice, and the 催办宽限期 (24 h) it starts falls
    due as 督办: timers armed and fired, activities sent, by the frozen shell live (a timer
    per window in version 1, the nearest only from 2, receipts from 4)."""
    incident = await opened_before_the_upgrade(upgraded, incident_id, outbox_dir, version,
                                               handling_hours=400)
    served = Served()
    async with incident_worker(upgraded.client, outbox_dir, interceptors=[served]):
        await incident.send("acknowledge", unit_id=UNIT)
        await incident.at(hours=48, minutes=-1)
        assert not entries(await incident.status(), "urge")
        await incident.at(hours=48, minutes=1)
        status = await incident.status()
        [urged] = entries(status, "urge", rule="E-URGE")
        assert close_to(urged.at, incident.after(hours=48)) and status.overdue is True
        assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_urge")
        await incident.delivered()
        await incident.at(hours=72, minutes=1)
        status = await incident.status()
        [supervised] = entries(status, "supervise", rule="E-SUPERVISE")
        assert close_to(supervised.at, incident.after(hours=72))
        assert status.escalation.value == "supervised"
        assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_supervise")
        await incident.delivered()
        status = await incident.status()
    assert isinstance(served.shell, LegacyIncident)
    assert served.live == [("acknowledge", FROZEN)]
    if version >= DELIVERY_RECEIPTS:  # each notice's delivery on the frozen shell's record
        assert {n.key.rsplit(":", 1)[-1] for n in status.notices} >= {"urge", "supervise"}
    await served_frozen_throughout(incident)


async def test_the_frozen_shell_continues_as_new_into_the_loop(
        upgraded, incident_id, outbox_dir):
    """At its run budget the frozen shell hands the incident over; the next run is the
    loop's (its marker recorded), with the 签收 taken before."""
    incident = await opened_before_the_upgrade(upgraded, incident_id, outbox_dir,
                                               run_budget={"max_signals": 10})
    served = Served()
    async with incident_worker(upgraded.client, outbox_dir, interceptors=[served]):
        await incident.send("acknowledge", unit_id=UNIT)
        for _ in range(9):  # refused (no such unit), counted all the same
            await incident.send("acknowledge", unit_id="no-such-unit")
            await incident.status()
        latest = upgraded.client.get_workflow_handle(incident.handle.id)
        assert (await latest.describe()).run_id != incident.handle.result_run_id
        await latest.signal("record_response", {"actor": ACTOR, "unit_id": UNIT,
                                                "channel": "platform_reply", "summary": "已回复"})
        status = await incident.status()
        run_2 = await latest.fetch_history()
    assert served.live == [("acknowledge", FROZEN)] * 10 + [("record_response", "RunLoop")]
    assert ONE_RUN_LOOP_PATCH in patches_recorded(run_2)
    assert status.assignment(UNIT).state.value == "responded"
    assert [e.action for e in status.timeline].count("acknowledge") == 1
    await served_frozen_throughout(incident)
    [outcome] = await replay_all([run_2])
    assert outcome.ok, outcome.error
