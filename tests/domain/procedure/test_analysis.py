"""研判 (004 二(一)(二)): the first analysis, 研判调整, routing, 会商研判, rumours.

Mirrors tests/workflows/test_severity_change.py, test_rumour_transfer.py, the W-ANALYZE,
W-HANDLE and W-RESP cases of test_windows_*.py and the analysis refusals of
test_malformed_messages.py, on the ``analyze`` step (and ``open_incident``, which applies
a 研判 sent with the report).
"""

from datetime import timedelta

import pytest

from domain.notifications import JOINT_CONSULTATION_MEMBERS, RumourTransfer
from tests.domain.procedure.drive import (
    ACTOR, DETECTED, armed, at, deliveries, disarmed, expire, refused, reported, send, shown,
    timeline, unit, window,
)

SYSTEM = "系统"
NOTHING_TO_CHANGE = "研判调整没有任何变化 (nothing to change)"
FIRST_NEEDS = "首次研判须包含 category、severity、units (the first analysis needs category, severity and units)"
TOO_LONG = "response_hours 不得超过法定回应时限 48 小时"


def incident_windows(state) -> dict[str, tuple[float, bool]]:
    """Pending incident-level windows: id → (hours after detection, statutory)."""
    return {w.id.value: ((w.deadline - DETECTED) / timedelta(hours=1), w.statutory)
            for w in state.status.windows if w.unit_id is None and w.state.value == "pending"}


def states(state) -> dict[str, str]:
    """Incident-level windows: id → state."""
    return {w.id.value: w.state.value for w in state.status.windows if w.unit_id is None}


# ------------------------------------------------------------ the first analysis

@pytest.mark.parametrize("fields", [
    {"category": "R2", "severity": "一般"},
    {"category": "R2", "units": [unit("u1", True)]},
    {"severity": "一般", "units": [unit("u1", True)]},
    {"note": "先看看"},
], ids=["no-units", "no-severity", "no-category", "nothing"])
def test_the_first_analysis_needs_category_severity_and_units(fields):
    """test_first_analysis_needs_category_severity_units: refused; W-ANALYZE stays pending."""
    state, _ = reported(analysed=False)
    assert refused(state, "analyze", 1, **fields) == FIRST_NEEDS
    assert window(state, "W-ANALYZE").state.value == "pending"


def test_the_first_analysis_meets_w_analyze_and_unit_windows_run_from_the_assignment():
    """test_w_analyze_met: analyze at 1 h meets W-ANALYZE (met_by analyze); stage assignment;
    W-RESP runs from detection, the unit's W-ACK and W-HANDLE from the assignment (004 二(二))."""
    state, _ = reported(analysed=False)
    effects = send(state, "analyze", 1, category="R2", severity="一般", units=[unit("u1", True)])
    analyze = window(state, "W-ANALYZE")
    assert (analyze.state.value, analyze.met_at, analyze.met_by) == ("met", at(1), "analyze")
    assert disarmed(effects) == [("W-ANALYZE", None, 1)]
    assert armed(effects) == [("W-RESP", None, 1), ("W-ACK", "u1", 1), ("W-HANDLE", "u1", 1)]
    assert window(state, "W-RESP").deadline == at(48)
    assert window(state, "W-ACK", "u1").deadline == at(3)
    assert window(state, "W-HANDLE", "u1").deadline == at(73)
    assert state.status.assignment("u1").windows_from == at(1)
    assert window(state, "W-RESP").owed_by == ["u1"]
    status = shown(state)
    assert status.stage.value == "assignment" and status.analyzed_at == at(1)
    assert [(t.action, t.actor) for t in status.timeline[1:]] == [
        ("analyze", ACTOR), ("routing", ACTOR), ("handling_default", ACTOR), ("issue_form", ACTOR)]
    assert status.timeline[1].detail == "研判：分类 —→R2；级别 —→一般"


def test_a_first_analysis_after_w_analyze_was_missed_is_recorded_on_the_miss():
    """W-ANALYZE missed at 2 h; 研判 at 3 h is recorded (met_at) and the miss stays."""
    state, _ = reported(analysed=False)
    expire(state, "W-ANALYZE")
    send(state, "analyze", 3, category="R2", severity="一般", units=[unit("u1", True)])
    analyze = window(state, "W-ANALYZE")
    assert (analyze.state.value, analyze.met_at, analyze.met_by) == ("missed", at(3), "analyze")


