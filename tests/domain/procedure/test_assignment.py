"""交办 (004 二(二)): one 交办单 per unit, phone-first emergencies, sign-for, return.

Mirrors tests/workflows/test_assignment_units.py, the W-ACK / W-BACKFILL cases of
test_windows_assignment.py and the unit refusals of test_malformed_messages.py, on
``assign_units`` / ``deliver_assignment`` (reached through 研判) and the
``acknowledge``, ``backfill_form`` and ``return_assignment`` steps.
"""

import pytest

from domain.notifications import AssignmentForm, Notification
from tests.domain.procedure.drive import (
    ACTOR, armed, at, deliveries, disarmed, expire, forms, refused, reported, send,
    shown, timeline, unit, window,
)

MONITOR = "网信办监测平台"
SYSTEM = "系统"
NOT_OWED = "该交办单不是待补填的紧急交办单 (no written form is owed)"


def units_of(state) -> list[tuple[str, bool, str, int]]:
    return [(a.unit_id, a.lead, a.state.value, a.round) for a in state.status.assignments]


def window_states(state, unit_id: str, seq: int = 1) -> dict[str, str]:
    return {w.id.value: w.state.value for w in state.status.windows
            if w.unit_id == unit_id and w.seq == seq}


# ------------------------------------------------------------ one 交办单 per unit

def test_one_assignment_and_one_form_per_unit_r5():
    """test_one_assignment_per_unit: two units → two assignments (the first leads), each with
    its own W-ACK / W-HANDLE and its own 交办单 carrying its deadlines."""
    state, effects = reported(units=("u1", "u2"), handling_hours=48)
    assert units_of(state) == [("u1", True, "assigned", 1), ("u2", False, "assigned", 1)]
    for unit_id in ("u1", "u2"):
        assert window(state, "W-ACK", unit_id).deadline == at(2)
        assert window(state, "W-HANDLE", unit_id).deadline == at(48)
    assert armed(effects) == [("W-RESP", None, 1), ("W-ACK", "u1", 1), ("W-HANDLE", "u1", 1),
                              ("W-ACK", "u2", 1), ("W-HANDLE", "u2", 1)]
    first, second = forms(effects)
    assert (first.form_id, first.unit.recipient_id, first.lead) == ("NT-1-u1-1", "u1", True)
    assert (second.form_id, second.unit.recipient_id, second.lead) == ("NT-1-u2-1", "u2", False)
    assert (first.ack_deadline, first.handling_deadline) == (at(2), at(48))
    assert (first.category, first.category_label, first.severity) == (
        "R2", "涉及公众切身利益的合理诉求", "一般")
    assert first.reports == ["人民网地方领导留言板 https://example.org/t/1 网民反映"]
    assert (first.emergency, first.issued_by) == (False, MONITOR)
    issued = timeline(state, "issue_form", rule="R-5")
    reply = ("答复形式：原平台回复（舆情出现在哪里，就在哪里回应）（本地默认，交办时未指定）；"
             "答复时间：2026-11-23 09:00 前（北京时间）")
    assert [(t.unit_id, t.detail) for t in issued] == [
        ("u1", f"下发交办单 NT-1-u1-1 至 单位u1；{reply}"),
        ("u2", f"下发交办单 NT-1-u2-1 至 单位u2；{reply}")]
    assert (first.reply_form, first.reply_form_default) == (
        "原平台回复（舆情出现在哪里，就在哪里回应）", True)
    assert "R-5" in timeline(state, "routing")[0].rule
    assert state.status.responsible_unit_ids == ["u1", "u2"]


def test_naming_an_active_unit_again_issues_no_second_form():
    """test_reanalysis_with_same_active_unit_does_not_duplicate: only the new unit gets a form."""
    state, _ = reported(units=("u1",))
    effects = send(state, "analyze", 1, units=[unit("u1", lead=True), unit("u2")])
    assert units_of(state) == [("u1", True, "assigned", 1), ("u2", False, "assigned", 1)]
    assert [f.form_id for f in forms(effects)] == ["NT-1-u2-1"]
    assert armed(effects) == [("W-ACK", "u2", 1), ("W-HANDLE", "u2", 1)]
    assert [t.unit_id for t in timeline(state, "issue_form")] == ["u1", "u2"]


def test_naming_another_lead_moves_the_lead():
    state, _ = reported(units=("u1", "u2"))
    assert send(state, "analyze", 1, units=[unit("u2", lead=True)]) == []
    assert [(a.unit_id, a.lead) for a in state.status.assignments] == [("u1", False), ("u2", True)]


