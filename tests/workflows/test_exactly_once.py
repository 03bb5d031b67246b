"""Exactly once (issue #20): a retry is taken once, a reused id with other content is
refused with a reason (signal and update alike), ids are derived from the content when
the caller gives none, and a sender whose wait was cut off learns that it was applied."""

import pytest

from starter.api import MessageRefused, send_message, with_message_id
from tests.workflows.scenario import entries, refusals, report

INSTRUCTION = {"actor": "市领导", "text": "请尽快处置", "message_id": "L-1"}


async def test_a_reused_message_id_with_other_content_is_refused(env, worker, incident_id):
    incident = await report(env, incident_id)
    await send_message(env.client, incident_id, "leader_instruction", INSTRUCTION)
    await incident.handle.signal("leader_instruction", {**INSTRUCTION, "text": "问责已撤销"})
    status = await incident.status()
    assert status.refused_total == 1 and "L-1" in refusals(status, "leader_instruction")[0]
    with pytest.raises(MessageRefused, match="内容不同"):
        await send_message(env.client, incident_id, "leader_instruction",
                           {**INSTRUCTION, "text": "问责已撤销"})
    again = await send_message(env.client, incident_id, "leader_instruction", INSTRUCTION)
    status = await incident.status()
    assert len(entries(status, "leader_instruction")) == 1 and again.message == "leader_instruction"


async def test_without_an_id_the_same_content_is_one_message(env, worker, incident_id):
    incident = await report(env, incident_id)
    message = {"actor": "市领导", "text": "妥善处置"}
    first = await send_message(env.client, incident_id, "leader_instruction", message)
    retry = await send_message(env.client, incident_id, "leader_instruction", message)
    assert retry == first
    assert len(entries(await incident.status(), "leader_instruction")) == 1
    own = await send_message(env.client, incident_id, "leader_instruction", message,
                             message_id="caller-7")
    assert len(entries(await incident.status(), "leader_instruction")) == 2 and own.effects
    assert with_message_id("A", "withdraw", {"x": 1}) == with_message_id("A", "withdraw", {"x": 1})
    assert with_message_id("A", "withdraw", {"x": 1}) != with_message_id("B", "withdraw", {"x": 1})


async def test_an_update_applied_before_the_incident_closed_is_reported_applied(
        env, worker, incident_id):
    """The caller's wait was cut off and it retries on a closed incident: the server says
    "already completed", the incident's record says it was taken, so it was applied."""
    await report(env, incident_id, category="R4")
    withdraw = {"actor": "网信办", "reason": "重复舆情", "message_id": "W-1"}
    first = await send_message(env.client, incident_id, "withdraw", withdraw)
    again = await send_message(env.client, incident_id, "withdraw", withdraw)
    assert again.stage == first.stage and again.message == "withdraw"
