"""Windows as the procedure uses them: meet one, re-plan them all."""

from domain.engine.deadlines import meet, reconcile
from domain.engine.step import Step
from domain.profiles import WindowId
from tests.domain.procedure.drive import (
    armed, at, context, disarmed, expire, reported, send, timeline, window,
)


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


# ------------------------------ a window created later counts what already happened (SPEC §4)

def test_a_release_before_an_upgrade_meets_the_w_auth_the_upgrade_creates():
    """Authoritative release at 3 h, E1 较大→重大 at 4 h: W-AUTH (5 h) is met at 3 h and never
    armed; W-PRESS is armed; the credit is on the timeline."""
    state, _ = reported(category="E1", severity="较大")
    send(state, "record_response", 3, unit_id="u1", channel="authoritative_release",
         summary="发布权威信息")
    effects = send(state, "analyze", 4, severity="重大")
    auth = window(state, "W-AUTH")
    assert (auth.state.value, auth.met_at, auth.met_by) == (
        "met", at(3), "record_response:authoritative_release")
    assert ("W-AUTH", None, 1) not in armed(effects) and ("W-PRESS", None, 1) in armed(effects)
    [credit] = timeline(state, "window_credited", rule="W-AUTH")
    assert "按时完成" in credit.detail


def test_a_release_after_the_new_windows_deadline_is_credited_as_a_late_make_good():
    """A release at 6 h meets a W-AUTH (due 5 h) created at 8 h only late: missed, made good."""
    state, _ = reported(category="E1", severity="较大")
    send(state, "record_response", 6, unit_id="u1", channel="briefing", summary="吹风会")
    send(state, "analyze", 8, severity="重大")
    auth = window(state, "W-AUTH")
    assert (auth.state.value, auth.met_at) == ("missed", at(6))
    assert not auth.unresolved_miss


def test_earlier_releases_run_the_continuing_release_cycles():
    """W-CONT created at 30 h: releases at 3 h and 20 h meet cycles 1 and 2; cycle 3 runs
    from 20 h."""
    state, _ = reported(category="R3", severity="较大")
    for hours in (3, 20):
        send(state, "record_response", hours, unit_id="u1", channel="authoritative_release",
             summary="发布")
    send(state, "analyze", 30, severity="重大")
    assert [(w.seq, w.state.value, w.met_at) for w in state.status.windows
            if w.id.value == "W-CONT"] == [(1, "met", at(3)), (2, "met", at(20)),
                                           (3, "pending", None)]
    assert window(state, "W-CONT", seq=3).deadline == at(44)


def test_rules_version_one_left_a_window_created_later_open():
    state, _ = reported(category="E1", severity="较大", patched=False)
    send(state, "record_response", 3, unit_id="u1", channel="authoritative_release",
         summary="发布权威信息")
    send(state, "analyze", 4, severity="重大")
    assert window(state, "W-AUTH").state.value == "pending"


def test_an_action_after_the_deadline_is_a_miss_made_good_even_before_the_timer_fires():
    """A late acknowledge applied before its timer fired (one activation) is not "met"."""
    state, _ = reported()
    send(state, "acknowledge", 5, unit_id="u1")
    ack = window(state, "W-ACK", "u1")
    assert (ack.state.value, ack.met_at) == ("missed", at(5))
    assert timeline(state, "window_missed", rule="W-ACK")
    assert expire(state, "W-ACK", "u1") is None


def test_a_back_dated_release_cannot_meet_a_cycle_that_began_after_it():
    state, _ = reported(category="E1", severity="重大")
    send(state, "record_response", 10, unit_id="u1", channel="authoritative_release",
         summary="发布")
    send(state, "record_response", 12, unit_id="u1", channel="authoritative_release",
         summary="补录", published_at=at(5).isoformat())
    assert window(state, "W-CONT", seq=1).met_at == at(10)
    assert window(state, "W-CONT", seq=2).state.value == "pending"