# ------------------------------------------------------------ 紧急交办 (C-E, W-BACKFILL)

def test_nantong_phones_an_emergency_first_and_the_form_follows_on_backfill_c_e():
    """test_w_backfill_met_by_backfill_form: E3 under nantong-2017 is phoned (phone + SMS) as
    the city leaders are told (004 二(二)2); no written form yet, so no W-ACK; W-BACKFILL 24 h
    (local default), owed by the office; backfill_form at 6 h meets it and only then is the
    交办单 issued (marked emergency) and the unit's W-ACK starts; a second backfill is refused."""
    state, effects = reported(category="E3", severity="较大")
    [leaders, call] = deliveries(effects)
    assert (leaders.kind, [r.name for r in leaders.recipients]) == ("report_to_leaders", ["市相关领导"])
    [told] = timeline(state, "report_to_leaders", rule="004 二(二)2")
    assert told.detail == "紧急交办：向市相关领导汇报（交办 单位u1）"
    assert window(state, "W-ACK", "u1") is None
    assert isinstance(call, Notification) and call.kind == "emergency_assignment"
    assert [c.value for c in call.channels] == ["phone", "sms"]
    assert [r.recipient_id for r in call.recipients] == ["u1"]
    assert call.subject == "【紧急交办】某小区电梯频繁故障"
    assert call.body == "请立即核实处置并回应：某小区电梯频繁故障。办理期限 11-24 09:00。"
    [phoned] = timeline(state, "phone_assignment", rule="C-E")
    assert (phoned.unit_id, phoned.detail) == ("u1", "紧急交办：已电话/短信通知 单位u1")
    assert not timeline(state, "issue_form") and forms(effects) == []
    assert state.status.assignment("u1").emergency is True
    backfill = window(state, "W-BACKFILL", "u1")
    assert (backfill.deadline, backfill.statutory, backfill.owed_by) == (at(24), False, ["office"])
    assert ("W-BACKFILL", "u1", 1) in armed(effects)

    effects = send(state, "backfill_form", 6, unit_id="u1", note="已补填")
    backfill = window(state, "W-BACKFILL", "u1")
    assert (backfill.state.value, backfill.met_at, backfill.met_by) == ("met", at(6), "backfill_form")
    assert disarmed(effects) == [("W-BACKFILL", "u1", 1)]
    assert armed(effects) == [("W-ACK", "u1", 1)]
    [form] = forms(effects)
    assert (form.form_id, form.emergency, form.issued_by) == ("NT-1-u1-1", True, ACTOR)
    assert (form.ack_deadline, form.handling_deadline) == (at(8), at(72))
    assert timeline(state, "issue_form", rule="R-5")[0].at == at(6)
    assert refused(state, "backfill_form", 7, unit_id="u1") == "交办单已于 11-21 15:00 补充填报"


def test_a_late_backfill_still_issues_the_form_and_the_miss_stays():
    """test_w_backfill_missed: no written form 24 h after the phone call → missed; filled in
    at 30 h, the form goes out and the late fill-in is recorded on the missed window."""
    state, _ = reported(category="E1", severity="一般")
    send(state, "acknowledge", 0.5, unit_id="u1")
    expire(state, "W-BACKFILL", "u1")
    assert window(state, "W-BACKFILL", "u1").state.value == "missed"
    assert len(timeline(state, "window_missed", rule="W-BACKFILL")) == 1
    effects = send(state, "backfill_form", 30, unit_id="u1")
    backfill = window(state, "W-BACKFILL", "u1")
    assert (backfill.state.value, backfill.met_at) == ("missed", at(30))
    assert [f.form_id for f in forms(effects)] == ["NT-1-u1-1"]


@pytest.mark.parametrize("profile", ["national-2016", "liuzhou-2017"])
def test_other_profiles_phone_an_emergency_and_issue_the_form_at_once(profile):
    """Only Nantong backfills (004 二(二)2): elsewhere the call and the form go out together
    (test_handling_window_is_local_default); there is no W-BACKFILL to meet."""
    state, effects = reported(profile=profile, category="E3")
    assert [type(d) for d in deliveries(effects)] == [Notification, Notification, AssignmentForm]
    assert [d.kind for d in deliveries(effects)[:2]] == ["report_to_leaders", "emergency_assignment"]
    assert forms(effects)[0].emergency is True
    assert [t.action for t in state.status.timeline[-2:]] == ["phone_assignment", "issue_form"]
    assert window(state, "W-BACKFILL", "u1") is None
    assert refused(state, "backfill_form", 1, unit_id="u1") == NOT_OWED


