"""legacy.resting: the frozen shell's state and start rest compressed between tasks (no server)."""

from datetime import datetime, timezone

from temporalio.client import WorkflowHistory

from domain.messages import IncidentStart
from domain.procedure import collection
from domain.engine.step import Context
from workers.audit.replay import StatusCapture, replayer
from legacy import resting
from legacy.resting import RestingState
from tests.support.history_parts import middle_of

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
    incident.rest()
    assert vars(incident).get('_awake_state') is None and vars(incident).get('_awake_start') is None
    assert len(vars(incident)['_resting_state']) < 0.6 * len(awake.model_dump_json().encode("utf-8"))
    assert incident.state == awake and incident.start == start


def test_whether_it_closed_is_read_without_waking_it():
    _, incident = opened()
    incident.rest()
    assert incident.is_closed is False and vars(incident).get('_awake_state') is None


def middle_of_a_recorded_history() -> WorkflowHistory:
    return middle_of("nearest-deadline-routine-nantong")  # version 2: the frozen shell


async def replayed_incident(history: WorkflowHistory):
    capture = StatusCapture()
    result = await replayer(interceptors=[capture]).replay_workflow(history)
    assert result.replay_failure is None
    return capture.latest.shell  # the frozen shell IncidentWorkflow hands the run


async def test_in_the_workflow_it_rests_once_each_piece_of_work_has_run(monkeypatch):
    """As the worker runs new work (not a replay): after the last task nothing of it is awake."""
    monkeypatch.setattr(resting, "replaying", lambda: False)
    incident = await replayed_incident(middle_of_a_recorded_history())
    assert vars(incident).get("_awake_state") is None and vars(incident)["_resting_state"]
    assert vars(incident).get("_awake_start") is None and vars(incident)["_resting_start"]
    assert not incident.is_closed and vars(incident).get("_awake_state") is None
    assert incident.state.status.stage.value != "closed"


async def test_a_replay_does_not_rest_it_time_and_again():
    incident = await replayed_incident(middle_of_a_recorded_history())
    assert vars(incident).get("_awake_state") is not None


def test_a_read_outside_any_work_stays_awake_until_work_ends():
    """As when read after a replay: nothing rests it behind the reader's back."""
    _, incident = opened()
    incident.rest()
    assert incident.state.status.incident_id == "T-1"
    assert vars(incident).get('_awake_state') is not None
    with incident.at_work():
        with incident.at_work():  # a piece of work inside another: rests when the outer ends
            incident.state.status.title = "改过的标题"
        assert vars(incident).get('_awake_state') is not None
    assert vars(incident).get('_awake_state') is None
    assert incident.state.status.title == "改过的标题"


def test_work_that_fails_still_rests():
    _, incident = opened()
    try:
        with incident.at_work():
            incident.state.status.title = "失败前的改动"
            raise ValueError("a refusal")
    except ValueError:
        pass
    assert vars(incident).get('_awake_state') is None
    assert incident.state.status.title == "失败前的改动"
