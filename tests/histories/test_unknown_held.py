"""Workflow version 8 recorded: an unknown signal that rode with the start (so came while the
deployment's settings were read) was held until the incident opened, then refused; the
opening task upserted nothing, as a report without it (tests/workflows/test_unknown_before_open.py
shows version 7 on the same shape)."""

from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from workers.audit.replay import replay_all, status_from_history

RECORDED = Path(__file__).parent / "unknown-held-routine-nantong.json"


async def test_the_unknown_signal_before_the_opening_was_refused_after_it_and_replays():
    history = WorkflowHistory.from_json(RECORDED.stem, RECORDED.read_text("utf-8"))
    kinds = [e.event_type for e in history.events]
    first_task = kinds.index(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    signaled = history.events[kinds.index(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)]
    assert signaled.workflow_execution_signaled_event_attributes.signal_name == "no_such_message"
    assert kinds.index(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) < first_task
    upserted = [e.upsert_workflow_search_attributes_event_attributes.workflow_task_completed_event_id
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]
    assert history.events[first_task].event_id not in upserted  # the opening shows nothing
    status = await status_from_history(history)
    [refused] = status.rejected_inputs
    assert refused.message == "no_such_message" and refused.actor == "误发的后台"
    opened = next(e.at for e in status.timeline if e.action == "deployment_settings")
    assert refused.at >= opened  # refused once the incident had opened
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error
