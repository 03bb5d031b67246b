"""Estimate Temporal Cloud billable actions from a workflow's event history.

Follows Temporal Cloud's action categories: a workflow start, each signal,
each timer, each activity attempt, each search-attribute upsert, each marker
(local activity, side effect) and each accepted update is one action; a
signal-with-start that starts the workflow is counted as two (start + signal).
Queries are billed per call and leave no event, so callers add their own.
"""

from collections import Counter

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

_ONE_ACTION = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: "workflow started",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: "signal",
    EventType.EVENT_TYPE_TIMER_STARTED: "timer",
    EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: "search-attribute upsert",
    EventType.EVENT_TYPE_MARKER_RECORDED: "marker (local activity / side effect)",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: "update",
    EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED: "workflow properties modified",
}


def count_actions(history: WorkflowHistory) -> Counter[str]:
    counts: Counter[str] = Counter()
    for event in history.events:
        if event.event_type in _ONE_ACTION:
            counts[_ONE_ACTION[event.event_type]] += 1
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            # every attempt is billed; a retried activity shows attempt > 1
            counts["activity attempt"] += event.activity_task_started_event_attributes.attempt
    return counts
