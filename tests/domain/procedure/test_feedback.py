"""情况反馈 (004 二(四)): feedback meets W-HANDLE; review closes or sends back (退回重办)."""

from domain.procedure.step import CancelGraces
from tests.domain.procedure.drive import (
    armed, at, refused, reported, send, window,
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