def test_a_routine_category_gets_its_form_at_once_and_owes_no_backfill():
    """test_w_backfill_only_for_emergency_assignments: R5 → form at once; backfill refused."""
    state, effects = reported(category="R5", severity="较大")
    assert [type(d) for d in deliveries(effects)] == [AssignmentForm]
    assert not timeline(state, "phone_assignment") and window(state, "W-BACKFILL", "u1") is None
    assert refused(state, "backfill_form", 1, unit_id="u1") == NOT_OWED


# ------------------------------------------------------------ 签收回传 (W-ACK)

def test_acknowledge_meets_w_ack_and_moves_the_stage_to_handling():
    """test_w_ack (met): signed at 30 min → W-ACK met by acknowledge, its timer disarmed."""
    state, _ = reported()
    effects = send(state, "acknowledge", 0.5, unit_id="u1")
    ack = window(state, "W-ACK", "u1")
    assert (ack.state.value, ack.met_at, ack.met_by) == ("met", at(0.5), "acknowledge")
    assert disarmed(effects) == [("W-ACK", "u1", 1)] and armed(effects) == []
    assignment = state.status.assignment("u1")
    assert (assignment.state.value, assignment.acknowledged_at) == ("acknowledged", at(0.5))
    [signed] = timeline(state, "acknowledge")
    assert (signed.actor, signed.unit_id, signed.detail) == (ACTOR, "u1", "签收回传交办单")
    assert shown(state).stage.value == "handling"


def test_a_second_acknowledge_is_refused_and_the_first_signing_stands():
    """test_acknowledge_twice."""
    state, _ = reported()
    send(state, "acknowledge", 0, unit_id="u1")
    assert refused(state, "acknowledge", 0.5, unit_id="u1") == (
        "单位 u1 的交办单当前为「已签收」，无需再次签收")
    assert state.status.assignment("u1").acknowledged_at == at(0)


@pytest.mark.parametrize("steps, label", [
    ([("acknowledge", {}), ("record_response", {"channel": "platform_reply", "summary": "已回复"})],
     "已回应"),
    ([("return_assignment", {"reason": "非本单位职责"})], "已退回"),
])
def test_acknowledge_after_the_assignment_moved_on_is_refused(steps, label):
    state, _ = reported()
    for name, fields in steps:
        send(state, name, 1, unit_id="u1", **fields)
    assert refused(state, "acknowledge", 2, unit_id="u1") == (
        f"单位 u1 的交办单当前为「{label}」，无需再次签收")


def test_each_unit_signs_for_itself():
    """test_each_unit_signs_for_itself: u1 signs, u2 does not → stage waits for u2; only u2's
    W-ACK is missed and only u2 is reminded (W-ACK is a local default: no 催办)."""
    state, _ = reported(units=("u1", "u2"))
    send(state, "acknowledge", 0.5, unit_id="u1")
    assert shown(state).stage.value == "assignment"
    expire(state, "W-ACK", "u2")
    assert window(state, "W-ACK", "u1").state.value == "met"
    assert window(state, "W-ACK", "u2").state.value == "missed"
    assert [t.unit_id for t in timeline(state, "remind", rule="W-ACK")] == ["u2"]
    assert not timeline(state, "urge") and state.status.escalation.value == "none"


def test_a_late_acknowledge_is_recorded_on_the_missed_w_ack():
    """test_w_ack (missed): unsigned at 2 h → missed; signing later keeps the miss."""
    state, _ = reported()
    expire(state, "W-ACK", "u1")
    send(state, "acknowledge", 3, unit_id="u1")
    ack = window(state, "W-ACK", "u1")
    assert (ack.state.value, ack.met_at, ack.met_by) == ("missed", at(3), "acknowledge")


# ------------------------------------------------------------ unknown units

@pytest.mark.parametrize("name, fields", [
    ("acknowledge", {}),
    ("backfill_form", {}),
    ("return_assignment", {"reason": "非本单位职责"}),
    ("record_response", {"channel": "platform_reply", "summary": "已回复"}),
    ("submit_feedback", {"summary": "已处理", "resolved": True}),
])
def test_an_unknown_unit_is_refused_naming_the_units_of_the_incident(name, fields):
    """test_malformed_messages unknown-unit / unknown-message-unit; test_return_refused…"""
    state, _ = reported(units=("u1", "u2"))
    assert refused(state, name, 1, unit_id="u-x", **fields) == (
        "未知单位 u-x：本事件的责任单位为 u1（单位u1）, u2（单位u2） (unknown unit)")


