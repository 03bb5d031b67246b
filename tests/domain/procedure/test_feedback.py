"""情况反馈 (004 二(四)): feedback meets W-HANDLE; review closes or sends back (退回重办)."""

from domain.engine.step import CancelGraces
from tests.domain.procedure.drive import (
    armed, at, expire, grace_ends, graces, refused, reported, send, shown, window,
)


def with_feedback(resolved=True, **start):
    state, _ = reported(**start)
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")
    send(state, "submit_feedback", 10, unit_id="u1", summary="已办理", resolved=resolved)
    return state


def test_feedback_meets_w_handle():
    state = with_feedback()
    assert window(state, "W-HANDLE", "u1").met_by == "submit_feedback"
    assert state.status.assignment("u1").state.value == "feedback_submitted"


def test_accepting_the_last_feedback_closes_the_incident():
    state = with_feedback()
    effects = send(state, "review_feedback", 11, unit_id="u1", accepted=True)
    assert state.status.stage.value == "closed" and state.status.closed_at == at(11)
    assert any(isinstance(e, CancelGraces) for e in effects)
    assert state.status.assignment("u1").feedback[-1].accepted is True


def test_a_key_response_incident_cannot_close_without_a_response_c_k():
    state, _ = reported(key_criteria=["K2"])
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 10, unit_id="u1", summary="已办理", resolved=True)
    assert refused(state, "review_feedback", 11, unit_id="u1", accepted=True) == (
        "重点回应舆情尚未回应，不能办结（C-K2 涉及公众切身利益且产生较大影响）")


def test_rework_after_the_deadline_gets_at_least_24_hours_with_the_patch():
    state = with_feedback()
    effects = send(state, "review_feedback", 80, unit_id="u1", accepted=False, comment="不彻底")
    assert window(state, "W-HANDLE", "u1").deadline == at(104)
    assert ("W-HANDLE", "u1", 1) in armed(effects)
    assert state.status.assignment("u1").state.value == "responded"


def test_rework_without_the_patch_keeps_the_old_deadline():
    state = with_feedback()
    send(state, "review_feedback", 80, unit_id="u1", accepted=False, patched=False)
    assert window(state, "W-HANDLE", "u1").deadline == at(72)


def test_rework_with_a_new_deadline_and_refusals():
    state = with_feedback()
    assert refused(state, "review_feedback", 11, unit_id="u1", accepted=False,
                   until=at(5).isoformat()) == "重办期限须晚于当前时间"
    send(state, "review_feedback", 11, unit_id="u1", accepted=False, until=at(30).isoformat())
    assert window(state, "W-HANDLE", "u1").deadline == at(30)
    assert refused(state, "review_feedback", 12, unit_id="u1", accepted=True).startswith(
        "单位 u1 的交办单当前为「已回应」")


# ------------------------------------------- 暂不具备办理条件 (004 二(四), SPEC §4)

def explained(expected_hours: float = 100):
    """The unit explains at 10 h it cannot yet handle the matter; the office accepts at 11 h."""
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 10, unit_id="u1", summary="待资金到位", resolved=False,
         expected_by=at(expected_hours).isoformat())
    effects = send(state, "review_feedback", 11, unit_id="u1", accepted=True)
    return state, effects


def test_an_explanation_needs_a_future_expected_date_before_it_is_accepted():
    """Without a date it is still feedback (W-HANDLE met), but the office cannot accept it;
    a date in the past is refused at once."""
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    assert "须晚于当前时间" in refused(state, "submit_feedback", 10, unit_id="u1",
                                     summary="待资金到位", resolved=False,
                                     expected_by=at(9).isoformat())
    send(state, "submit_feedback", 10, unit_id="u1", summary="待资金到位", resolved=False)
    assert window(state, "W-HANDLE", "u1").state.value == "met"
    assert "expected_by" in refused(state, "review_feedback", 11, unit_id="u1", accepted=True)
    send(state, "review_feedback", 11, unit_id="u1", accepted=False, comment="请补报预计办结时间")
    assert state.status.assignment("u1").state.value == "acknowledged"


