"""domain.engine.resting: an incident's start and state rest compressed between tasks."""

from datetime import datetime, timezone

from domain.messages import IncidentStart
from domain.procedure import collection
from domain.engine.step import Context, IncidentState
from domain.engine.resting import Kept

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def kept(noted=lambda state: None) -> tuple[IncidentStart, Kept]:
    start = IncidentStart.model_validate({
        "incident_id": "T-1", "profile": "nantong-2017", "title": "静置测试", "actor": "测试",
        "report": {"platform": "留言板", "url": "https://example.org/t", "detected_at": NOW},
        "analysis": {"category": "R2", "severity": "一般", "handling_hours": 72,
                     "units": [{"unit_id": "u1", "lead": True}]}})
    state = collection.new_incident(start)
    collection.open_incident(state, start, Context(now=NOW))
    return start, Kept(start, state, noted, replaying=lambda: False)


def test_after_a_piece_of_work_both_rest_and_come_back_equal():
    start, incident = kept()
    awake = incident.state.model_copy(deep=True)
    with incident.work():
        pass
    assert incident.awake == {} and set(incident.resting) == {"start", "state"}
    assert len(incident.resting["state"]) < 0.6 * len(awake.model_dump_json().encode())
    assert incident.state == awake and incident.start == start


def test_what_the_workflow_keeps_at_hand_is_noted_before_the_state_rests():
    noted: list[IncidentState] = []
    _, incident = kept(noted.append)
    with incident.work() as state:
        with incident.work():  # inside another: rests when the outer one ends
            state.status.title = "改过的标题"
        assert incident.awake["state"] is state and noted == []
    assert [n.status.title for n in noted] == ["改过的标题"]
    assert incident.awake == {} and incident.state.status.title == "改过的标题"


def test_work_that_fails_still_rests():
    _, incident = kept()
    try:
        with incident.work() as state:
            state.status.title = "失败前的改动"
            raise ValueError("a refusal")
    except ValueError:
        pass
    assert incident.awake == {}
    assert incident.state.status.title == "失败前的改动"


def test_while_a_history_is_replayed_nothing_rests():
    start, state = kept()[0], kept()[1].state
    incident = Kept(start, state, lambda state: None, replaying=lambda: True)
    with incident.work():
        pass
    assert incident.resting == {} and incident.awake["state"] is state
