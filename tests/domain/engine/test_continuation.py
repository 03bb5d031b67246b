"""domain.engine.continuation: what one run of an incident hands to the next (no server)."""

import random
import string

from domain.engine.continuation import Continued, carry, continued_from, due
from domain.limits import MAX_HISTORY_BYTES_PER_RUN, MAX_RESULT_BYTES
from domain.messages import RunBudget
from tests.domain.procedure.drive import reported, send, start


def test_the_next_run_gets_the_start_and_the_state_as_they_were():
    state, _ = reported()
    carried = continued_from(carry(Continued(start=start(), state=state, run=3)))
    assert carried == Continued(start=start(), state=state, run=3)


def test_the_first_carry_format_plain_json_is_still_read():
    state, _ = reported()
    plain = Continued(start=start(), state=state).model_dump(mode="json")
    assert continued_from({"continued": plain}) == Continued(start=start(), state=state)


def test_a_first_run_s_start_carries_nothing():
    assert continued_from({"incident_id": "I-1"}) is None and continued_from("签收") is None


def test_the_carried_state_always_fits_one_payload():
    """Even an enormous timeline of incompressible text is carried within the cap."""
    state, _ = reported()
    noise = random.Random(7)
    for i in range(3000):
        text = "".join(noise.choices(string.ascii_letters, k=480))
        send(state, "leader_instruction", 1 + i / 1000, text=text)
    payload = carry(Continued(start=start(), state=state))
    assert len(payload["continued"]) <= MAX_RESULT_BYTES
    restored = continued_from(payload)
    assert restored.state.status.timeline_omitted > 0
    assert restored.state.status.timeline[-1] == state.status.timeline[-1]


def test_a_run_hands_over_before_any_cap_of_its_budget():
    budget = RunBudget(max_signals=100, max_events=2_000)
    assert not due(budget, events=2_000, history_bytes=MAX_HISTORY_BYTES_PER_RUN, messages=100)
    assert due(budget, events=2_001, history_bytes=0, messages=0)
    assert due(budget, events=0, history_bytes=MAX_HISTORY_BYTES_PER_RUN + 1, messages=0)
    assert due(budget, events=0, history_bytes=0, messages=101)
