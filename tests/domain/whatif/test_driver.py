"""The what-if driver waits as the shell that served the incident did."""

from datetime import datetime, timedelta, timezone

import pytest

from domain.status import WindowState
from domain.whatif import driver
from domain.whatif.inputs import Arrival, IncidentInputs
from tests.domain.builders import UNIT, start_payload
from domain.workflow_versions import DEADLINES_BEFORE_MESSAGES, ONE_RUN_LOOP


def _acknowledged_after_w_ack(late_by: timedelta) -> list[str]:
    """A routine incident whose 签收 arrives ``late_by`` after W-ACK's deadline (2 h), with no
    wake-up recorded between: what the replay records, in order (receipts aside)."""
    opened = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    start = start_payload("NT-WHATIF", opened, rules_version=3).model_copy(
        update={"workflow_version": ONE_RUN_LOOP})
    arrived = opened + timedelta(hours=2) + late_by
    inputs = IncidentInputs("incident-NT-WHATIF", start=start, opened_at=opened, arrivals=[
        Arrival("signal", "acknowledge", ({"unit_id": UNIT, "actor": "住建局 张三"},), arrived,
                arrived, opened)])
    return [e.action for e in driver.replay(inputs).state.status.timeline
            if e.action not in ("notice_receipt",)]


def test_a_message_within_a_timers_latency_of_a_deadline_is_taken_first_as_the_loop_did():
    # no wake-up recorded: the workflow's timer had not reached it; it took the 签收 first
    assert _acknowledged_after_w_ack(timedelta(milliseconds=10))[-1:] == ["acknowledge"]
    assert "remind" not in _acknowledged_after_w_ack(timedelta(milliseconds=10))
    # later than a timer's latency, the deadline had woken the incident first
    assert _acknowledged_after_w_ack(timedelta(seconds=5))[-3:] == [
        "window_missed", "remind", "acknowledge"]


def test_a_continued_run_that_never_opened_is_not_replayed():
    # Its earlier runs not at hand and no task of its own completed: nothing started its
    # timers; the replay says so (it failed comparing a deadline with None).
    opened = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    start = start_payload("NT-RESUMED", opened, rules_version=3)
    first = driver.replay(IncidentInputs("incident-NT-RESUMED", start=start, opened_at=opened))
    assert any(w.state == WindowState.PENDING for w in first.state.status.windows)
    inputs = IncidentInputs("incident-NT-RESUMED", carried=driver.Resumed(start, first.state, []),
                            until=opened + timedelta(days=9))
    with pytest.raises(ValueError, match="never opened"):
        driver.replay(inputs)


def test_an_unknown_signal_lets_no_deadline_fall_first_as_the_loop_takes_it():
    # Version 7 lets what was past fall before a message of the contract (``take``); the
    # loop's ``unknown_signal`` does not: W-ACK fell when its timer woke the incident, 10 ms
    # after the unknown signal's task, not at that task.
    opened = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    start = start_payload("NT-UNKNOWN", opened, rules_version=3).model_copy(
        update={"workflow_version": DEADLINES_BEFORE_MESSAGES})
    deadline = opened + timedelta(hours=2)
    sent, woken = deadline + timedelta(milliseconds=10), deadline + timedelta(milliseconds=20)
    inputs = IncidentInputs("incident-NT-UNKNOWN", start=start, opened_at=opened, arrivals=[
        Arrival("signal", "no_such_message", ({"actor": "误发的后台"},), sent, sent, opened)],
        wakes=[woken], until=woken + timedelta(minutes=1))
    status = driver.replay(inputs).status
    assert [(e.action, e.at) for e in status.timeline if e.action in ("window_missed", "remind")] \
        == [("window_missed", woken), ("remind", woken)]
    [refused] = status.rejected_inputs
    assert (refused.message, refused.at) == ("no_such_message", sent)
