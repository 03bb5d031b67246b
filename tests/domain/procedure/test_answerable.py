"""Rules version 3: who answers for what (SPEC §4 A-HOLD, A-EACH, A-LOCAL, closing; §6; §7)."""

from domain.procedure import collection
from domain.roster import Roster
from tests.domain.procedure.drive import (
    at, context, deliveries, expire, forms, grace_ends, graces, late_analysis, refused, reported,
    send, shown, start, timeline, window,
)

V3 = {"rules_version": 3}
FULL_REVIEW = {"checks": ["political", "policy", "legal", "wording", "confidentiality"],
               "reviewed_by": "市政府新闻办 张三", "consulted": ["市公安局"]}


# ------------------------------------------------------------------- A-HOLD

def test_a_hold_a_window_due_before_assignment_is_the_offices_miss():
    state, effects = late_analysis(50)
    office = window(state, "W-RESP")
    assert office.owed_by == ["office"] and office.deadline == at(48)
    effects = expire(state, "W-RESP")
    assert not deliveries(effects, "urge") and deliveries(effects, "office_overdue")
    assert state.status.escalation.value == "none"
    [alert] = timeline(state, "alert_office", rule="W-RESP")
    assert "A-HOLD" in alert.detail and alert.unit_id == "office"
    assert shown(state).overdue  # listed as the office's window (test_search_attribute_values)


def test_a_hold_a_late_assigned_unit_owes_its_forms_answer_time_a_local_default():
    state, effects = late_analysis(50)
    own = window(state, "W-RESP", "u1")
    assert own.deadline == at(98) and not own.statutory and "本地默认" in own.source
    [form] = forms(effects)
    assert form.response_deadline == at(98) and form.response_deadline_local_default
    [issued] = timeline(state, "issue_form")
    assert "W-RESP" in issued.detail and "本地默认" in issued.detail and "办理时限" in issued.detail


def test_a_hold_a_unit_assigned_in_time_owes_the_statutory_window():
    state, _ = late_analysis(10)
    assert window(state, "W-RESP") is None
    own = window(state, "W-RESP", "u1")
    assert own.deadline == at(48) and own.statutory


def test_a_hold_liuzhou_facts_window_passed_before_analysis():
    state, _ = reported("liuzhou-2017", analysed=False, **V3)
    send(state, "analyze", 1.5, category="E1", severity="重大",
         units=[{"unit_id": "u1", "name": "应急局", "lead": True}])
    assert window(state, "W-FACTS").owed_by == ["office"]
    assert window(state, "W-FACTS", "u1").deadline == at(2.5)
    effects = expire(state, "W-FACTS")
    assert not deliveries(effects, "urge") and deliveries(effects, "office_overdue")


# ------------------------------------------------------------------- A-EACH

def test_a_each_one_units_reply_never_meets_anothers_window():
    state, _ = reported(units=("u1", "u2"), **V3)
    send(state, "record_response", 5, unit_id="u2", channel="platform_reply", summary="已回复")
    assert window(state, "W-RESP", "u2").state.value == "met"
    assert window(state, "W-RESP", "u1").state.value == "pending"
    effects = expire(state, "W-RESP", "u1")
    [urge] = deliveries(effects, "urge")
    assert [r.recipient_id for r in urge.recipients] == ["u1"]
    assert state.status.assignment("u1").urged_at and not state.status.assignment("u2").urged_at


def test_a_each_a_joint_reply_meets_every_unit_it_names():
    state, _ = reported(units=("u1", "u2"), **V3)
    send(state, "record_response", 5, unit_id="u1", joint_units=["u2"],
         channel="platform_reply", summary="联合答复")
    assert {window(state, "W-RESP", u).state.value for u in ("u1", "u2")} == {"met"}
    assert "unknown" in refused(state, "record_response", 6, unit_id="u1", joint_units=["u9"],
                                channel="platform_reply", summary="x")
    assert "不得重复" in refused(state, "record_response", 6, unit_id="u1", joint_units=["u1"],
                               channel="platform_reply", summary="x")


# ------------------------------------------------------------------- closing

def test_closing_leaves_pending_statutory_windows_missed():
    state, _ = reported(category="E1", severity="重大", **V3)
    send(state, "backfill_form", 0.5, unit_id="u1")
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")
    send(state, "submit_feedback", 3, unit_id="u1", summary="已处置", resolved=True)
    send(state, "review_feedback", 3.5, unit_id="u1", accepted=True)
    assert state.status.stage.value == "closed"
    for wid in ("W-AUTH", "W-PRESS"):
        closed = window(state, wid)
        assert closed.state.value == "missed" and closed.note.startswith("办结时仍未")