def test_an_accepted_explanation_is_not_completion_and_moves_the_handling_deadline():
    """Accepted, the assignment is "explained" (已说明情况), the incident stays open and the
    expected date is the new W-HANDLE deadline; the original deadline stays on the row."""
    state, effects = explained()
    assignment = state.status.assignment("u1")
    assert assignment.state.value == "explained" and assignment.state.is_active
    assert shown(state).stage.value == "handling" and state.status.closed_at is None
    handle = window(state, "W-HANDLE", "u1")
    assert (handle.state.value, handle.deadline, handle.original_deadline) == (
        "pending", at(100), at(72))
    assert handle.met_at is None and ("W-HANDLE", "u1", 1) in armed(effects)
    assert not any(isinstance(e, CancelGraces) for e in effects)


def test_missing_the_expected_date_is_overdue_feedback_and_is_urged():
    state, _ = explained()
    effects = expire(state, "W-HANDLE", "u1")
    assert window(state, "W-HANDLE", "u1").state.value == "missed"
    assert state.status.escalation.value == "urged" and graces(effects)


def test_the_explained_unit_completes_later_and_the_incident_closes():
    state, _ = explained()
    send(state, "record_response", 20, unit_id="u1", channel="platform_reply", summary="已回复")
    send(state, "submit_feedback", 90, unit_id="u1", summary="已办结", resolved=True,
         outcome="difficulty_solved")
    send(state, "review_feedback", 91, unit_id="u1", accepted=True)
    assert state.status.stage.value == "closed"
    assert window(state, "W-HANDLE", "u1").state.value == "met"
    assert state.status.assignment("u1").feedback[-1].outcome.value == "difficulty_solved"


def test_rules_version_one_closed_on_an_accepted_explanation():
    state, _ = reported(patched=False)
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 10, unit_id="u1", summary="待资金到位", resolved=False)
    send(state, "review_feedback", 11, unit_id="u1", accepted=True)
    assert state.status.assignment("u1").state.value == "completed"
    assert state.status.stage.value == "closed"


def _explained_after_a_miss():
    """W-HANDLE (72 h) missed and urged; the unit explains at 80 h, accepted at 81 h."""
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    [grace] = graces(expire(state, "W-HANDLE", "u1"))
    send(state, "submit_feedback", 80, unit_id="u1", summary="待资金到位", resolved=False,
         expected_by=at(200).isoformat())
    send(state, "review_feedback", 81, unit_id="u1", accepted=True)
    return state, grace


def test_an_explanation_after_the_deadline_keeps_the_miss_on_record():
    state, _ = _explained_after_a_miss()
    handle = window(state, "W-HANDLE", "u1")
    assert (handle.state.value, handle.deadline, handle.missed_deadlines) == (
        "pending", at(200), [at(72)])


def test_an_accepted_explanation_stops_the_running_urge_grace():
    """Its deadline moved on: the 催办 grace ending finds nothing overdue, so no 督办."""
    state, grace = _explained_after_a_miss()
    assert grace_ends(state, grace, 96) == []
    assert state.status.escalation.value == "urged"


def test_missing_the_expected_date_after_an_earlier_miss_climbs_again():
    state, grace = _explained_after_a_miss()
    grace_ends(state, grace, 96)
    [again] = graces(expire(state, "W-HANDLE", "u1"))
    assert again.name == "urge:W-HANDLE:u1:1:1"
    assert grace_ends(state, again, 230) and state.status.escalation.value == "supervised"


def test_an_explanation_whose_date_has_passed_cannot_be_accepted():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 10, unit_id="u1", summary="待资金到位", resolved=False,
         expected_by=at(20).isoformat())
    assert "已过" in refused(state, "review_feedback", 30, unit_id="u1", accepted=True)