@pytest.mark.parametrize("profile, category, severity, extra, expected", [
    ("national-2016", "E1", "重大", {}, {"W-PRESS": (24, True), "W-CONT": (24, False)}),
    ("national-2016", "R2", "重大", {}, {"W-RESP": (48, True), "W-CONT": (24, False)}),
    ("national-2016", "E1", "较大", {}, {"W-RESP": (48, True)}),
    ("liuzhou-2017", "E1", "重大", {},
     {"W-FACTS": (1, True), "W-PRESS": (24, True), "W-CONT": (24, False)}),
    ("liuzhou-2017", "E1", "重大", {"high_impact": False},
     {"W-FACTS": (1, True), "W-CONT": (24, False)}),
    ("liuzhou-2017", "R3", "较大", {}, {"W-RESP": (48, True)}),
    # 涉及特别重大、重大突发事件: severity I/II and an emergency event (E1, K4, or 研判 says so).
    ("nantong-2017", "E2", "特别重大", {}, {"W-RESP": (48, True), "W-CONT": (24, False)}),
    ("nantong-2017", "E2", "重大", {"emergency_event": True},
     {"W-AUTH": (5, True), "W-PRESS": (24, True), "W-CONT": (24, False)}),
    ("nantong-2017", "R6", "特别重大", {"key_criteria": ["K4"]},
     {"W-AUTH": (5, True), "W-PRESS": (24, True), "W-CONT": (24, False)}),
    ("national-2016", "R6", "特别重大", {"key_criteria": ["K4"]},
     {"W-PRESS": (24, True), "W-CONT": (24, False)}),
    ("national-2016", "E1", "重大", {"emergency_event": False},
     {"W-RESP": (48, True), "W-CONT": (24, False)}),
    ("nantong-2017", "E3", "重大", {}, {"W-RESP": (48, True), "W-CONT": (24, False)}),
    ("nantong-2017", "R1", "一般", {}, {"W-RESP": (48, True)}),
    ("nantong-2017", "R1", "一般", {"response_hours": 12}, {"W-RESP": (12, True)}),
])
def test_the_first_analysis_plans_the_profiles_windows(profile, category, severity, extra,
                                                       expected):
    """SPEC §4 per profile (test_windows_national_2016 / liuzhou_2017 / nantong_2017 /
    continuing_release): which incident windows the first 研判 opens, from detection."""
    state, _ = reported(profile=profile, category=category, severity=severity, **extra)
    assert incident_windows(state) == expected


def test_the_handling_window_set_at_assignment_is_statutory_only_under_nantong():
    """W-HANDLE: nantong handling_hours at assignment → statutory (004 二(二)3); otherwise
    the local default 72 h, or the hours given, never statutory."""
    state, _ = reported(handling_hours=96)
    handle = window(state, "W-HANDLE", "u1")
    assert (handle.deadline, handle.hours, handle.statutory) == (at(96), 96, True)
    assert state.status.assignments[0].handling_deadline == at(96)

    state, _ = reported()
    handle = window(state, "W-HANDLE", "u1")
    assert (handle.deadline, handle.hours, handle.statutory) == (at(72), 72, False)

    state, _ = reported(profile="national-2016", handling_hours=36)
    handle = window(state, "W-HANDLE", "u1")
    assert (handle.deadline, handle.statutory) == (at(36), False)


def test_an_emergency_category_is_a_key_response_incident_c_k4():
    assert [k.value for k in reported(category="E1")[0].status.key_criteria] == ["K4"]
    assert reported(category="R2", key_criteria=["K2"])[0].status.key_criteria[0].value == "K2"
    assert reported(category="R2")[0].status.key_criteria == []


# ------------------------------------------------------------ refusals

@pytest.mark.parametrize("profile", ["nantong-2017", "national-2016", "liuzhou-2017"])
@pytest.mark.parametrize("hours", [72, 48.5])
def test_response_hours_over_the_statutory_48_hours_is_refused(profile, hours):
    """W-RESP can never be longer than 48 h (test_w_resp_longer_response_hours_refused)."""
    state, _ = reported(profile=profile)
    assert refused(state, "analyze", 1, response_hours=hours) == TOO_LONG
    assert window(state, "W-RESP").deadline == at(48)


