"""temporal/continuing.py: what a run counts toward its hand-over. When it hands over, on a
server: tests/workflows/test_hostile_input.py (a flood past ``max_signals``) and the recorded
continued runs in tests/histories."""

from domain.messages import RunBudget
from temporal.continuing import RunMeter


def test_every_message_is_counted_with_its_bytes():
    meter = RunMeter(RunBudget(max_signals=10))
    for size in (120, 80):
        meter.count(size)
    assert (meter.messages, meter.message_bytes) == (2, 200)
    assert meter.budget.max_signals == 10
