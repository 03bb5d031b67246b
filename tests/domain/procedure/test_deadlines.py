"""Windows as the procedure uses them: meet one, re-plan them all."""

from domain.procedure.deadlines import meet, reconcile
from domain.procedure.step import Step
from domain.profiles import WindowId
from tests.domain.procedure.drive import armed, at, context, disarmed, expire, reported, window


def test_meeting_a_pending_window_disarms_it():
    state, _ = reported()
    step = Step(state, context(1))
    assert meet(step, WindowId.ACK, "u1", "acknowledge", at(1))
    assert window(state, "W-ACK", "u1").state.value == "met" and disarmed(step.effects)
    assert not meet(step, WindowId.ACK, "u1", "acknowledge", at(1))  # already met


def test_a_missed_window_met_late_stays_missed():
    state, _ = reported()
    expire(state, "W-ACK", "u1")
    meet(Step(state, context(5)), WindowId.ACK, "u1", "acknowledge", at(5))
    late = window(state, "W-ACK", "u1")
    assert late.state.value == "missed" and late.met_at == at(5)


def test_reconcile_rearms_only_what_moved_and_updates_the_handling_deadline():
    state, _ = reported()
    step = Step(state, context(1))
    reconcile(step, "nothing changed")
    assert step.effects == []
    state.status.assignment("u1").handling_hours = 24
    reconcile(step, "办理时限调整")
    assert armed(step.effects) == [("W-HANDLE", "u1", 1)]
    assert state.status.assignment("u1").handling_deadline == at(24)
