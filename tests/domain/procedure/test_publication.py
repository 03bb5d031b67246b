"""What the incident shows after a step: stage, deadlines, list attributes, receipt."""

from domain.procedure.publication import receipt, refresh, search_attribute_values
from tests.domain.procedure.drive import at, expire, reported, send


def test_stage_follows_the_least_advanced_assignment():
    state, _ = reported(units=("u1", "u2"))
    refresh(state.status)
    assert state.status.stage.value == "assignment"
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "acknowledge", 1, unit_id="u2")
    refresh(state.status)
    assert state.status.stage.value == "handling"


def test_next_deadline_overdue_and_attributes():
    state, _ = reported()
    refresh(state.status)
    values = search_attribute_values(state.status)
    assert values["NextDeadline"] == at(2) and values["Overdue"] is False
    assert values["ResponsibleUnits"] == ["u1"] and values["IncidentCategory"] == "R2"
    expire(state, "W-ACK", "u1")
    refresh(state.status)
    assert search_attribute_values(state.status)["Overdue"] is True


def test_a_receipt_lists_only_what_the_message_did():
    state, _ = reported()
    before = len(state.status.timeline)
    send(state, "acknowledge", 1, unit_id="u1")
    refresh(state.status)
    made = receipt(state.status, "acknowledge", at(1), before)
    assert [e.action for e in made.effects] == ["acknowledge"] and made.stage.value == "handling"