def test_an_incident_without_units_says_so():
    state, _ = reported(analysed=False)
    assert refused(state, "acknowledge", 1, unit_id="u1") == (
        "未知单位 u1：本事件尚未研判交办任何单位 (no unit assigned yet)")


def test_feedback_before_signing_is_refused():
    """test_malformed_messages feedback-before-signing: the assignment's state is named."""
    state, _ = reported()
    assert refused(state, "submit_feedback", 1, unit_id="u1", summary="已处理", resolved=True) == (
        "单位 u1 的交办单当前为「待签收」，不能执行此操作")


# ------------------------------------------------------------ 退回 and reassignment

def test_a_returned_unit_leaves_and_its_windows_lapse():
    """test_return_assignment: u2 returns at 1 h → returned with its reason; its W-ACK and
    W-HANDLE not_applicable (timers disarmed, never missed); u1 untouched; no longer a
    responsible unit; the incident does not wait for reassignment while u1 remains."""
    state, _ = reported(units=("u1", "u2"))
    effects = send(state, "return_assignment", 1, unit_id="u2", reason="非本单位职责")
    returned = state.status.assignment("u2")
    assert (returned.state.value, returned.return_reason) == ("returned", "非本单位职责")
    assert disarmed(effects) == [("W-ACK", "u2", 1), ("W-HANDLE", "u2", 1)]
    assert armed(effects) == [] and deliveries(effects) == []
    assert window_states(state, "u2") == {"W-ACK": "not_applicable", "W-HANDLE": "not_applicable"}
    assert window(state, "W-ACK", "u2").note == "u2 已退回"
    assert window_states(state, "u1") == {"W-ACK": "pending", "W-HANDLE": "pending"}
    [entry] = timeline(state, "return_assignment")
    assert (entry.unit_id, entry.actor, entry.detail) == ("u2", ACTOR, "退回：非本单位职责")
    assert state.status.responsible_unit_ids == ["u1"]
    assert not timeline(state, "awaiting_reassignment")
    assert expire(state, "W-ACK", "u2") is None  # the old deadline passes without a miss


def test_a_return_after_signing_keeps_the_met_w_ack():
    state, _ = reported()
    send(state, "acknowledge", 0.5, unit_id="u1")
    effects = send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")
    assert disarmed(effects) == [("W-HANDLE", "u1", 1)]
    assert window_states(state, "u1") == {"W-ACK": "met", "W-HANDLE": "not_applicable"}


def test_a_returned_emergency_unit_owes_no_backfill_any_more():
    state, _ = reported(category="E3", units=("u1", "u2"))
    effects = send(state, "return_assignment", 1, unit_id="u2", reason="非本单位职责")
    assert disarmed(effects) == [("W-HANDLE", "u2", 1), ("W-BACKFILL", "u2", 1)]


def test_a_return_drops_a_pending_extension_request():
    state, _ = reported()
    send(state, "acknowledge", 0.5, unit_id="u1")
    send(state, "request_extension", 1, unit_id="u1", reason="需现场核查",
         until=at(96).isoformat())
    send(state, "return_assignment", 2, unit_id="u1", reason="非本单位职责")
    assert state.status.assignment("u1").extension_request is None


@pytest.mark.parametrize("steps, label", [
    (["acknowledge", "record_response"], "已回应"),
    (["acknowledge", "submit_feedback"], "已反馈待审核"),
    (["acknowledge", "submit_feedback", "review_feedback"], "已办结"),
    (["return_assignment"], "已退回"),
])
def test_a_return_is_only_for_an_assignment_not_yet_handled(steps, label):
    """test_return_refused_after_responding: allowed while 待签收 or 已签收 only."""
    fields = {"record_response": {"channel": "platform_reply", "summary": "已回复"},
              "submit_feedback": {"summary": "已处理", "resolved": True},
              "review_feedback": {"accepted": True},
              "return_assignment": {"reason": "非本单位职责"}}
    state, _ = reported(units=("u1", "u2"))
    for hours, name in enumerate(steps):
        send(state, name, hours, unit_id="u1", **fields.get(name, {}))
    assert refused(state, "return_assignment", 5, unit_id="u1", reason="非本单位职责") == (
        f"单位 u1 的交办单当前为「{label}」，不能执行此操作")


