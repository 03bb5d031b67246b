"""Workflow version 6 (domain/workflow_versions.py): one wait, with the nearest deadline as its
timeout; continue-as-new carries only the start and the state (recorded histories)."""

import json

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from domain.engine.continuation import continued_from
from tests.support.history_parts import load
from tests.support.markers import patches_recorded
from domain.workflow_versions import ONE_RUN_LOOP_PATCH

STARTED, FIRED, CANCELED = (EventType.EVENT_TYPE_TIMER_STARTED, EventType.EVENT_TYPE_TIMER_FIRED,
                            EventType.EVENT_TYPE_TIMER_CANCELED)


def timers(history: WorkflowHistory) -> list[str]:
    return [e.user_metadata.summary.data.decode("utf-8").strip('"') for e in history.events
            if e.event_type == STARTED]


def most_timers_running_at_once(history: WorkflowHistory) -> int:
    running = most = 0
    for event in history.events:
        running += {STARTED: 1, FIRED: -1, CANCELED: -1}.get(event.event_type, 0)
        most = max(most, running)
    return most


def test_one_timer_at_a_time_named_for_what_falls_next():
    routine = load("one-run-loop-routine-nantong")
    assert timers(routine) == ["W-ACK u1 签收回传交办单", "W-RESP u1 予以回应",
                               "W-HANDLE u1 办理时限（情况反馈）"]
    ladder = load("one-run-loop-ladder-liuzhou")
    assert {"催办宽限期", "督办宽限期"} <= set(timers(ladder))  # grace periods: the same wait
    assert most_timers_running_at_once(routine) == most_timers_running_at_once(ladder) == 1


def test_messages_that_do_not_move_the_nearest_deadline_start_no_timer():
    """The ladder's last messages (问责, a late response, 撤销) change no deadline."""
    ladder = load("one-run-loop-ladder-liuzhou")
    last_timer = max(i for i, e in enumerate(ladder.events) if e.event_type == STARTED)
    signals_after = [e for e in ladder.events[last_timer:]
                     if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED]
    assert len(signals_after) == 3


def test_version_6_needs_no_marker():
    for name in ("one-run-loop-routine-nantong", "one-run-loop-ladder-liuzhou"):
        assert ONE_RUN_LOOP_PATCH not in patches_recorded(load(name))  # (base64 in the file)
    assert ONE_RUN_LOOP_PATCH in patches_recorded(load("legacy-continued-adopted-v6-nantong"))


def test_a_continued_run_gets_only_the_start_and_the_state():
    history = load("one-run-loop-continued-nantong")
    started = history.events[0].workflow_execution_started_event_attributes
    assert started.continued_execution_run_id
    carried = continued_from(json.loads(started.input.payloads[0].data))
    assert carried.graces == [] and carried.deliveries == [] and carried.run == 2
    assert carried.state.timed  # what it waits for is in the state
    assert carried.start.workflow_version == 6