def test_response_hours_over_the_limit_is_refused_in_a_first_analysis_too():
    state, _ = reported(analysed=False)
    assert refused(state, "analyze", 1, category="R2", severity="一般", units=[unit("u1")],
                   response_hours=72) == TOO_LONG


def test_response_hours_of_exactly_48_is_allowed_and_moves_nothing():
    state, _ = reported()
    effects = send(state, "analyze", 1, response_hours=48)
    assert armed(effects) == disarmed(effects) == []
    assert timeline(state, "reanalyze")[0].detail == "研判调整：回应时限(小时) —→48.0"


def test_re_assigning_a_completed_unit_is_refused():
    state, _ = reported(units=("u1", "u2"))
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 2, unit_id="u1", summary="已处理", resolved=True)
    send(state, "review_feedback", 3, unit_id="u1", accepted=True)
    assert refused(state, "analyze", 4, units=[unit("u1")]) == "单位 u1 的交办单已办结，不能重新交办"


@pytest.mark.parametrize("fields", [
    {}, {"severity": "一般"}, {"category": "R2"}, {"severity": "一般", "category": "R2"},
    {"rumour": False}, {"key_criteria": []},
], ids=["empty", "same-severity", "same-category", "both-same", "not-a-rumour", "no-criteria"])
def test_an_adjustment_with_nothing_to_change_is_refused(fields):
    """test_reanalysis_without_change_refused: no reanalyze entry, nothing changes."""
    state, _ = reported()
    assert refused(state, "analyze", 1, **fields) == NOTHING_TO_CHANGE
    assert not timeline(state, "reanalyze")


def test_an_adjustment_with_only_a_note_is_recorded():
    state, _ = reported()
    assert send(state, "analyze", 1, note="补充说明") == []
    [entry] = timeline(state, "reanalyze")
    assert (entry.actor, entry.at, entry.detail) == (ACTOR, at(1), "研判调整：研判（补充说明）")


# ------------------------------------------------------------ severity changes

def test_raising_to_major_switches_the_windows_and_calls_joint_consultation():
    """test_raise_to_major_switches_windows: E1 一般→重大 at 1 h. W-RESP not_applicable (with
    why, timer disarmed, never misses); W-AUTH 5 h, W-PRESS 24 h and W-CONT 24 h from
    detection armed; the change recorded with who and why; 会商研判 (004 三(一))."""
    state, _ = reported(category="E1", severity="一般")
    assert window(state, "W-AUTH") is None and window(state, "W-PRESS") is None
    effects = send(state, "analyze", 1, severity="重大", note="伤亡人数上升")
    assert disarmed(effects) == [("W-RESP", None, 1)]
    assert armed(effects) == [("W-AUTH", None, 1), ("W-PRESS", None, 1), ("W-CONT", None, 1)]
    resp = window(state, "W-RESP")
    assert resp.state.value == "not_applicable"
    assert resp.note == "研判调整：级别 一般→重大（伤亡人数上升）"
    assert incident_windows(state) == {"W-AUTH": (5, True), "W-PRESS": (24, True),
                                       "W-CONT": (24, False)}
    assert state.status.severity.value == "重大"
    [change] = timeline(state, "reanalyze")
    assert (change.actor, change.detail) == (ACTOR, "研判调整：级别 一般→重大（伤亡人数上升）")
    [consult] = timeline(state, "joint_consultation", rule="南通 2017-12-22 三(一)")
    assert consult.detail == ("重大舆情：通知会商研判 市政府办公室、市网信办、市公安局、"
                              "市监察局、市应急办、市信访局")
    [notice] = deliveries(effects, "joint_consultation")
    assert notice.recipients == JOINT_CONSULTATION_MEMBERS
    assert [c.value for c in notice.channels] == ["message", "sms"]
    assert notice.subject == "【会商研判】某小区电梯频繁故障"
    assert expire(state, "W-RESP") is None  # the retired W-RESP never misses


