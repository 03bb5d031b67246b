"""domain.engine.intake: a message taken, repeated or refused, as the workflow takes it."""

import pytest

from domain.engine import intake
from domain.engine.step import Refusal

from tests.domain.procedure.drive import ACTOR, context, reported


def ack(message_id: str | None = None, unit_id: str = "u1") -> tuple[dict, ...]:
    payload = {"actor": ACTOR, "unit_id": unit_id}
    return (payload | {"message_id": message_id},) if message_id else (payload,)


def test_an_update_is_applied_and_answered_with_its_receipt():
    state, _ = reported()
    taken = intake.take(state, "acknowledge", ack("m-1"), context(1), update=True)
    assert taken.refusal is None and not taken.repeated
    assert taken.receipt.message == "acknowledge" and taken.receipt.stage.value == "handling"
    assert [e.action for e in taken.receipt.effects] == ["acknowledge"]


def test_a_retry_changes_nothing_and_gets_the_first_receipt():
    state, _ = reported()
    first = intake.take(state, "acknowledge", ack("m-1"), context(1), update=True)
    before = state.model_copy(deep=True)
    again = intake.take(state, "acknowledge", ack("m-1"), context(2), update=True)
    assert again.repeated and again.receipt == first.receipt and again.effects == []
    assert state == before
    assert intake.take(state, "acknowledge", ack("m-1"), context(2), update=False).repeated


def test_a_refusal_is_recorded_and_changes_nothing_else():
    state, _ = reported()
    taken = intake.take(state, "acknowledge", ack(unit_id="nobody"), context(1), update=False)
    assert taken.refusal and taken.effects == [] and taken.receipt is None
    [rejected] = state.status.rejected_inputs
    assert rejected.message == "acknowledge" and rejected.reason == taken.refusal.reason


def test_an_update_is_checked_without_changing_the_incident():
    state, _ = reported()
    before = state.model_copy(deep=True)
    intake.check_update(state, "acknowledge", ack(), context(1), opened=True)
    with pytest.raises(Refusal):
        intake.check_update(state, "acknowledge", ack(unit_id="nobody"), context(1), opened=True)
    intake.check_update(state, "acknowledge", ack(unit_id="nobody"), context(1), opened=False)
    with pytest.raises(Refusal):  # its form is checked before the incident is open
        intake.check_update(state, "acknowledge", ({"unit_id": 3},), context(1), opened=False)
    assert state == before


def test_unknown_messages_and_cancellation_requests_are_refused_on_the_record():
    state, _ = reported()
    reason = intake.refuse_unknown(state, "fax_the_form", ({"actor": ACTOR},), context(1).now)
    intake.refuse_cancellation(state, context(2).now)
    assert [(r.message, r.actor) for r in state.status.rejected_inputs] == [
        ("fax_the_form", ACTOR), ("cancel", None)]
    assert "fax_the_form" in reason and state.status.timeline[-1].action == "cancel_refused"
