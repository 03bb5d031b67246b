"""Issue 4: every message (README, "Messages") is also a validated update with the same behaviour.

A refused update is rejected by its validator with the same reason a signal would record,
before anything reaches the history; an accepted one answers with a receipt. One
implementation serves both: the same scenario driven by signals and by updates ends in the
same incident.
"""

import pytest
from temporalio.client import WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy

from temporal.names import TASK_QUEUE, workflow_id_for
from domain.engine.registry import MESSAGE_DESCRIPTIONS, MESSAGE_MODELS
from domain.status import IncidentStatus, MessageReceipt
from temporal.handlers import SIGNAL_HINT, UPDATE_HINT
from tests.workflows.scenario import ACTOR, UNIT, Incident, refusals, report, start_payload
from tests.workflows.updates import BAD_INPUT, refused, update, update_events
from workflows import IncidentWorkflow


async def test_every_message_is_a_signal_and_an_update_with_its_description(
        env, worker, incident_id):
    """What the UI lists in "Send a Signal" and "Send an Update": all 15, described alike."""
    incident = await report(env, incident_id)
    metadata = await incident.handle.query("__temporal_workflow_metadata")
    definition = metadata.definition
    signals = {s.name: s.description for s in definition.signal_definitions}
    updates = {u.name: u.description for u in definition.update_definitions}
    assert set(MESSAGE_MODELS) <= set(signals)
    # the same description, and a hint that the update answers at once (issue #12)
    assert {name: updates[name] for name in MESSAGE_MODELS} == {
        name: MESSAGE_DESCRIPTIONS[name] + UPDATE_HINT for name in MESSAGE_MODELS}
    assert {name: signals[name] for name in MESSAGE_MODELS} == {
        name: MESSAGE_DESCRIPTIONS[name] + SIGNAL_HINT for name in MESSAGE_MODELS}


async def test_accepted_update_answers_with_a_receipt(env, worker, incident_id):
    incident = await report(env, incident_id)
    receipt = await update(incident, "acknowledge", {"unit_id": UNIT, "actor": ACTOR})
    assert receipt.message == "acknowledge"
    assert receipt.stage.value == "handling" and receipt.escalation.value == "none"
    assert [(e.action, e.unit_id, e.actor) for e in receipt.effects] == [
        ("acknowledge", UNIT, ACTOR)]
    status = await incident.status()
    assert status.assignment(UNIT).state.value == "acknowledged"
    assert receipt.next_deadline == status.next_deadline
    assert await update_events(incident) == ["EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED",
                                             "EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED"]


@pytest.mark.parametrize("case", list(BAD_INPUT))
async def test_bad_update_rejected_with_the_signal_reason_and_leaves_no_trace(
        env, worker, incident_id, case):
    """The validator refuses it with the reason a signal would get; nothing is written."""
    name, payloads, fragment = BAD_INPUT[case]
    incident = await report(env, incident_id)
    await incident.delivered()  # the 交办单's receipt lands when its channel answers
    before = await incident.status()
    assert before.notices
    refusal = await refused(incident, name, *payloads)
    assert fragment in refusal.message
    after = await incident.status()
    assert after == before and after.rejected_inputs == []
    assert await update_events(incident) == []
    assert await incident.running()

    await update(incident, "acknowledge", {"unit_id": UNIT, "actor": ACTOR})
    assert (await incident.status()).assignment(UNIT).state.value == "acknowledged"


async def test_update_refusal_matches_the_signal_refusal_word_for_word(env, worker, incident_id):
    incident = await report(env, incident_id)
    feedback = {"unit_id": UNIT, "actor": ACTOR, "summary": "已处理", "resolved": True}
    refusal = await refused(incident, "submit_feedback", feedback)
    await incident.send_raw("submit_feedback", feedback)
    assert refusals(await incident.status(), "submit_feedback") == [refusal.message]