def test_raising_after_a_deadline_has_passed_arms_a_window_that_is_missed_at_once():
    """test_raise_after_a_deadline_has_passed_records_the_miss: E1 较大→特别重大 at 6 h; W-AUTH
    (due at 5 h) is armed already past, so its timer fires at once and records the miss;
    W-PRESS stays pending; R-6 puts the principal leader in charge."""
    state, _ = reported(category="E1", severity="较大")
    effects = send(state, "analyze", 6, severity="特别重大")
    assert ("W-AUTH", None, 1) in armed(effects) and window(state, "W-AUTH").deadline == at(5)
    expire(state, "W-AUTH")
    assert window(state, "W-AUTH").state.value == "missed"
    assert len(timeline(state, "window_missed", rule="W-AUTH")) == 1
    assert window(state, "W-PRESS").state.value == "pending"
    assert state.status.leader_in_charge is True


def test_lowering_from_major_restores_w_resp_from_detection():
    """test_lower_from_major_restores_w_resp: E1 重大→一般 at 2 h. W-AUTH / W-PRESS / W-CONT
    not_applicable (disarmed), W-RESP pending from detection (armed); 会商研判 only the one
    at the start."""
    state, opening = reported(category="E1", severity="重大")
    assert len(deliveries(opening, "joint_consultation")) == 1
    effects = send(state, "analyze", 2, severity="一般", note="核实后影响较小")
    assert disarmed(effects) == [("W-AUTH", None, 1), ("W-PRESS", None, 1), ("W-CONT", None, 1)]
    assert armed(effects) == [("W-RESP", None, 1)]
    assert states(state) == {"W-AUTH": "not_applicable", "W-PRESS": "not_applicable",
                             "W-CONT": "not_applicable", "W-RESP": "pending"}
    assert window(state, "W-RESP").deadline == at(48)
    assert len(timeline(state, "joint_consultation")) == 1
    assert deliveries(effects) == []


def test_joint_consultation_is_called_once_when_the_incident_becomes_major():
    """会商研判 for a first 研判 at 重大 (any category); staying major (重大→特别重大) does not
    call it again; a non-major incident never gets it."""
    state, _ = reported(analysed=False)
    effects = send(state, "analyze", 1, category="R2", severity="重大", units=[unit("u1")])
    assert len(deliveries(effects, "joint_consultation")) == 1
    assert deliveries(send(state, "analyze", 2, severity="特别重大"), "joint_consultation") == []
    assert len(timeline(state, "joint_consultation")) == 1

    state, effects = reported(category="E1", severity="较大")
    assert deliveries(effects, "joint_consultation") == [] and not timeline(
        state, "joint_consultation")


def test_r6_the_principal_leader_is_in_charge_only_while_particularly_serious():
    state, _ = reported(category="E1", severity="特别重大")
    assert state.status.leader_in_charge is True
    send(state, "analyze", 1, severity="重大")
    assert state.status.leader_in_charge is False
    send(state, "analyze", 2, severity="特别重大")
    assert state.status.leader_in_charge is True


def test_a_handling_hours_change_moves_the_open_w_handle():
    """test_w_handle_recomputed_when_reanalysis_changes_handling_hours: 72→24 at 1 h moves
    the pending W-HANDLE to detected + 24 h (re-armed) and the unit's handling deadline."""
    state, _ = reported(handling_hours=72)
    effects = send(state, "analyze", 1, handling_hours=24, note="加急办理")
    handle = window(state, "W-HANDLE", "u1")
    assert (handle.deadline, handle.hours, handle.state.value) == (at(24), 24, "pending")
    assert disarmed(effects) == armed(effects) == [("W-HANDLE", "u1", 1)]
    assignment = state.status.assignment("u1")
    assert (assignment.handling_deadline, assignment.handling_hours) == (at(24), 24)
    assert timeline(state, "reanalyze")[0].detail == "研判调整：办理时限(小时) 72.0→24.0（加急办理）"


