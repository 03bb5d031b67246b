"""Exactly once for the incident's life (issue #20): ids remembered as digests, across
continue-as-new, and an id reused for different content refused with a reason."""

import pytest

from domain.engine import message_ids
from domain.engine.step import Refusal
from domain.status import MessageReceipt
from tests.domain.procedure.drive import at, reported
from domain.engine.continuation import Continued, carry, continued_from
from tests.domain.procedure.drive import start as core_start

INSTRUCTION = {"actor": "市领导", "text": "请尽快处置", "message_id": "L-1"}


def taken(state, name, payload, receipt=None):
    assert not message_ids.repeated(state, name, (payload,))
    message_ids.remember(state, name, (payload,), receipt)


def test_a_retry_is_recognised_and_a_reuse_with_other_content_is_refused():
    state, _ = reported()
    taken(state, "leader_instruction", INSTRUCTION)
    reordered = dict(reversed(list(INSTRUCTION.items())))  # key order does not count
    assert message_ids.repeated(state, "leader_instruction", (reordered,))
    with pytest.raises(Refusal, match="L-1.*另一条内容不同"):
        message_ids.repeated(state, "leader_instruction", ({**INSTRUCTION, "text": "撤销"},))
    with pytest.raises(Refusal):
        message_ids.repeated(state, "supervise", ({**INSTRUCTION, "reason": "x"},))


def test_ids_outlive_thousands_of_others_and_a_continue_as_new():
    state, _ = reported()
    taken(state, "leader_instruction", INSTRUCTION)
    for i in range(3_000):
        taken(state, "acknowledge", {"actor": "a", "unit_id": "u1", "message_id": f"m-{i}"})
    carried = continued_from(carry(Continued(start=core_start(), state=state))).state
    assert message_ids.repeated(carried, "leader_instruction", (INSTRUCTION,))
    assert message_ids.was_taken(carried, "m-2999") and not message_ids.was_taken(carried, "m-x")
    assert len(carried.message_digests) <= 16 * message_ids.MESSAGE_IDS_KEPT


def test_only_the_newest_receipts_are_kept_and_ids_from_an_older_release_still_count():
    state, _ = reported()
    receipt = MessageReceipt(message="acknowledge", accepted_at=at(1), stage="handling",
                             escalation="none")
    for i in range(message_ids.RECEIPTS_KEPT + 5):
        taken(state, "acknowledge", {"actor": "a", "unit_id": "u1", "message_id": f"r-{i}"},
              receipt)
    assert len(state.message_ids) == message_ids.RECEIPTS_KEPT
    assert message_ids.receipt_of(state, f"r-{message_ids.RECEIPTS_KEPT + 4}") == receipt
    older, _ = reported()
    older.message_ids = {"legacy-1": None}  # carried by a release without digests
    assert message_ids.repeated(older, "withdraw", ({"actor": "x", "reason": "r",
                                                     "message_id": "legacy-1"},))
