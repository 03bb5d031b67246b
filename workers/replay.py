"""Replay recorded incident histories against the current code.

Two uses: proving a release still replays every recorded history (a
non-deterministic change shows as a failure naming the event where it
diverged), and rebuilding an incident's status from its history alone, for
audit reports on incidents whose worker state is long gone.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import History, HistoryEvent
from temporalio.client import WorkflowHistory
from temporalio.worker import (
    ExecuteWorkflowInput, Interceptor, Replayer, WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from domain.status import IncidentStatus
from workers.history_sources import AlteredHistory, HistorySource
from workers.replay_pool import Replayed, each_of, replay_sources, replayer


@dataclass
class ReplayOutcome:
    workflow_id: str
    run_id: str
    ok: bool
    error: str = ""
    diverged_at_event: int | None = None
    diverged_event_type: str = ""
    note: str = ""  # replayed, after a failure seen only beside other replays (said, not hidden)


def _prefix(history: WorkflowHistory, length: int) -> WorkflowHistory:
    return WorkflowHistory(history.workflow_id, History(events=history.events[:length]).events)


_EVENT_ID = re.compile(r"\bid: (\d+)")
_QUOTED = re.compile(r"'([^']+)'")


def _named_in(message: str, events: Sequence[HistoryEvent], first: int, end: int) -> int:
    """Among one task's command events, the one the SDK's message points at."""
    if match := _EVENT_ID.search(message):
        wanted = int(match.group(1))
        for i in range(first, end):
            if events[i].event_id == wanted:
                return i
    for token in _QUOTED.findall(message):
        for i in range(first, end):
            if token in str(events[i]):
                return i
    return first


async def _diverging_event(replayer: Replayer, history: WorkflowHistory,
                           message: str) -> tuple[int, str] | None:
    """The first recorded command event the current code no longer produces.

    The SDK says what mismatched but not where, so replay growing prefixes,
    each ending at a workflow task's start (so it holds the previous task's
    commands, and the replayer treats the last task as new): the first prefix
    that fails contains the divergence, at the first event after the previous
    task's completion.
    """
    events = history.events
    cuts = [i + 1 for i, e in enumerate(events)
            if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED]
    cuts.append(len(events))
    low, high = 0, len(cuts) - 1
    failing = None
    while low <= high:  # binary search: prefixes replay cleanly up to the divergence
        mid = (low + high) // 2
        result = await replayer.replay_workflow(_prefix(history, cuts[mid]),
                                                raise_on_replay_failure=False)
        if result.replay_failure is None:
            low = mid + 1
        else:
            failing, high = cuts[mid], mid - 1
    if failing is None:
        return None
    completed = [i for i in range(failing) if events[i].event_type ==
                 EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED]
    first = completed[-1] + 1 if completed and completed[-1] + 1 < failing else failing - 1
    event = events[_named_in(message, events, first, failing)]
    return event.event_id, EventType.Name(event.event_type).removeprefix("EVENT_TYPE_")


async def outcomes_of(sources: list[HistorySource], results: list[Replayed],
                      sandboxed: bool = False) -> list[ReplayOutcome]:
    """Verdicts in the sources' order; for a history that failed, the event where it diverged
    (read again for that: the clean ones were read once)."""
    outcomes = []
    for source, result in zip(sources, results):
        if result.altered is not None:
            outcomes.append(ReplayOutcome(source.workflow_id, result.run_id, False,
                                          f"AlteredHistory: {result.altered}"))
        elif result.failure is None:
            outcomes.append(ReplayOutcome(source.workflow_id, result.run_id, True,
                                          note=result.note))
        else:
            try:
                where = await _diverging_event(replayer(sandboxed), source.load(),
                                               result.failure_message)
            except AlteredHistory:  # changed since it was replayed: the failure still stands
                where = None
            outcomes.append(ReplayOutcome(source.workflow_id, result.run_id, False,
                                          result.failure, *(where or (None, ""))))
    return outcomes


async def replay_all(histories: Iterable[WorkflowHistory], *,
                     sandboxed: bool = False) -> list[ReplayOutcome]:
    """Replay every history, on every core once there are many; never raises for one that
    does not replay. Where a failing history diverged is searched afterwards, so the clean
    ones run at full speed. ``sandboxed``: in the SDK's sandbox too (the release guard)."""
    sources = [HistorySource.of(history) for history in histories]
    return await outcomes_of(sources, await replay_sources(sources, sandboxed=sandboxed),
                             sandboxed)


class StatusCapture(Interceptor):
    """Keeps a reference to the workflow instance being replayed, to read its state after."""

    def __init__(self) -> None:
        self.latest: Any = None

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput):
        capture = self

        class Inbound(WorkflowInboundInterceptor):
            async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
                capture.latest = workflow.instance()
                return await super().execute_workflow(input)

        return Inbound


async def statuses_from_histories(histories: list[WorkflowHistory]) -> list[IncidentStatus]:
    """Each incident's status as of its history's last event, rebuilt by replaying it
    (one replayer for them all). Raises ``RuntimeError`` for a history that does not replay."""
    capture = StatusCapture()
    statuses = []
    async with replayer(interceptors=[capture]).workflow_replay_iterator(
            each_of(histories)) as results:
        index = 0
        async for result in results:
            history, instance, capture.latest = histories[index], capture.latest, None
            index += 1
            if result.replay_failure is not None:
                raise RuntimeError(f"history of {history.workflow_id} does not replay: "
                                   f"{result.replay_failure}")
            if instance is None:
                raise RuntimeError(f"history of {history.workflow_id} never started the workflow")
            statuses.append(IncidentStatus.model_validate(instance.state.status.model_dump()))
    return statuses


async def status_from_history(history: WorkflowHistory) -> IncidentStatus:
    """The incident's status as of the history's last event, rebuilt by replaying it."""
    [status] = await statuses_from_histories([history])
    return status