def test_a_response_hours_change_moves_the_open_w_resp():
    """test_w_resp_shortened_by_reanalysis: response_hours=24 at 1 h → W-RESP detected + 24 h."""
    state, _ = reported()
    effects = send(state, "analyze", 1, response_hours=24, note="情况紧急")
    resp = window(state, "W-RESP")
    assert (resp.deadline, resp.hours, resp.state.value) == (at(24), 24, "pending")
    assert disarmed(effects) == armed(effects) == [("W-RESP", None, 1)]


def test_liuzhou_no_high_impact_makes_w_press_not_applicable():
    """test_w_press_becomes_not_applicable_when_analysis_says_no_high_impact."""
    state, _ = reported(profile="liuzhou-2017", category="E1", severity="重大")
    effects = send(state, "analyze", 2, high_impact=False, note="无人员伤亡，影响有限")
    press = window(state, "W-PRESS")
    assert press.state.value == "not_applicable"
    assert press.note == "研判调整：重大伤亡或较大社会影响 —→False（无人员伤亡，影响有限）"
    assert disarmed(effects) == [("W-PRESS", None, 1)] and armed(effects) == []
    assert expire(state, "W-PRESS") is None and window(state, "W-FACTS").state.value == "pending"


# ------------------------------------------------------------ routing (R-1…R-6)

@pytest.mark.parametrize("units, severity, extra, rules", [
    (("u1",), "一般", {}, "R-2"),
    (("u1", "u2"), "一般", {}, "R-5"),
    (("u1",), "一般", {"matter": "major_policy"}, "R-1"),
    (("u1", "u2"), "一般", {"matter": "several_localities"}, "R-4,R-5"),
    (("u1",), "一般", {"matter": "several_departments"}, "R-5"),
    (("u1", "u2"), "特别重大", {}, "R-5,R-6"),
])
def test_routing_is_recorded_with_its_rule_ids(units, severity, extra, rules):
    state, _ = reported(units=units, severity=severity, **extra)
    [routing] = timeline(state, "routing")
    assert routing.rule == rules and routing.actor == "网信办监测平台"


def test_routing_names_the_first_responsible_and_the_coordinator():
    state, _ = reported()
    assert timeline(state, "routing")[0].detail == (
        "回应主体：属地管理、分级负责、谁主管谁负责：涉事责任部门为第一责任主体；牵头部门：单位u1；"
        "组织协调：本级政府办公厅（室）会同宣传部门")


def test_r3_a_vertically_managed_unit_is_coordinated_by_its_upper_office():
    state, _ = reported(analysed=False)
    send(state, "analyze", 1, category="R4", severity="一般",
         units=[{"unit_id": "tax", "name": "税务局", "lead": True, "vertical": True}])
    [routing] = timeline(state, "routing")
    assert routing.rule == "R-2,R-3"
    assert routing.detail.endswith("牵头部门：税务局；组织协调：上级部门办公厅（室）会同宣传部门")


def test_routing_is_recorded_again_only_when_units_are_named():
    """An adjustment naming units routes every active unit again (R-5 now); a severity change
    alone records no routing."""
    state, _ = reported()
    send(state, "analyze", 1, severity="较大")
    assert len(timeline(state, "routing")) == 1
    send(state, "analyze", 2, units=[unit("u2")])
    routing = timeline(state, "routing")
    assert [r.rule for r in routing] == ["R-2", "R-5"] and routing[1].actor == ACTOR


# ------------------------------------------------------------ rumours (C-X)

def test_a_rumour_analysis_transfers_automatically_once_c_x():
    """test_rumour_analysis_transfers_automatically: rumour=true → transfer_to_police entry by
    系统 (rule C-X) and a transfer carrying the report links as leads; once only."""
    state, _ = reported(category="E2", severity="较大")
    effects = send(state, "analyze", 1, rumour=True, note="经核实为不实信息")
    assert state.status.rumour is True and state.status.rumour_transferred_at == at(1)
    [transfer] = timeline(state, "transfer_to_police", rule="C-X")
    assert (transfer.actor, transfer.detail) == (
        SYSTEM, "移交公安机关、网络监管部门：研判为造谣传谣，自动移交 (C-X)")
    assert timeline(state, "reanalyze")[0].detail == "研判调整：研判为造谣传谣（经核实为不实信息）"
    [case] = deliveries(effects)
    assert isinstance(case, RumourTransfer) and case.key == "NT-1:rumour-transfer"
    assert case.leads == ["人民网地方领导留言板 https://example.org/t/1 网民反映"]
    assert [r.recipient_id for r in case.receivers] == ["police", "network-regulator"]

    assert refused(state, "analyze", 2, rumour=True) == NOTHING_TO_CHANGE
    later = deliveries(send(state, "analyze", 3, severity="重大"))
    assert [type(d).__name__ for d in later] == ["Notification"]  # 会商研判, no second transfer
    assert len(timeline(state, "transfer_to_police")) == 1