def test_when_every_unit_has_returned_the_incident_waits_for_reassignment():
    """test_all_returned_then_same_unit_named_again (first half): stage back to analysis,
    an awaiting_reassignment entry by 系统; W-RESP still runs."""
    state, _ = reported(units=("u1",))
    send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")
    [waiting] = timeline(state, "awaiting_reassignment")
    assert (waiting.actor, waiting.detail) == (SYSTEM, "全部单位已退回，待网信办重新研判交办")
    status = shown(state)
    assert status.stage.value == "analysis" and status.responsible_unit_ids == []
    assert window(state, "W-RESP").state.value == "pending" and status.next_deadline == at(48)


def test_a_new_unit_assigned_later_runs_its_windows_from_the_reassignment():
    """test_reassignment_to_new_unit_runs_from_reassignment: u2 returns, a 研判 at 10 h names
    u3 → u3's W-ACK / W-HANDLE from 10 h, its own form; W-RESP and u1's windows unchanged."""
    state, _ = reported(units=("u1", "u2"), handling_hours=48)
    send(state, "return_assignment", 0, unit_id="u2", reason="非本单位职责")
    effects = send(state, "analyze", 10, units=[{"unit_id": "u3", "name": "城管局"}],
                   note="改派城管局")
    u3 = state.status.assignment("u3")
    assert (u3.state.value, u3.round, u3.windows_from) == ("assigned", 1, at(10))
    assert window(state, "W-ACK", "u3").deadline == at(12)
    assert window(state, "W-HANDLE", "u3").deadline == at(58)
    assert u3.handling_deadline == at(58)
    assert armed(effects) == [("W-ACK", "u3", 1), ("W-HANDLE", "u3", 1)]
    [form] = forms(effects)
    assert (form.form_id, form.unit.recipient_id, form.unit.name) == ("NT-1-u3-1", "u3", "城管局")
    assert (form.ack_deadline, form.handling_deadline) == (at(12), at(58))
    assert window(state, "W-RESP").deadline == at(48)
    assert window(state, "W-HANDLE", "u1").deadline == at(48)
    assert state.status.responsible_unit_ids == ["u1", "u3"]


def test_a_returned_unit_named_again_gets_round_two_from_the_reassignment():
    """test_all_returned_then_same_unit_named_again (second half): round 2, a new form,
    windows seq 2 from the reassignment at 5 h; round 1's windows stay not_applicable."""
    state, _ = reported(units=("u1",))
    send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")
    effects = send(state, "analyze", 5, units=[unit("u1", lead=True)], note="经核实仍属该单位")
    again = state.status.assignment("u1")
    assert (again.round, again.state.value, again.windows_from) == (2, "assigned", at(5))
    assert again.form_id == "NT-1-u1-2" and again.return_reason is None
    assert [f.form_id for f in forms(effects)] == ["NT-1-u1-2"]
    assert armed(effects) == [("W-ACK", "u1", 2), ("W-HANDLE", "u1", 2)]
    assert window(state, "W-ACK", "u1", seq=2).deadline == at(7)
    assert window(state, "W-HANDLE", "u1", seq=2).deadline == at(77)
    assert window_states(state, "u1", 1) == {"W-ACK": "not_applicable",
                                              "W-HANDLE": "not_applicable"}
    assert shown(state).stage.value == "assignment"
    assert len(state.status.assignments) == 1
    send(state, "acknowledge", 6, unit_id="u1")
    assert window(state, "W-ACK", "u1", seq=2).met_at == at(6)


def test_an_emergency_unit_named_again_is_phoned_again_and_owes_a_new_backfill():
    state, _ = reported(category="E3")
    send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")
    effects = send(state, "analyze", 5, units=[unit("u1", lead=True)])
    assert [d.kind for d in deliveries(effects)] == ["report_to_leaders", "emergency_assignment"]
    assert window(state, "W-BACKFILL", "u1", seq=2).deadline == at(29)
    send(state, "backfill_form", 6, unit_id="u1")
    assert window(state, "W-BACKFILL", "u1", seq=2).met_at == at(6)
    assert state.status.assignment("u1").windows_from == at(5)


def test_a_returned_unit_owes_no_backfill():
    state, _ = reported(category="E3")
    send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")
    assert "无需补填" in refused(state, "backfill_form", 2, unit_id="u1")
