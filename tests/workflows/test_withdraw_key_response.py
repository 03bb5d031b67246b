"""C-K1…C-K5: a key-response incident must be responded to; it cannot end without a response."""

import pytest

from tests.workflows.scenario import UNIT, assigned, entries, refusals, report


async def test_key_response_cannot_be_withdrawn_without_response(env, worker, incident_id):
    """C-K2 declared at 研判: withdraw refused (reason names C-K2), still running; after
    record_response the withdraw is applied and the result is the final status (withdrawn)."""
    incident = await report(env, incident_id, category="R2", severity="较大", key_criteria=["K2"])
    await incident.send("withdraw", reason="无需回应")
    status = await incident.status()
    reasons = refusals(status, "withdraw")
    assert len(reasons) == 1 and "C-K2" in reasons[0]
    assert status.stage.value == "assignment" and await incident.running()

    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="已回应网民关切")
    await incident.send("withdraw", reason="已回应，撤销督办")
    final = await incident.handle.result()
    assert final.stage.value == "withdrawn" and final.closed_at is not None
    assert entries(final, "withdraw")


@pytest.mark.parametrize("category, analysis, criterion", [
    ("E1", {}, "C-K4"),  # 属地重大突发事件: 突发事件处置
    ("E3", {"emergency_event": True}, "C-K4"),
    ("R5", {}, "C-K3"),  # 严重冲击社会道德底线的民生舆情
])
async def test_category_meets_its_key_criterion(env, worker, incident_id, category, analysis,
                                                criterion):
    """C-K3 / C-K4: the category (or an emergency event) is a key-response incident even if
    研判 did not declare it; it cannot be withdrawn without a response."""
    incident = await report(env, incident_id, category=category, severity="一般", **analysis)
    await incident.send("withdraw", reason="无需回应")
    status = await incident.status()
    assert any(criterion in r for r in refusals(status, "withdraw"))
    assert await incident.running()


async def test_closing_without_a_response_leaves_w_resp_missed(env, worker, incident_id):
    """SPEC §4: an incident closed (办结) with no public response does not discharge W-RESP;
    it ends missed, never not_applicable."""
    incident = await assigned(env, incident_id, category="R4", severity="一般")
    await incident.at(hours=10)
    await incident.send("submit_feedback", unit_id=UNIT, summary="已处理", resolved=True)
    await incident.send("review_feedback", unit_id=UNIT, accepted=True)
    final = await incident.handle.result()
    resp = next(w for w in final.windows if w.id.value == "W-RESP")
    assert final.stage.value == "closed" and resp.state.value == "missed"
    assert resp.note == "办结时仍未回应" and entries(final, "window_missed", rule="W-RESP")


async def test_key_response_cannot_be_closed_without_response(env, worker, incident_id):
    """C-K5: accepting the last feedback would close the incident with no response → refused."""
    incident = await assigned(env, incident_id, key_criteria=["K5"])
    await incident.send("submit_feedback", unit_id=UNIT, summary="已处理", resolved=True)
    await incident.send("review_feedback", unit_id=UNIT, accepted=True)
    status = await incident.status()
    assert any("C-K5" in r for r in refusals(status, "review_feedback"))
    assert status.stage.value == "feedback" and await incident.running()


async def test_ordinary_incident_may_be_withdrawn(env, worker, incident_id, outbox_dir):
    """No key criterion: withdraw is applied at once; the units are told."""
    incident = await report(env, incident_id, category="R4", severity="一般")
    await incident.send("withdraw", reason="重复交办")
    final = await incident.handle.result()
    assert final.stage.value == "withdrawn"
    assert not final.rejected_inputs
    assert not [w for w in final.windows if w.state.value == "pending"]
