"""Rules version 3 edge cases found in review (SPEC §4 A-HOLD, §7 E-SUPERVISE, §8)."""

from tests.domain.procedure.drive import expire, refused, reported, send, shown, window

V3 = {"rules_version": 3}


def test_a_hold_a_unit_that_missed_then_returned_keeps_the_miss_the_office_owes_none():
    """The unit held W-RESP when it fell due; returning afterwards never charges the office."""
    state, _ = reported(**V3)
    expire(state, "W-RESP", "u1")
    send(state, "return_assignment", 50, unit_id="u1", reason="非本单位职责")
    assert window(state, "W-RESP", "u1").state.value == "missed"
    office = window(state, "W-RESP")
    assert office is None or "office" not in office.owed_by


def test_a_hold_a_unit_that_returned_before_the_deadline_leaves_it_to_the_office():
    state, _ = reported(**V3)
    send(state, "return_assignment", 10, unit_id="u1", reason="非本单位职责")
    assert window(state, "W-RESP").owed_by == ["office"]
    assert window(state, "W-RESP", "u1").state.value == "not_applicable"


def test_p_month_version_2_keeps_a_returned_units_miss_overdue():
    state, _ = reported(rules_version=2)
    expire(state, "W-RESP")
    send(state, "return_assignment", 50, unit_id="u1", reason="非本单位职责")
    assert shown(state).overdue


def test_e_supervise_never_names_a_unit_whose_urged_miss_was_made_good():
    """督办 only of units still unresolved after urging (004 二(五)), not of one that answered."""
    state, _ = reported(**V3)
    expire(state, "W-RESP", "u1")
    send(state, "record_response", 49, unit_id="u1", channel="platform_reply", summary="已回复")
    reason = refused(state, "supervise", 50, reason="督办", unit_ids=["u1"])
    assert "未解决" in reason


def test_a_local_a_late_action_on_a_local_default_window_is_marked():
    """W-HANDLE under national-2016 is a local default: its miss made good late says so."""
    state, _ = reported("national-2016", **V3)
    handle = window(state, "W-HANDLE", "u1")
    assert not handle.statutory
    late = (handle.deadline - state.status.first_detected_at).total_seconds() / 3600 + 1
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")
    send(state, "submit_feedback", late, unit_id="u1", summary="已办理", resolved=True)
    [missed] = [t for t in state.status.timeline
                if t.action == "window_missed" and t.rule == "W-HANDLE"]
    assert missed.local_default and "本地默认" in missed.detail


def test_a_local_the_forms_handling_deadline_is_marked_where_no_document_fixes_it():
    """national-2016 has no 交办 procedure: the 交办单's 办理时限 is a local default (A-LOCAL)."""
    from tests.domain.procedure.drive import forms
    state, effects = reported("national-2016", **V3)
    [form] = forms(effects)
    assert form.handling_deadline_local_default
    [issued] = [t for t in state.status.timeline if t.action == "issue_form"]
    assert issued.local_default and "办理时限为本地默认" in issued.detail
    state, effects = reported("nantong-2017", handling_hours=72, **V3)
    [form] = forms(effects)
    assert not form.handling_deadline_local_default


def test_a_hold_a_window_created_by_an_upgrade_after_it_passed_is_the_offices_miss():
    """研判调整 at 30 h makes the case a major emergency: W-AUTH (5 h) passed before the unit
    was told of it, so the office missed it and the unit owes its 答复时间 from the upgrade."""
    from tests.domain.procedure.drive import at, deliveries
    state, _ = reported(**V3)
    send(state, "analyze", 30, category="E1", severity="重大")
    office = window(state, "W-AUTH")
    assert office.owed_by == ["office"] and office.deadline == at(5)
    own = window(state, "W-AUTH", "u1")
    assert own.deadline == at(35) and not own.statutory
    effects = expire(state, "W-AUTH")
    assert not deliveries(effects, "urge") and deliveries(effects, "office_overdue")
    assert state.status.assignment("u1").urged_at is None


def test_a_hold_an_upgrade_before_the_deadline_leaves_the_window_the_units():
    state, _ = reported(**V3)
    send(state, "analyze", 3, category="E1", severity="重大")
    assert window(state, "W-AUTH").owed_by == ["u1"] and window(state, "W-AUTH", "u1") is None


def test_e_account_no_recommendation_when_only_the_offices_miss_is_left():
    """问责 concerns units (SPEC §7): with no unit still late, the office's own miss never
    sets off a recommendation that names nobody."""
    from tests.domain.procedure.drive import grace_ends, graces, timeline
    state, _ = reported(analysed=False, **V3)
    send(state, "analyze", 50, category="R2", severity="一般",
         units=[{"unit_id": "u1", "name": "住建局", "lead": True}])
    expire(state, "W-RESP")  # the office's miss (A-HOLD)
    [urge_grace] = graces(expire(state, "W-RESP", "u1"))
    [supervise_grace] = graces(grace_ends(state, urge_grace, 110))
    assert state.status.escalation.value == "supervised"
    send(state, "return_assignment", 111, unit_id="u1", reason="非本单位职责")
    grace_ends(state, supervise_grace, 200)
    assert not state.status.accountability_recommended
    assert not timeline(state, "recommend_accountability")
