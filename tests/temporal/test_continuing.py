"""temporal/continuing.py: what a run counts toward its hand-over, and when it hands over
(with what Temporal tells the run stubbed). On a server: tests/workflows/test_hostile_input.py
(a flood past ``max_signals``) and the recorded continued runs in tests/histories."""

from dataclasses import dataclass

import pytest

from domain.limits import MAX_HISTORY_BYTES_PER_RUN
from domain.messages import RunBudget
from temporal.continuing import RunMeter


def test_every_message_is_counted_with_its_bytes():
    meter = RunMeter(RunBudget(max_signals=10))
    for size in (120, 80):
        meter.count(size)
    assert (meter.messages, meter.message_bytes) == (2, 200)


@dataclass(frozen=True)
class Told:
    """What ``workflow.info()`` tells a run of its history (the methods ``hand_over_due`` reads)."""

    suggested: bool = False
    events: int = 100
    history_bytes: int = 20_000

    def is_continue_as_new_suggested(self) -> bool:
        return self.suggested

    def get_current_history_length(self) -> int:
        return self.events

    def get_current_history_size(self) -> int:
        return self.history_bytes


@pytest.mark.parametrize("told, message_bytes, due", [
    (Told(), 1_000, False),
    (Told(), MAX_HISTORY_BYTES_PER_RUN + 1, True),  # messages the history has not counted yet
    (Told(history_bytes=MAX_HISTORY_BYTES_PER_RUN + 1), 1_000, True),
    (Told(suggested=True), 1_000, True),  # the SDK's suggestion, whatever the counts
], ids=["quiet", "message-bytes", "history-bytes", "sdk-suggests"])
def test_a_run_hands_over_past_its_bytes_or_when_the_sdk_suggests(told, message_bytes, due,
                                                                  monkeypatch):
    monkeypatch.setattr("temporal.continuing.workflow.info", lambda: told)
    meter = RunMeter(RunBudget(max_signals=10))
    meter.count(message_bytes)
    assert meter.hand_over_due() is due
