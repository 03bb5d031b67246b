"""Where the incident stands after a step: stage, next deadline, receipt, the fitted status.

Mirrors the receipts of tests/workflows/test_updates.py, on ``derive_stage``, ``refresh``,
``receipt`` and ``fitted_to_payload`` (``domain.engine.standing``); what the list shows of it is
tests/temporal/test_search_attribute_values.py.
"""

import pytest

from domain.engine.standing import derive_stage, receipt, refresh
from domain.status import AssignmentState, Stage
from tests.domain.procedure.drive import (
    ACTOR, at, expire, reported, send, shown, unit,
)

# ------------------------------------------------------------ derive_stage

@pytest.mark.parametrize("assignment_states, stage", [
    (["assigned"], "assignment"),
    (["assigned", "acknowledged"], "assignment"),  # the least advanced decides
    (["assigned", "feedback_submitted"], "assignment"),
    (["acknowledged"], "handling"),
    (["responded"], "handling"),
    (["acknowledged", "feedback_submitted"], "handling"),
    (["responded", "completed"], "handling"),
    (["feedback_submitted"], "feedback"),
    (["feedback_submitted", "completed"], "feedback"),
    (["feedback_submitted", "returned"], "feedback"),
    (["returned"], "analysis"),  # all returned: awaiting reassignment
    (["returned", "returned"], "analysis"),
    (["completed", "returned"], "analysis"),  # no active assignment left
])
def test_the_stage_follows_the_least_advanced_active_assignment(assignment_states, stage):
    state, _ = reported(units=tuple(f"u{i}" for i in range(len(assignment_states))))
    for assignment, value in zip(state.status.assignments, assignment_states):
        assignment.state = AssignmentState(value)
    assert derive_stage(state.status) == Stage(stage)


def test_an_unanalysed_incident_is_in_analysis():
    state, _ = reported(analysed=False)
    assert derive_stage(state.status) == Stage.ANALYSIS


@pytest.mark.parametrize("final", [Stage.CLOSED, Stage.WITHDRAWN])
def test_a_final_stage_stays_whatever_the_assignments(final):
    state, _ = reported()
    state.status.stage = final
    assert derive_stage(state.status) == final


def test_the_stage_through_the_procedure():
    """test_w_ack / test_all_returned…: 交办 → 办理 → 反馈 → 办结, as the steps go."""
    state, _ = reported(units=("u1", "u2"))
    assert shown(state).stage.value == "assignment"
    send(state, "acknowledge", 1, unit_id="u1")
    assert shown(state).stage.value == "assignment"  # waits for u2
    send(state, "acknowledge", 1, unit_id="u2")
    assert shown(state).stage.value == "handling"
    send(state, "submit_feedback", 2, unit_id="u1", summary="已处理", resolved=True)
    assert shown(state).stage.value == "handling"
    send(state, "submit_feedback", 2, unit_id="u2", summary="已处理", resolved=True)
    assert shown(state).stage.value == "feedback"
    send(state, "review_feedback", 3, unit_id="u1", accepted=True)
    send(state, "review_feedback", 3, unit_id="u2", accepted=True)
    assert shown(state).stage.value == "closed"


# ------------------------------------------------------------ refresh

def test_refresh_sets_the_next_pending_deadline_and_overdue():
    """NextDeadline is the earliest pending window; Overdue while a miss is unresolved."""
    state, _ = reported()
    status = shown(state)
    assert (status.next_deadline, status.overdue) == (at(2), False)  # W-ACK
    expire(state, "W-ACK", "u1")
    status = shown(state)
    assert (status.next_deadline, status.overdue) == (at(48), True)  # W-RESP next
    send(state, "acknowledge", 3, unit_id="u1")  # late: the miss is resolved
    assert shown(state).overdue is False


def test_refresh_of_a_closed_incident_has_no_deadline_and_is_never_overdue():
    state, _ = reported(category="R4")
    expire(state, "W-ACK", "u1")
    assert shown(state).overdue is True
    send(state, "withdraw", 3, reason="重复交办")
    status = shown(state)
    assert (status.stage.value, status.next_deadline, status.overdue) == ("withdrawn", None, False)


# ------------------------------------------------------------ receipt (受理回执)

def test_a_receipt_lists_only_what_the_message_did():
    """test_accepted_update_answers_with_a_receipt: the acknowledge entry alone, the stage
    and next deadline as published after it."""
    state, _ = reported()
    before = len(state.status.timeline)
    send(state, "acknowledge", 1, unit_id="u1")
    status = shown(state)
    made = receipt(status, "acknowledge", at(1), before)
    assert (made.message, made.accepted_at) == ("acknowledge", at(1))
    assert [(e.action, e.unit_id, e.actor) for e in made.effects] == [("acknowledge", "u1", ACTOR)]
    assert (made.stage.value, made.escalation.value) == ("handling", "none")
    assert (made.next_deadline, made.overdue) == (status.next_deadline, False) == (at(48), False)


def test_a_receipt_lists_every_entry_of_the_step_in_order():
    state, _ = reported()
    before = len(state.status.timeline)
    send(state, "analyze", 1, units=[unit("u2")])
    made = receipt(shown(state), "analyze", at(1), before)
    assert [(e.action, e.rule) for e in made.effects] == [
        ("reanalyze", None), ("routing", "R-5"), ("issue_form", "R-5")]


def test_a_receipt_of_a_message_that_changed_nothing_is_empty():
    """An identical report again (重复报送) leaves no timeline entry: the receipt says so."""
    state, _ = reported()
    before = len(state.status.timeline)
    send(state, "add_report", 1, report={"platform": "人民网地方领导留言板",
                                         "url": "https://example.org/t/1",
                                         "detected_at": at(0).isoformat()})
    made = receipt(shown(state), "add_report", at(1), before)
    assert made.effects == [] and made.stage.value == "assignment"


def test_refresh_is_what_the_receipt_reads():
    """receipt() reads the status as it stands: without refresh the stage is stale."""
    state, _ = reported()
    refresh(state.status)
    before = len(state.status.timeline)
    send(state, "acknowledge", 1, unit_id="u1")
    assert receipt(state.status, "acknowledge", at(1), before).stage.value == "assignment"
    refresh(state.status)
    assert receipt(state.status, "acknowledge", at(1), before).stage.value == "handling"


def test_a_status_too_big_for_one_payload_keeps_its_newest_timeline_and_counts_the_rest():
    """The final status (the workflow's result) always fits the server's payload cap."""
    from domain.engine.standing import fitted_to_payload
    state, _ = reported()
    for hour in range(1, 400):
        send(state, "leader_instruction", hour / 10, text="请抓紧办理" * 100)
    status = state.status
    small = fitted_to_payload(status, 100_000)
    assert len(small.model_dump_json().encode()) <= 100_000
    assert small.timeline[0] == status.timeline[0] and small.timeline[-1] == status.timeline[-1]
    assert small.timeline_omitted == len(status.timeline) - len(small.timeline) > 0
    assert fitted_to_payload(status, 10_000_000) is status