# ------------------------------------------------------ stated attendance, G-REVIEW

def test_stated_attendance_a_press_conference_must_say_who_attended():
    state, _ = reported(**V3)
    reason = refused(state, "record_response", 2, unit_id="u1", channel="press_conference",
                     summary="发布会")
    assert "head_or_spokesperson_attended" in reason
    send(state, "record_response", 2, unit_id="u1", channel="press_conference", summary="发布会",
         head_or_spokesperson_attended=True)


def test_g_review_required_under_liuzhou():
    state, _ = reported("liuzhou-2017", **V3)
    assert "G-REVIEW" in refused(state, "record_response", 2, unit_id="u1",
                                 channel="authoritative_release", summary="通报")
    partial = {**FULL_REVIEW, "checks": ["political"]}
    assert "政策关" in refused(state, "record_response", 2, unit_id="u1",
                              channel="authoritative_release", summary="通报", review=partial)
    send(state, "record_response", 2, unit_id="u1", channel="authoritative_release",
         summary="通报", review=FULL_REVIEW)
    assert state.status.responses[0].review.reviewed_by == "市政府新闻办 张三"


def test_g_review_absence_shown_not_refused_elsewhere():
    state, _ = reported(**V3)
    send(state, "record_response", 2, unit_id="u1", channel="authoritative_release",
         summary="通报")
    assert "未记录发布审核" in timeline(state, "record_response")[0].detail


# ------------------------------------------------------------- upward reports

def test_upward_report_liuzhou_major_emergency():
    state, _ = reported("liuzhou-2017", category="E1", severity="重大", **V3)
    [entry] = timeline(state, "report_upward")
    assert entry.rule == "001 一(一)1"
    [leaders] = timeline(state, "report_to_leaders")
    assert leaders.local_default  # 004's 紧急交办 applied under Liuzhou (A-LOCAL)


def test_reclassification_into_e1_reports_to_the_leaders():
    state, _ = reported(**V3)
    send(state, "analyze", 3, category="E1")
    assert timeline(state, "report_to_leaders") and state.status.leaders_informed_at == at(3)


# ----------------------------------------------------------------- 督办 / 问责

def test_supervise_only_a_unit_urged_first_e_supervise():
    state, _ = reported(units=("u1", "u2"), **V3)
    assert "未经催办" in refused(state, "supervise", 10, reason="督办", unit_ids=["u1"])
    assert "没有经催办" in refused(state, "supervise", 10, reason="督办")
    expire(state, "W-RESP", "u1")
    send(state, "supervise", 50, reason="仍未回应")
    assert state.status.assignment("u1").supervised_at == at(50)
    assert state.status.assignment("u2").supervised_at is None
    assert "u1" in timeline(state, "supervise")[0].detail or "单位u1" in timeline(
        state, "supervise")[0].detail


def test_automatic_supervision_names_only_the_units_still_late():
    state, _ = reported(units=("u1", "u2"), **V3)
    send(state, "record_response", 5, unit_id="u2", channel="platform_reply", summary="已回复")
    [grace] = graces(expire(state, "W-RESP", "u1"))
    grace_ends(state, grace, 72)
    [entry] = timeline(state, "supervise")
    assert entry.unit_id == "u1" and "单位u2" not in entry.detail


def test_accountability_names_its_units_or_lists_those_with_misses_e_account():
    state, _ = reported(units=("u1", "u2"), **V3)
    expire(state, "W-RESP", "u1")
    send(state, "start_accountability", 60, reason="应对不力")
    [entry] = timeline(state, "start_accountability")
    assert "未指明单位" in entry.detail and entry.unit_id == "u1"
    assert state.status.assignment("u2").accountability_at is None
    send(state, "start_accountability", 61, reason="补充", unit_ids=["u2"])
    assert state.status.assignment("u2").accountability_at == at(61)


# ---------------------------------------------------------------- E-NOTICE

