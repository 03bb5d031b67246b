"""Continue-as-new (续跑) through Temporal: what a run was started with, when it hands over
(``RunMeter``), and the handing over. What one run carries to the next, and the caps it
keeps well under, are the core's (``domain.engine.continuation``); here, what Temporal
tells a run of itself. Workflow code: called on the workflow's thread, in a running workflow.
"""

from typing import Any, NoReturn

from temporalio import workflow
from temporalio.common import RawValue

from domain.engine.continuation import Continued, continued_from, due
from domain.messages import RunBudget


def started_with(start: RawValue) -> tuple[Any, Continued | None]:
    """The run's input as it came, and the carried state when this run truly continues an
    earlier one: an input shaped like a carried state that begins a new incident is a
    start like any other (and refused as one)."""
    payload = workflow.payload_converter().from_payloads([start.payload])[0]
    return payload, continued_from(payload) if workflow.info().continued_run_id else None


class RunMeter:
    """What this run took toward Temporal's caps on one run, beside what the SDK reports: the
    messages (signals and updates, each counted as it comes) and their bytes."""

    __slots__ = ("budget", "messages", "message_bytes")

    def __init__(self, budget: RunBudget) -> None:
        self.budget = budget
        self.messages = 0
        self.message_bytes = 0

    def count(self, size: int) -> None:
        self.messages += 1
        self.message_bytes += size

    def hand_over_due(self) -> bool:
        """Whether this run hands over now (``continuation.due``, or the SDK suggests it); the
        messages' own bytes count too: the history grows by them before a task reports it."""
        info = workflow.info()
        return info.is_continue_as_new_suggested() or due(
            self.budget, info.get_current_history_length(),
            max(info.get_current_history_size(), self.message_bytes), self.messages)


def hand_over(carried: dict[str, str], run: int, messages: int) -> NoReturn:
    """Continued as new with ``carried`` (``continuation.carry``) as run number ``run``."""
    workflow.logger.info("continue_as_new", extra={  # "signals": the key both shells log
        "run": run, "signals": messages,  # (updates counted too)
        "events": workflow.info().get_current_history_length()})
    workflow.continue_as_new(carried)
