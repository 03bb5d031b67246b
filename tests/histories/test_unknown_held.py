"""Workflow version 8 recorded: an unknown signal that rode with the start (so came while the
deployment's settings were read) was held until the incident opened, then refused; the
opening task upserted nothing, as a report without it (tests/workflows/test_unknown_before_open.py
shows version 7 on the same shape)."""

from temporalio.api.enums.v1 import EventType

from tests.support.history_parts import load
from workers.audit.replay import replay_all, status_from_history
from workflows import loop

RECORDED = "unknown-held-routine-nantong"


async def test_the_unknown_signal_before_the_opening_was_refused_after_it_and_replays():
    history = load(RECORDED)
    kinds = [e.event_type for e in history.events]
    first_task = kinds.index(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    signaled_at = kinds.index(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
    signaled = history.events[signaled_at]
    assert signaled.workflow_execution_signaled_event_attributes.signal_name == "no_such_message"
    assert signaled_at < first_task
    upserted = [e.upsert_workflow_search_attributes_event_attributes.workflow_task_completed_event_id
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]
    assert history.events[first_task].event_id not in upserted  # the opening shows nothing
    status = await status_from_history(history)
    [refused] = status.rejected_inputs
    assert refused.message == "no_such_message" and refused.actor == "误发的后台"
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


async def test_the_history_depends_on_the_version_8_gate(monkeypatch):
    """Replayed with the gate forced off (version 7's way), the recorded history no longer
    matches: the refusal at once upserts the unopened incident, and the history has the opened
    incident's first command there (its 交办单 sent, event 7). The replay runs in this
    process, unsandboxed, as the worker does by default, so the patched gate is the one the
    loop reads."""
    history = load(RECORDED)
    monkeypatch.setattr(loop, "holds_unknown_until_open", lambda version: False)
    [outcome] = await replay_all([history], sandboxed=False)
    assert not outcome.ok and "Nondeterminism" in outcome.error, outcome.error
    assert "UpsertWorkflowSearchAttributes" in outcome.error
    assert (outcome.diverged_at_event, outcome.diverged_event_type) == \
        (7, "ACTIVITY_TASK_SCHEDULED")
