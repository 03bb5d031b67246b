"""Bad input (README, "Operating safely"): a malformed or not-allowed message never stalls
or fails the incident.

Each is refused with a clear reason in ``status.rejected_inputs``; the workflow keeps running
and applies the next good message.
"""

import asyncio
from datetime import datetime, timezone

import pytest
from temporalio import activity
from temporalio.service import RPCError

from temporal.names import workflow_id_for
from domain.notifications import AssignmentForm, Delivery, Notification, RumourTransfer
from starter.api import incident_status
from tests.support.worker import incident_worker
from tests.workflows.scenario import (
    ACTOR, UNIT, assigned, refusals, report, start_payload, status,
)
from tests.workflows.updates import ACK, BAD_INPUT, RESPONSE
from workflows import IncidentWorkflow


@pytest.mark.parametrize("case", list(BAD_INPUT))
async def test_bad_message_refused_and_next_good_one_applied(env, worker, incident_id, case):
    """Refused with the reason; the incident is unchanged, running, and takes the next ack."""
    name, payloads, fragment = BAD_INPUT[case]
    incident = await report(env, incident_id)
    await incident.delivered()  # receipts land when the channels answer
    before = await incident.status()
    await incident.send_raw(name, *payloads)
    after = await incident.status()
    assert [r.message for r in after.rejected_inputs] == [name]
    assert fragment in after.rejected_inputs[0].reason
    assert after.timeline == before.timeline and after.assignments == before.assignments
    assert await incident.running()

    await incident.send("acknowledge", unit_id=UNIT)
    status = await incident.status()
    assert status.assignment(UNIT).state.value == "acknowledged"
    assert len(status.rejected_inputs) == 1


async def test_refusal_records_the_actor(env, worker, incident_id):
    """rejected_inputs names who sent the refused message (the UI records no identity)."""
    incident = await report(env, incident_id)
    await incident.send_raw("acknowledge", {"unit_id": "u-x", "actor": "区住建局 王五"})
    assert (await incident.status()).rejected_inputs[0].actor == "区住建局 王五"


async def test_acknowledge_twice(env, worker, incident_id):
    """A second acknowledge is refused; the first signing time stands; next message applies."""
    incident = await assigned(env, incident_id)
    first = (await incident.status()).assignment(UNIT).acknowledged_at
    await incident.at(minutes=30)
    await incident.send("acknowledge", unit_id=UNIT)
    status = await incident.status()
    assert len(refusals(status, "acknowledge")) == 1
    assert status.assignment(UNIT).acknowledged_at == first
    await incident.send_raw("record_response", RESPONSE)
    assert (await incident.status()).assignment(UNIT).state.value == "responded"


async def test_messages_while_closing_are_refused_with_reason(env, incident_id, tmp_path):
    """A message reaching a closed incident (its last notice still going out) is refused with
    a reason recorded in the final status, and not applied.

    Runs its own worker whose notification activity is held open, so the incident stays
    open after ``withdraw`` long enough to receive the next messages deterministically.
    """
    release = asyncio.Event()

    @activity.defn(name="send_notification")
    async def held_notification(notification: Notification) -> Delivery:
        await release.wait()
        return Delivery(key=notification.key, channels=[], location="held",
                        delivered_at=datetime.now(timezone.utc))

    @activity.defn(name="issue_assignment_form")
    async def issue_form(form: AssignmentForm) -> Delivery:
        return Delivery(key=form.form_id, channels=[], location="-",
                        delivered_at=datetime.now(timezone.utc))

    @activity.defn(name="transfer_rumour_case")
    async def transfer(case: RumourTransfer) -> Delivery:
        return Delivery(key=case.key, channels=[], location="-",
                        delivered_at=datetime.now(timezone.utc))

    queue = f"yuqing-closing-{incident_id}"
    async with incident_worker(env.client, tmp_path, task_queue=queue,
                               activities=[held_notification, issue_form, transfer]):
        now = await env.get_current_time()
        handle = await env.client.start_workflow(
            IncidentWorkflow.run, start_payload(incident_id, now, category="R4"),
            id=workflow_id_for(incident_id), task_queue=queue)
        await handle.signal("withdraw", {"actor": ACTOR, "reason": "重复交办"})
        await handle.signal("acknowledge", ACK)
        await handle.signal("acknowledge", "签收")
        for _ in range(100):  # real-time poll: the held activity keeps the clock still
            current = await incident_status(env.client, incident_id)
            if len(current.rejected_inputs) == 2:
                break
            await asyncio.sleep(0.05)
        release.set()
        final = await handle.result()
    assert final.stage.value == "withdrawn"
    assert [r.message for r in final.rejected_inputs] == ["acknowledge", "acknowledge"]
    assert "不再接受" in final.rejected_inputs[0].reason
    assert final.assignment(UNIT).state.value == "assigned"


async def test_messages_after_close_are_refused(env, worker, incident_id):
    """Once the workflow has completed, the server refuses further messages; the final status
    (still queryable) is unchanged."""
    incident = await report(env, incident_id, category="R4")
    await incident.send("withdraw", reason="重复交办")
    final = await incident.handle.result()
    with pytest.raises(RPCError, match="(?i)complete"):
        await incident.send("acknowledge", unit_id=UNIT)
    after = await status(env, incident_id)
    assert after.stage.value == "withdrawn"
    assert after.timeline == final.timeline
    assert after.assignment(UNIT).state.value == "assigned"