def test_e_notice_deciding_offices_are_named_and_checked():
    state, _ = reported(**V3)
    fields = dict(unit_id="u1", kind="notice_criticism", reason="逾期未回应")
    assert "offices" in refused(state, "sanction", 80, passive_or_harmful=True, **fields)
    assert "不良影响" in refused(state, "sanction", 80, offices=["市网信办"], **fields)
    assert "之一" in refused(state, "sanction", 80, offices=["市委宣传部"],
                             passive_or_harmful=True, **fields)
    send(state, "sanction", 80, offices=["government_office", "市监察局"],
         passive_or_harmful=True, **fields)
    [entry] = timeline(state, "sanction")
    assert entry.detail.startswith("通报批评 单位u1（市政府办公室、市监察局决定）")


def test_e_notice_the_supervisory_organ_may_decide_with_a_roster():
    roster = Roster.model_validate({"offices": {"cyberspace_office": ["网信办 测试员"],
                                                "supervisory_organ": ["市监察局 钱七"]}})
    opening = start(**V3).model_copy(update={"roster": roster})
    state = collection.new_incident(opening)
    collection.open_incident(state, opening, context(0))
    from domain.engine import registry
    fields = {"actor": "市监察局 钱七", "unit_id": "u1", "kind": "efficiency_accountability",
              "reason": "敷衍塞责", "passive_or_harmful": True}
    registry.take(state, "sanction", ({**fields, "offices": ["市监察局"]},), context(80))
    assert state.status.sanctions[0].offices == ["市监察局"]
    import pytest
    from domain.engine.step import Refusal
    with pytest.raises(Refusal, match="名册"):
        registry.take(state, "sanction", ({**fields, "offices": ["市政府办公室"]},), context(81))


# ------------------------------------------------------------------ A-LOCAL

def test_a_local_a_ladder_under_national_is_marked_local_default():
    state, _ = reported("national-2016", **V3)
    send(state, "acknowledge", 1, unit_id="u1")
    expire(state, "W-HANDLE", "u1")
    [urge] = timeline(state, "urge")
    assert urge.local_default and "本地默认" in urge.detail
    [missed] = timeline(state, "window_missed", rule="W-HANDLE")
    assert missed.local_default


def test_a_local_a_rework_without_a_date_is_a_local_default():
    state, _ = reported(**V3)
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 5, unit_id="u1", summary="已办", resolved=True)
    send(state, "review_feedback", 6, unit_id="u1", accepted=False, comment="不完整")
    handling = window(state, "W-HANDLE", "u1")
    assert not handling.statutory and "004 二(四)" in handling.source
    assert timeline(state, "review_feedback")[-1].local_default


# ---------------------------------------------- E-SUPERVISE by unit, A-EACH, the page

def test_supervise_takes_unit_id_for_one_and_version_2_refuses_names_e_supervise():
    state, _ = reported(units=("u1", "u2"), **V3)
    expire(state, "W-RESP", "u1")
    expire(state, "W-RESP", "u2")
    send(state, "supervise", 50, reason="督办", unit_id="u2")
    assert state.status.assignment("u2").supervised_at == at(50)
    assert state.status.assignment("u1").supervised_at is None
    old, _ = reported()
    assert "不按单位督办" in refused(old, "supervise", 5, reason="督办", unit_ids=["u1"])


def test_a_each_a_non_lead_release_never_meets_the_lead_units_fast_window():
    state, _ = reported(category="E1", severity="重大", units=("u1", "u2"), **V3)
    send(state, "record_response", 1, unit_id="u2", channel="authoritative_release",
         summary="u2 发布")
    assert window(state, "W-AUTH").state.value == "pending"
    send(state, "record_response", 2, unit_id="u1", channel="authoritative_release",
         summary="u1 发布")
    assert window(state, "W-AUTH").state.value == "met"


def test_the_page_names_the_office_and_the_units_in_its_lines():
    from domain.current_details import render_current_details
    state, _ = late_analysis(50)
    expire(state, "W-RESP")
    page = render_current_details(shown(state), at(51))
    assert "\n- 网信办/市政府办（交办方） · W-" in page.split("**分类")[0]  # in the 超期 block
    two, _ = reported(units=("u1", "u2"), **V3)
    expire(two, "W-RESP", "u2")
    send(two, "supervise", 50, reason="仍未回应")
    send(two, "sanction", 60, unit_id="u2", kind="commendation", reason="整改及时")
    page = render_current_details(shown(two), at(61))
    assert "督办 单位u2：仍未回应" in page and "表扬（网信办 测试员决定）：整改及时（单位u2）" in page
