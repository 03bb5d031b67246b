"""A run of workflow version 5 that continued as new with a grace period running and a
notice unanswered, and the next run, which the version 6 loop serves (recorded histories).

Recorded by scripts/record_legacy_adoption.py: run 1 by the worker of the release before
version 6, run 2 by the current one. What the old release did at the hand-over: it carried
the grace periods and the deliveries still running beside the state; the delivery's activity
of run 1 is left unanswered in run 1's history (a closed run takes no answer), so the next
run sends the notice once more, under the same notice key (the outbox and the channels'
ledger know it by that key: a notice that did reach its recipient is not sent twice).
"""

import json
from datetime import timedelta
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from domain.engine.continuation import Continued, continued_from
from tests.support.history_parts import load
from tests.support.markers import patches_recorded
from tests.support.recorded_scenarios import ACROSS_RELEASES
from tests.support.served import served_by
from workers.audit.replay import replay_all, status_from_history
from workflows.loop import RunLoop
from domain.workflow_versions import ONE_RUN_LOOP_PATCH
from legacy.incident import LegacyIncident

RUN_1, RUN_2 = ACROSS_RELEASES
SCHEDULED = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED


def carried_into(history: WorkflowHistory) -> Continued:
    """What the run before handed to this one (its start's input)."""
    started = history.events[0].workflow_execution_started_event_attributes
    carried = continued_from(json.loads(started.input.payloads[0].data))
    assert carried is not None
    return carried


def handed_over(history: WorkflowHistory) -> Continued:
    """What this run handed to the next (its continue-as-new's input)."""
    last = history.events[-1].workflow_execution_continued_as_new_event_attributes
    carried = continued_from(json.loads(last.input.payloads[0].data))
    assert carried is not None
    return carried


def scheduled_notices(history: WorkflowHistory) -> list[tuple[int, str]]:
    """(event id, notice key) of every notification activity the run scheduled."""
    return [(e.event_id, json.loads(e.activity_task_scheduled_event_attributes.input
                                    .payloads[0].data)["key"])
            for e in history.events if e.event_type == SCHEDULED
            and e.activity_task_scheduled_event_attributes.activity_type.name
            == "send_notification"]


def answered(history: WorkflowHistory, scheduled: int) -> list[Any]:
    """The events that closed the activity scheduled at event ``scheduled``."""
    closing = ("activity_task_completed_event_attributes", "activity_task_failed_event_attributes",
               "activity_task_timed_out_event_attributes",
               "activity_task_canceled_event_attributes")
    return [e for e in history.events for name in closing
            if e.HasField(name) and getattr(e, name).scheduled_event_id == scheduled]


async def test_both_runs_replay_in_the_sandbox_and_as_the_worker_runs():
    for sandboxed in (True, False):
        outcomes = await replay_all([load(RUN_1), load(RUN_2)], sandboxed=sandboxed)
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]


async def test_run_1_is_served_by_the_frozen_shell_and_hands_over_what_it_waits_for():
    run_1 = load(RUN_1)
    assert ONE_RUN_LOOP_PATCH not in patches_recorded(run_1)
    assert isinstance((await served_by(run_1)).shell, LegacyIncident)
    carried = handed_over(run_1)
    assert carried.start.workflow_version == 5 and carried.run == 2
    [grace] = carried.graces
    assert grace.label == "催办宽限期" and grace.after == "urge"
    [notice] = carried.deliveries
    assert notice.kind == "notification" and notice.notification.kind == "urge"
    # the 催办 notice's activity was scheduled in run 1 and never answered there
    [(scheduled, key)] = [(i, k) for i, k in scheduled_notices(run_1) if k == notice.key]
    assert answered(run_1, scheduled) == []
    # the frozen shell kept neither in the state: the loop's fields are still empty
    assert carried.state.grace_periods == [] and carried.state.deliveries_out == []
    assert carried.state.timed is None


async def test_run_2_takes_the_loop_with_the_carried_grace_period_and_notice():
    run_1, run_2 = load(RUN_1), load(RUN_2)
    started = run_2.events[0].workflow_execution_started_event_attributes
    assert started.continued_execution_run_id == \
        run_1.events[0].workflow_execution_started_event_attributes.original_execution_run_id
    assert ONE_RUN_LOOP_PATCH in patches_recorded(run_2)
    carried = carried_into(run_2)
    served = await served_by(run_2)
    assert isinstance(served.shell, RunLoop)
    first = served.first_state
    assert first is not None
    assert first.grace_periods == carried.graces and first.deliveries_out == carried.deliveries
    assert first.timed == [w.key for w in first.status.windows if w.state.value == "pending"]


async def test_the_carried_grace_period_falls_due_at_its_time_in_the_loop():
    run_2 = load(RUN_2)
    [grace] = carried_into(run_2).graces
    timers = {e.event_id: e for e in run_2.events
              if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED}
    first_timer = min(timers.values(), key=lambda e: e.event_id)
    assert first_timer.user_metadata.summary.data.decode("utf-8").strip('"') == "催办宽限期"
    [fired] = [e for e in run_2.events if e.event_type == EventType.EVENT_TYPE_TIMER_FIRED
               and e.timer_fired_event_attributes.started_event_id == first_timer.event_id]
    assert abs(fired.event_time.ToDatetime(grace.ends_at.tzinfo) - grace.ends_at) < \
        timedelta(seconds=2)
    status = await status_from_history(run_2)
    [supervised] = [t for t in status.timeline if t.action == "supervise"]
    assert supervised.rule == "E-SUPERVISE" and supervised.unit_id == grace.window[1]  # 经催办仍未解决
    assert timedelta(0) <= supervised.at - grace.ends_at < timedelta(seconds=2)
    assert status.stage.value == "closed"


async def test_the_unanswered_notice_is_sent_once_more_and_its_receipt_recorded_once():
    """The old code's semantics: a carried delivery is started again by the next run (the
    frozen shell's ``_resume`` did so too); the loop does it once, at its opening."""
    run_2 = load(RUN_2)
    [notice] = carried_into(run_2).deliveries
    resent = [(i, k) for i, k in scheduled_notices(run_2) if k == notice.key]
    assert len(resent) == 1
    [(scheduled, _)] = resent
    [completed] = answered(run_2, scheduled)
    assert completed.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
    result = json.loads(completed.activity_task_completed_event_attributes.result.payloads[0].data)
    assert result["key"] == notice.key and result["delivered"]
    assert not result["already_delivered"]  # none of run 1's tries reached the outbox
    opening = next(e.event_id for e in run_2.events
                   if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    assert scheduled > opening and scheduled < opening + 5  # a command of the first task
    status = await status_from_history(run_2)
    receipts = [n for n in status.notices if n.key == notice.key]
    assert len(receipts) == len(notice.notification.recipients) == 1
    assert not [u for u in status.undelivered if u.key == notice.key]
