"""交办 (004 二(二)): one 交办单 per unit, phone-first emergencies, sign-for, return."""

from domain.notifications import AssignmentForm, Notification
from tests.domain.procedure.drive import (
    armed, at, deliveries, disarmed, refused, reported, send, timeline, unit, window,
)


def test_one_form_per_unit_r5_with_its_deadlines():
    state, effects = reported(units=("u1", "u2"))
    forms = [d for d in deliveries(effects) if isinstance(d, AssignmentForm)]
    assert [f.form_id for f in forms] == ["NT-1-u1-1", "NT-1-u2-1"]
    assert forms[0].lead and not forms[1].lead
    assert forms[0].ack_deadline == at(2) and forms[0].handling_deadline == at(72)
    assert [t.unit_id for t in timeline(state, "issue_form", rule="R-5")] == ["u1", "u2"]


def test_nantong_emergency_is_phoned_first_and_the_form_follows_on_backfill_c_e():
    state, effects = reported(category="E3")
    [call] = deliveries(effects)
    assert isinstance(call, Notification) and call.kind == "emergency_assignment"
    assert [c.value for c in call.channels] == ["phone", "sms"]
    assert timeline(state, "phone_assignment", rule="C-E") and not timeline(state, "issue_form")
    assert window(state, "W-BACKFILL", "u1").deadline == at(24)
    effects = send(state, "backfill_form", 3, unit_id="u1")
    assert isinstance(deliveries(effects)[0], AssignmentForm)
    assert window(state, "W-BACKFILL", "u1").state.value == "met"
    assert refused(state, "backfill_form", 4, unit_id="u1").startswith("交办单已于 11-21 12:00 补充填报")


def test_other_profiles_phone_an_emergency_and_issue_the_form_at_once():
    state, effects = reported(profile="national-2016", category="E3")
    kinds = [type(d).__name__ for d in deliveries(effects)]
    assert kinds == ["Notification", "AssignmentForm"] and window(state, "W-BACKFILL", "u1") is None
    assert refused(state, "backfill_form", 1, unit_id="u1").startswith("该交办单不是待补填的紧急交办单")


def test_acknowledge_meets_w_ack_once():
    state, _ = reported()
    assert disarmed(send(state, "acknowledge", 1, unit_id="u1")) == [("W-ACK", "u1", 1)]
    assert window(state, "W-ACK", "u1").met_at == at(1)
    assert state.status.assignment("u1").state.value == "acknowledged"
    assert refused(state, "acknowledge", 2, unit_id="u1") == (
        "单位 u1 的交办单当前为「已签收」，无需再次签收")


def test_an_unknown_unit_is_refused_naming_the_units_of_the_incident():
    state, _ = reported(units=("u1", "u2"))
    assert refused(state, "acknowledge", 1, unit_id="zz") == (
        "未知单位 zz：本事件的责任单位为 u1, u2 (unknown unit)")


def test_a_return_lapses_the_units_windows_and_waits_for_reassignment():
    state, _ = reported()
    effects = send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")
    assert set(disarmed(effects)) >= {("W-ACK", "u1", 1), ("W-HANDLE", "u1", 1)}
    assert window(state, "W-HANDLE", "u1").state.value == "not_applicable"
    assert timeline(state, "awaiting_reassignment")
    assert refused(state, "return_assignment", 2, unit_id="u1", reason="再退").startswith(
        "单位 u1 的交办单当前为「已退回」")


def test_a_returned_unit_named_again_gets_round_two_from_the_reassignment():
    state, _ = reported()
    send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")
    effects = send(state, "analyze", 5, units=[unit("u1")], note="重新交办")
    again = state.status.assignment("u1")
    assert again.round == 2 and again.windows_from == at(5) and again.form_id == "NT-1-u1-2"
    assert ("W-HANDLE", "u1", 2) in armed(effects)
    assert window(state, "W-ACK", "u1", 2).deadline == at(7)


def test_a_feedback_before_signing_is_refused():
    state, _ = reported()
    assert refused(state, "submit_feedback", 1, unit_id="u1", summary="x", resolved=True) == (
        "单位 u1 的交办单当前为「待签收」，不能执行此操作")