def test_a_rumour_in_the_start_payload_is_transferred_at_once_and_not_twice():
    """test_rumour_in_start_payload_transfers / test_second_transfer_refused."""
    state, effects = reported(category="E2", severity="一般", rumour=True)
    assert len(timeline(state, "transfer_to_police", rule="C-X")) == 1
    assert [type(d) for d in deliveries(effects)].count(RumourTransfer) == 1
    assert refused(state, "transfer_to_police", 1, reason="再次移交") == (
        "已于 11-21 09:00 移交，无需重复移交")


def test_a_rumour_analysis_after_a_manual_transfer_does_not_transfer_again():
    """test_rumour_analysis_after_manual_transfer_does_not_transfer_again."""
    state, _ = reported(category="R3", severity="较大")
    send(state, "transfer_to_police", 0.5, reason="涉嫌造谣，移交线索")
    effects = send(state, "analyze", 1, rumour=True)
    assert state.status.rumour is True and state.status.rumour_transferred_at == at(0.5)
    assert [t.actor for t in timeline(state, "transfer_to_police")] == [ACTOR]
    assert deliveries(effects) == []


# ------------------------------------ emergency side duties (004 二(一), 二(二)2)

def test_a_major_emergency_starts_round_the_clock_monitoring_once():
    state, effects = reported(category="E1", severity="重大")
    [notice] = deliveries(effects, "round_the_clock_monitoring")
    assert [r.name for r in notice.recipients] == ["网信办", "单位u1"]
    assert state.status.monitoring_started_at == at(0)
    [entry] = timeline(state, "start_monitoring", rule="004 二(一)")
    assert "24小时全网舆情监测" in entry.detail
    send(state, "analyze", 1, severity="一般")
    assert deliveries(send(state, "analyze", 2, severity="特别重大"),
                      "round_the_clock_monitoring") == []


def test_a_major_case_without_an_emergency_event_gets_no_monitoring():
    state, effects = reported(category="R2", severity="重大")
    assert deliveries(effects, "round_the_clock_monitoring") == []
    assert state.status.monitoring_started_at is None


def test_analysis_can_declare_or_clear_the_emergency_event():
    """研判 sets it (an E2 at 重大 becomes a major emergency) or clears it (E1 back to W-RESP)."""
    state, _ = reported(category="E2", severity="重大")
    assert incident_windows(state) == {"W-RESP": (48, True), "W-CONT": (24, False)}
    send(state, "analyze", 1, emergency_event=True)
    assert set(incident_windows(state)) == {"W-AUTH", "W-PRESS", "W-CONT"}
    assert "K4" in [k.value for k in state.status.key_criteria]
    state, _ = reported(category="E1", severity="重大", emergency_event=False)
    assert set(incident_windows(state)) == {"W-RESP", "W-CONT"}


def test_the_matter_is_kept_for_later_routing():
    """R-1 named at the first 研判 still applies when a later 研判 adds a unit."""
    state, _ = reported(matter="major_policy")
    send(state, "analyze", 1, units=[unit("u2")])
    assert [r.rule for r in timeline(state, "routing")] == ["R-1", "R-1,R-5"]


def test_reclassifying_an_e1_drops_the_k4_its_category_implied():
    state, _ = reported(category="E1", severity="重大")
    send(state, "analyze", 1, category="R2", note="核实为一般诉求")
    assert state.status.key_criteria == [] and not state.status.major_emergency
    assert set(incident_windows(state)) == {"W-RESP", "W-CONT"}
    state, _ = reported(category="E1", severity="重大", key_criteria=["K2"])
    send(state, "analyze", 1, category="R2")
    assert [k.value for k in state.status.key_criteria] == ["K2"]