async def test_update_to_a_closed_incident_is_rejected(env, worker, incident_id):
    incident = await report(env, incident_id, category="R4")
    receipt = await update(incident, "withdraw", {"actor": ACTOR, "reason": "重复交办"})
    assert receipt.stage.value == "withdrawn"
    refusal = await refused(incident, "acknowledge", {"unit_id": UNIT, "actor": ACTOR})
    assert "已撤销" in refusal.message


# One scenario, step by step: (message, fields), all from the same actor.
SCENARIO = [
    ("acknowledge", {"unit_id": UNIT}),
    ("acknowledge", {"unit_id": UNIT}),  # refused: already signed
    ("request_extension", {"unit_id": UNIT, "reason": "需现场核查", "until": "+96h"}),
    ("decide_extension", {"unit_id": UNIT, "approved": True}),
    ("record_response", {"unit_id": UNIT, "channel": "platform_reply", "summary": "已回复网民"}),
    ("leader_instruction", {"text": "尽快妥善处置"}),
    ("submit_feedback", {"unit_id": UNIT, "summary": "电梯已维修", "resolved": True}),
    ("review_feedback", {"unit_id": UNIT, "accepted": False, "comment": "请补充维修记录"}),
    ("submit_feedback", {"unit_id": UNIT, "summary": "已补充维修记录", "resolved": True}),
    ("review_feedback", {"unit_id": UNIT, "accepted": True}),
]


async def drive(incident: Incident, by_update: bool) -> IncidentStatus:
    for name, fields in SCENARIO:
        if fields.get("until") == "+96h":
            fields = {**fields, "until": incident.after(hours=96).isoformat()}
        payload = {"actor": ACTOR, **fields}
        if not by_update:
            await incident.send_raw(name, payload)
            continue
        try:
            await update(incident, name, payload)
        except WorkflowUpdateFailedError:
            pass  # the refused step of the scenario
    return await incident.handle.result()


def outline(status: IncidentStatus) -> dict:
    """The incident without its ids and clock times, which differ between two runs, nor the
    delivery receipts, which land when each channel answers."""
    return {
        "stage": status.stage, "escalation": status.escalation,
        "assignments": [(a.unit_id, a.state, len(a.feedback)) for a in status.assignments],
        "windows": [(w.id, w.unit_id, w.state, w.met_by) for w in status.windows],
        "timeline": [(t.actor, t.action, t.rule, t.unit_id) for t in status.timeline
                     if t.action != "notice_receipt"],
    }


async def test_signals_and_updates_give_the_same_incident(env, worker, incident_id):
    """One implementation serves both: only the refused step differs (no trace as an update)."""
    by_signal = await drive(await report(env, f"{incident_id}-signal"), by_update=False)
    by_update = await drive(await report(env, f"{incident_id}-update"), by_update=True)
    assert outline(by_update) == outline(by_signal)
    assert by_signal.stage.value == "closed"
    assert [r.message for r in by_signal.rejected_inputs] == ["acknowledge"]
    assert by_update.rejected_inputs == []


async def test_update_with_start_is_checked_against_the_started_incident(env, worker, incident_id):
    """Sent together with the report, the update sees the incident with its 研判 applied."""
    now = await env.get_current_time()
    start = start_payload(incident_id, now)
    operation = WithStartWorkflowOperation(
        IncidentWorkflow.run, start, id=workflow_id_for(incident_id), task_queue=TASK_QUEUE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)
    receipt = await env.client.execute_update_with_start_workflow(
        "acknowledge", {"unit_id": UNIT, "actor": ACTOR}, start_workflow_operation=operation,
        result_type=MessageReceipt)
    assert receipt.stage.value == "handling"

    other = f"{incident_id}-2"
    operation = WithStartWorkflowOperation(
        IncidentWorkflow.run, start_payload(other, now), id=workflow_id_for(other),
        task_queue=TASK_QUEUE, id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await env.client.execute_update_with_start_workflow(
            "acknowledge", {"unit_id": "u-nobody", "actor": ACTOR},
            start_workflow_operation=operation)
    assert "u-nobody" in str(failed.value.cause)
