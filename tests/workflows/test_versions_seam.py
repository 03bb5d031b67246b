"""IncidentWorkflow.__init__: the one seam between the frozen shell of versions 1–5 and the loop."""

from domain.engine import waiting
from domain.engine.step import GracePeriod, PendingDelivery
from domain.notifications import Notification
from starter.api import report_incident
from tests.domain.procedure.drive import at, reported, start
from tests.support.markers import patches_recorded
from tests.support.served import served_by
from tests.workflows.scenario import UNIT, Incident, start_payload
from workers.audit.replay import replay_all
from domain.engine.continuation import Continued
from workflows.loop import RunLoop
from domain.workflow_versions import CURRENT, ONE_RUN_LOOP_PATCH


async def opened(env, incident_id: str, version: int) -> Incident:
    now = await env.get_current_time()
    start_ = start_payload(incident_id, now).model_copy(update={"workflow_version": version})
    handle = await report_incident(env.client, start_, now=now)
    return Incident(env, incident_id, now, handle)


async def markers(incident: Incident) -> set[str]:
    return patches_recorded(await incident.handle.fetch_history())


async def test_a_new_start_naming_an_older_version_takes_the_loop_behind_the_marker(
        env, worker, incident_id):
    incident = await opened(env, incident_id, 5)
    await incident.send("acknowledge", unit_id=UNIT)
    status = await incident.status()
    assert status.assignment(UNIT).state.value == "acknowledged"
    assert ONE_RUN_LOOP_PATCH in await markers(incident)
    # the marker is asked for in __init__: its history replays, in the loop again (the
    # frozen shell would take the 签收 and record the marker all the same), unsandboxed as
    # the worker runs (``served_by``) and in the sandbox
    history = await incident.handle.fetch_history()
    assert isinstance((await served_by(history)).shell, RunLoop)
    [outcome] = await replay_all([history], sandboxed=True)
    assert outcome.ok, outcome.error


async def test_the_current_version_needs_no_marker(env, worker, incident_id):
    incident = await opened(env, incident_id, CURRENT)
    await incident.send("acknowledge", unit_id=UNIT)
    assert ONE_RUN_LOOP_PATCH not in await markers(incident)
    assert isinstance((await served_by(await incident.handle.fetch_history())).shell, RunLoop)


def test_a_run_carried_from_versions_1_to_5_keeps_its_graces_deliveries_and_windows():
    """What the frozen shell carried beside the state lands in the state; every pending
    window is timed, as the frozen shell re-armed them."""
    state, _ = reported()
    grace = GracePeriod(name="urge:W-HANDLE:u1:1", ends_at=at(100), label="催办宽限期",
                        after="urge")
    notice = PendingDelivery.of(Notification(
        key="NT-1:9:urge", incident_id="NT-1", kind="urge", recipients=[], channels=[],
        subject="【催办】", body="请办理"), "【催办】")
    carried = Continued(start=start(), state=state, graces=[grace], deliveries=[notice], run=3)
    carried = Continued.model_validate_json(carried.model_dump_json())  # as carried
    incident = RunLoop({"continued": "…"}, carried)
    kept = incident.state
    assert kept.grace_periods == [grace] and kept.deliveries_out == [notice]
    assert kept.timed == [w.key for w in kept.status.windows if w.state.value == "pending"]
    assert incident.run_number == 3 and incident.opened
    due = waiting.nearest(kept)
    assert due is not None and due.at <= at(100)
