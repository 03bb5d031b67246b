"""workflows.resting: the state and start rest compressed between tasks (no server)."""

from datetime import datetime, timezone
from pathlib import Path

from temporalio.client import WorkflowHistory

from domain.messages import IncidentStart
from domain.procedure import collection
from domain.procedure.step import Context
from workers.replay import _StatusCapture, replayer
from workflows.resting import RestingState

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def opened() -> tuple[IncidentStart, RestingState]:
    start = IncidentStart.model_validate({
        "incident_id": "T-1", "profile": "nantong-2017", "title": "静置测试", "actor": "测试",
        "report": {"platform": "留言板", "url": "https://example.org/t", "detected_at": NOW},
        "analysis": {"category": "R2", "severity": "一般", "handling_hours": 72,
                     "units": [{"unit_id": "u1", "lead": True}]}})
    incident = RestingState()
    incident.start = start
    incident.state = collection.new_incident(start)
    collection.open_incident(incident.state, start, Context(now=NOW))
    return start, incident


def test_what_rests_comes_back_equal():
    start, incident = opened()
    awake = incident.state.model_copy(deep=True)
    incident._rest()
    assert vars(incident).get('_awake_state') is None and vars(incident).get('_awake_start') is None
    assert len(vars(incident)['_resting_state']) < 0.6 * len(awake.model_dump_json().encode("utf-8"))
    assert incident.state == awake and incident.start == start


def test_whether_it_closed_is_read_without_waking_it():
    _, incident = opened()
    incident._rest()
    assert incident.is_closed is False and vars(incident).get('_awake_state') is None


async def test_in_the_workflow_it_rests_once_the_task_has_run():
    """Replayed as the worker runs it: after the last task, nothing of it is awake."""
    recorded = Path(__file__).parents[1] / "histories" / "nearest-deadline-routine-nantong.json"
    history = WorkflowHistory.from_json("resting", recorded.read_text("utf-8"))
    capture = _StatusCapture()
    result = await replayer(interceptors=[capture]).replay_workflow(history)
    assert result.replay_failure is None
    incident = capture.latest
    assert vars(incident).get("_awake_state") is None and vars(incident)["_resting_state"]
    assert incident.is_closed and vars(incident).get("_awake_state") is None
    assert incident.state.status.stage.value == "closed"


def test_outside_a_workflow_nothing_is_queued_and_it_stays_awake():
    """As when read after a replay; in a query or a validator it rests after the next task."""
    _, incident = opened()
    incident._rest()
    assert incident.state.status.incident_id == "T-1"
    assert vars(incident).get('_awake_state') is not None and not incident._rest_queued
