"""domain.engine.waiting: what an incident waits for, kept in its state (no server)."""

from datetime import timedelta

from domain.engine import waiting
from domain.engine.step import CancelGraces, Deliver, StopWaiting, GracePeriod, IncidentState
from domain.status import WindowState

from tests.domain.procedure.drive import at, context, graces, reported, send, window


def test_the_opening_effects_time_its_windows_and_start_its_deliveries():
    state, effects = reported()
    started = waiting.record(state, effects, at(0))
    assert [d.payload for d in started] == [e.payload for e in effects if isinstance(e, Deliver)]
    assert state.deliveries_out == started and started
    pending = [w.key for w in state.status.windows if w.state == WindowState.PENDING]
    assert state.timed and set(state.timed) <= set(pending)


def test_the_nearest_is_the_earliest_timed_pending_window_named_for_its_timer():
    state, effects = reported()
    waiting.record(state, effects, at(0))
    due = waiting.nearest(state)
    earliest = min((w for w in state.status.windows if w.key in state.timed),
                   key=lambda w: w.deadline)
    assert due == (earliest.deadline, waiting.label(earliest))
    assert waiting.label(window(state, "W-ACK", "u1")) == "W-ACK u1 签收回传交办单"


def test_a_met_or_disarmed_window_is_waited_for_no_more():
    state, effects = reported()
    waiting.record(state, effects, at(0))
    ack = window(state, "W-ACK", "u1")
    waiting.record(state, send(state, "acknowledge", 1, unit_id="u1"), at(1))
    assert ack.key not in state.timed
    other = state.timed[0]
    waiting.record(state, [StopWaiting(other)], at(1))
    assert other not in state.timed


def test_nothing_falls_before_its_time_and_everything_due_falls_in_order():
    state, effects = reported()
    waiting.record(state, effects, at(0))
    assert waiting.fall_due(state, at(0), context(0)) == []
    due = waiting.nearest(state)
    hours = (due.at - at(0)) / timedelta(hours=1)
    fallen = waiting.fall_due(state, due.at, context(hours))
    missed = [w for w in state.status.windows if w.state == WindowState.MISSED]
    assert missed and all(w.deadline <= due.at for w in missed)
    assert all(w.key not in state.timed for w in missed)
    waiting.record(state, fallen, due.at)
    assert waiting.nearest(state).at > due.at


def test_a_missed_handling_window_starts_a_grace_period_that_falls_in_turn():
    state, effects = reported()
    waiting.record(state, effects, at(0))
    waiting.record(state, send(state, "acknowledge", 1, unit_id="u1"), at(1))
    handle = window(state, "W-HANDLE", "u1")
    fallen = waiting.fall_due(state, handle.deadline, context(0))
    started = graces(fallen)
    assert "urge:W-HANDLE:u1:1" in [g.name for g in started]
    waiting.record(state, fallen, handle.deadline)
    assert [(g.name, g.ends_at) for g in state.grace_periods] == [
        (g.name, handle.deadline + timedelta(hours=g.hours)) for g in started]
    assert waiting.nearest(state).label == "催办宽限期"
    later = max(g.ends_at for g in state.grace_periods) + timedelta(hours=1)
    supervised = waiting.fall_due(state, later, context(0))
    assert state.grace_periods == [] and supervised
    assert state.status.escalation.value == "supervised"


def test_closing_cancels_every_grace_period():
    state, effects = reported()
    waiting.record(state, effects, at(0))
    waiting.record(state, send(state, "acknowledge", 1, unit_id="u1"), at(1))
    handle = window(state, "W-HANDLE", "u1")
    waiting.record(state, waiting.fall_due(state, handle.deadline, context(0)), handle.deadline)
    assert state.grace_periods
    waiting.record(state, [CancelGraces()], handle.deadline)
    assert state.grace_periods == []


def test_an_answered_delivery_leaves_the_bookkeeping_and_it_all_survives_a_round_trip():
    state, effects = reported()
    started = waiting.record(state, effects, at(0))
    again = IncidentState.model_validate_json(state.model_dump_json())
    assert again.deliveries_out == state.deliveries_out and again.timed == state.timed
    assert type(again.deliveries_out[0].payload) is type(started[0].payload)
    effects = waiting.answered(again, started[0].key, at(1), None, "服务不可用")
    assert [t.action for t in again.status.timeline][-1] == "delivery_failed"
    assert [type(e).__name__ for e in effects] == ["Deliver"]  # the office alerted
    assert waiting.answered(again, started[0].key, at(1), None, "again") == []
    assert [d.key for d in again.deliveries_out] == [d.key for d in started[1:]]


def test_a_state_from_before_version_6_times_every_pending_window():
    state, _ = reported()
    assert state.timed is None
    old = IncidentState.model_validate_json(
        state.model_dump_json(exclude={"timed", "grace_periods", "deliveries_out"}))
    grace = GracePeriod(name="urge:W-HANDLE:u1:1", ends_at=at(30), label="催办宽限期", after="urge")
    waiting.resume(old, [grace], [])
    assert old.timed == [w.key for w in old.status.windows if w.state == WindowState.PENDING]
    assert old.grace_periods == [grace] and old.deliveries_out == []


def test_before_a_message_what_was_past_falls_first_and_nothing_else():
    """Workflow version 7: the 签收 a moment after W-ACK's deadline comes after the miss and
    its reminder, whether or not the timer reached the workflow first."""
    state, effects = reported()
    waiting.record(state, effects, at(0))
    ack = window(state, "W-ACK", "u1")
    hours = (ack.deadline - at(0)) / timedelta(hours=1)
    assert waiting.fall_past(state, context(hours - 0.01)) is None  # not yet due: no change
    assert ack.state == WindowState.PENDING
    fallen = waiting.fall_past(state, context(hours + 0.01))
    assert fallen is not None and ack.state == WindowState.MISSED
    assert [e.action for e in state.status.timeline][-2:] == ["window_missed", "remind"]
    assert waiting.fall_past(state, context(hours + 0.02)) is None  # fell once


def test_a_wait_starts_again_only_when_a_message_moved_what_falls_next():
    """The loop's wait for ``waited``: the same deadline still nearest is no move; another,
    or one where there was none, is. Under workflow version 7 (``let_fire``) a deadline
    whose time has come is no move: the message let it fall, and its timer fires."""
    state, effects = reported()
    waiting.record(state, effects, at(0))
    waited = waiting.nearest(state)
    assert waited is not None
    later = waiting.Due(waited.at + timedelta(hours=1), "later")
    for let_fire in (False, True):
        assert not waiting.moved(waited, waited, at(0), let_fire)
        assert not waiting.moved(None, None, at(0), let_fire)
        assert waiting.moved(waited, later, at(0), let_fire)
        assert waiting.moved(None, waited, at(0), let_fire)
        assert waiting.moved(waited, None, at(0), let_fire)
    assert waiting.moved(waited, later, waited.at, let_fire=False)
    assert not waiting.moved(waited, later, waited.at, let_fire=True)  # fell: its timer fires
    assert not waiting.moved(waited, None, waited.at + timedelta(seconds=1), let_fire=True)
