"""workflows.resting: the state and start rest compressed between tasks (no server)."""

import asyncio
from datetime import datetime, timezone

from domain.messages import IncidentStart
from domain.procedure import collection
from domain.procedure.step import Context
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


async def test_in_a_task_it_rests_once_the_ready_work_has_run():
    _, incident = opened()
    incident._rest()
    timeline = incident.state.status.timeline  # woken by the task
    assert vars(incident).get('_awake_state') is not None and timeline
    await asyncio.sleep(0)  # the rest queued behind this work runs
    assert vars(incident).get('_awake_state') is None and vars(incident)['_resting_state']


def test_outside_a_loop_nothing_is_queued_and_it_stays_awake():
    """As in a query or a validator: it rests after the next task."""
    _, incident = opened()
    incident._rest()
    assert incident.state.status.incident_id == "T-1"
    assert vars(incident).get('_awake_state') is not None and not incident._rest_queued
