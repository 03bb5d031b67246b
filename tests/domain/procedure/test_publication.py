"""What the incident shows after a step: stage, next deadline, list attributes, receipt.

Mirrors tests/workflows/test_search_attributes.py (the attributes follow the incident) and
the receipts of test_updates.py, on ``derive_stage``, ``refresh``,
``search_attribute_values`` and ``receipt``.
"""

from datetime import datetime, timedelta, timezone

import pytest

from domain.engine.standing import derive_stage, receipt, refresh
from temporal.search_attributes import NEXT_DEADLINE, search_attribute_values, shown_differs
from domain.status import AssignmentState, Stage
from tests.domain.procedure.drive import (
    ACTOR, at, expire, reported, send, shown, unit, window,
)

ATTRIBUTES = ["IncidentStage", "IncidentSeverity", "IncidentCategory", "EscalationLevel",
              "PolicyProfile", "ResponsibleUnits", "NextDeadline", "Overdue", "OverdueUnits",
              "OverdueWindows"]


def attributes(state) -> dict:
    """The list attributes as the workflow publishes them after a step."""
    return search_attribute_values(shown(state))


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


# ------------------------------------------------------------ search attributes

def test_the_attributes_of_a_new_analysed_incident():
    state, _ = reported(profile="liuzhou-2017", category="R2", severity="较大")
    assert attributes(state) == {
        "IncidentStage": "assignment", "IncidentSeverity": "较大", "IncidentCategory": "R2",
        "EscalationLevel": "none", "PolicyProfile": "liuzhou-2017", "ResponsibleUnits": ["u1"],
        "NextDeadline": at(2), "Overdue": False, "OverdueUnits": None,
        "OverdueWindows": None}
    assert list(attributes(state)) == ATTRIBUTES


def test_the_attributes_follow_the_incident():
    """test_attributes_follow_the_incident: start → sign → miss (E-URGE) → late response →
    a unit added and returned → feedback → closed."""
    state, _ = reported(profile="liuzhou-2017", category="R2", severity="较大")
    send(state, "acknowledge", 0.5, unit_id="u1")
    values = attributes(state)
    assert (values["IncidentStage"], values["NextDeadline"]) == ("handling", at(48))  # W-RESP

    expire(state, "W-RESP")
    values = attributes(state)
    assert (values["Overdue"], values["EscalationLevel"]) == (True, "urged")
    assert values["NextDeadline"] == at(72)  # W-HANDLE

    send(state, "record_response", 49, unit_id="u1", channel="platform_reply",
         summary="迟到的回复")
    values = attributes(state)
    assert (values["Overdue"], values["EscalationLevel"]) == (False, "urged")

    send(state, "analyze", 49.5, units=[unit("u-b")], severity="一般")
    values = attributes(state)
    assert (values["ResponsibleUnits"], values["IncidentSeverity"]) == (["u1", "u-b"], "一般")
    assert values["NextDeadline"] == window(state, "W-ACK", "u-b").deadline == at(51.5)

    send(state, "return_assignment", 50, unit_id="u-b", reason="非本单位职责")
    assert attributes(state)["ResponsibleUnits"] == ["u1"]

    send(state, "submit_feedback", 51, unit_id="u1", summary="已处理", resolved=True)
    assert attributes(state)["IncidentStage"] == "feedback"
    send(state, "review_feedback", 52, unit_id="u1", accepted=True)
    values = attributes(state)
    assert (values["IncidentStage"], values["Overdue"], values["NextDeadline"]) == (
        "closed", False, None)


def test_the_attributes_of_an_unanalysed_incident_are_unset_until_analysed():
    """test_attributes_of_unanalysed_incident: stage analysis, no units / category / severity
    (None: unset), W-ANALYZE next; the first 研判 sets them."""
    state, _ = reported(analysed=False)
    values = attributes(state)
    assert values["IncidentStage"] == "analysis" and values["NextDeadline"] == at(2)
    assert (values["ResponsibleUnits"], values["IncidentCategory"], values["IncidentSeverity"]) == (
        None, None, None)
    send(state, "analyze", 1, category="E1", severity="重大", units=[unit("u1", lead=True)])
    values = attributes(state)
    assert (values["IncidentStage"], values["IncidentCategory"], values["IncidentSeverity"],
            values["ResponsibleUnits"]) == ("assignment", "E1", "重大", ["u1"])


def test_the_escalation_level_follows_supervision_and_accountability():
    """test_supervision_and_accountability_levels."""
    state, _ = reported()
    send(state, "supervise", 1, reason="督查室督办")
    assert attributes(state)["EscalationLevel"] == "supervised"
    send(state, "start_accountability", 2, reason="问责")
    assert attributes(state)["EscalationLevel"] == "accountability"


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
    from domain.engine.standing import fitted
    state, _ = reported()
    for hour in range(1, 400):
        send(state, "leader_instruction", hour / 10, text="请抓紧办理" * 100)
    status = state.status
    small = fitted(status, 100_000)
    assert len(small.model_dump_json().encode()) <= 100_000
    assert small.timeline[0] == status.timeline[0] and small.timeline[-1] == status.timeline[-1]
    assert small.timeline_omitted == len(status.timeline) - len(small.timeline) > 0
    assert fitted(status, 10_000_000) is status


def test_a_next_deadline_within_a_minute_of_the_shown_one_is_not_upserted_again():
    shown = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    assert not shown_differs(NEXT_DEADLINE, shown, shown + timedelta(milliseconds=15), True)
    assert shown_differs(NEXT_DEADLINE, shown, shown + timedelta(minutes=1), True)
    assert shown_differs(NEXT_DEADLINE, None, shown, True)  # not shown yet
    assert shown_differs(NEXT_DEADLINE, shown, None, True)  # no deadline left
    # workflow version 1 upserts every change; other attributes always compare exactly
    assert shown_differs(NEXT_DEADLINE, shown, shown + timedelta(milliseconds=15), False)
    assert shown_differs("IncidentStage", "assignment", "handling", True)
    assert not shown_differs("Overdue", False, False, True)
