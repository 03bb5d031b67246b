"""研判 (004 二(一)(二)): the first analysis, adjustments, routing, 会商研判, rumours."""

from tests.domain.procedure.drive import (
    armed, at, deliveries, disarmed, refused, reported, send, timeline, unit, window,
)


def test_the_first_analysis_needs_category_severity_and_units():
    state, _ = reported(analysed=False)
    assert refused(state, "analyze", 1, category="R2").startswith("首次研判须包含 category、severity、units")


def test_the_first_analysis_meets_w_analyze_and_assigns():
    state, _ = reported(analysed=False)
    effects = send(state, "analyze", 1, category="R2", severity="一般", units=[unit("u1", True)])
    assert window(state, "W-ANALYZE").met_at == at(1) and ("W-ANALYZE", None, 1) in disarmed(effects)
    assert state.status.assignment("u1").windows_from == at(0)  # unit windows run from first detection today


def test_adjustment_refusals():
    state, _ = reported()
    assert refused(state, "analyze", 1, response_hours=50) == "response_hours 不得超过法定回应时限 48 小时"
    assert refused(state, "analyze", 1, severity="一般") == "研判调整没有任何变化 (nothing to change)"


def test_raising_severity_replans_windows_and_calls_joint_consultation_once():
    state, _ = reported(category="E1", severity="较大")
    effects = send(state, "analyze", 2, severity="重大", note="升级")
    assert ("W-AUTH", None, 1) in armed(effects) and ("W-RESP", None, 1) in disarmed(effects)
    assert window(state, "W-RESP").state.value == "not_applicable"
    assert len(deliveries(effects, "joint_consultation")) == 1
    assert timeline(state, "reanalyze")[0].detail == "研判调整：级别 较大→重大（升级）"
    assert not deliveries(send(state, "analyze", 3, severity="特别重大"), "joint_consultation")
    assert state.status.leader_in_charge


def test_handling_hours_change_moves_open_handling_windows():
    state, _ = reported()
    effects = send(state, "analyze", 1, handling_hours=24)
    assert window(state, "W-HANDLE", "u1").deadline == at(24)
    assert ("W-HANDLE", "u1", 1) in armed(effects)


def test_routing_is_recorded_with_its_rule_ids():
    state, _ = reported(units=("u1", "u2"))
    [routing] = timeline(state, "routing")
    assert routing.rule == "R-5" and "牵头部门：单位u1" in routing.detail


def test_a_completed_unit_cannot_be_assigned_again():
    state, _ = reported(units=("u1", "u2"))
    for hours, name, extra in [(1, "acknowledge", {}), (2, "submit_feedback",
                               {"summary": "x", "resolved": True}),
                               (3, "review_feedback", {"accepted": True})]:
        send(state, name, hours, unit_id="u1", **extra)
    assert refused(state, "analyze", 4, units=[unit("u1")]) == "单位 u1 的交办单已办结，不能重新交办"


def test_a_rumour_is_transferred_automatically_once():
    state, _ = reported()
    send(state, "analyze", 1, rumour=True)
    send(state, "analyze", 2, severity="较大")
    assert len(timeline(state, "transfer_to_police")) == 1
