"""R-5 one 交办单 per unit; return_assignment (退回); reassignment by a later analyze."""

from tests.workflows.scenario import (
    close_to, entries, refusals, report, wait_for_outbox, window,
)

A, B, C = "u-a", "u-b", "u-c"


async def test_one_assignment_per_unit(env, worker, incident_id, outbox_dir):
    """R-5: two units → two assignments (first one leads), each with its own W-ACK/W-HANDLE
    and its own form; ResponsibleUnits names both."""
    incident = await report(env, incident_id, units=(A, B), handling_hours=48)
    status = await incident.status()
    assert [(a.unit_id, a.lead, a.state.value) for a in status.assignments] == [
        (A, True, "assigned"), (B, False, "assigned")]
    for unit_id in (A, B):
        # Unit clocks run from the assignment (here: on arrival, just after detection).
        assert close_to(window(status, "W-ACK", unit_id).deadline, incident.after(hours=2))
        assert close_to(window(status, "W-HANDLE", unit_id).deadline, incident.after(hours=48))
    assert "R-5" in entries(status, "routing")[0].rule
    forms = await wait_for_outbox(outbox_dir, "assignment_forms", incident_id, count=2)
    assert sorted(f["unit"]["recipient_id"] for f in forms) == [A, B]
    assert (await incident.search_attributes())["ResponsibleUnits"] == [A, B]


async def test_each_unit_signs_for_itself(env, worker, incident_id):
    """W-ACK per unit: A signs, B does not → only B's W-ACK is missed and B is reminded (a
    local-default window: 提醒, no 催办); stage waits for B."""
    incident = await report(env, incident_id, units=(A, B))
    await incident.send("acknowledge", unit_id=A)
    status = await incident.status()
    assert status.stage.value == "assignment"
    await incident.at(hours=2, minutes=1)
    status = await incident.status()
    assert window(status, "W-ACK", A).state.value == "met"
    assert window(status, "W-ACK", B).state.value == "missed"
    reminder = entries(status, "remind", rule="W-ACK")
    assert len(reminder) == 1 and reminder[0].unit_id == B
    assert not entries(status, "urge") and status.escalation.value == "none"


async def test_return_assignment(env, worker, incident_id):
    """退回: B returns (not its duty) → returned, its windows not_applicable, no longer a
    responsible unit; A's windows unchanged."""
    incident = await report(env, incident_id, units=(A, B))
    await incident.at(hours=1)
    await incident.send("return_assignment", unit_id=B, reason="非本单位职责")
    status = await incident.status()
    returned = status.assignment(B)
    assert returned.state.value == "returned" and returned.return_reason == "非本单位职责"
    assert window(status, "W-ACK", B).state.value == "not_applicable"
    assert window(status, "W-HANDLE", B).state.value == "not_applicable"
    assert window(status, "W-ACK", A).state.value == "pending"
    assert entries(status, "return_assignment")[0].unit_id == B
    assert (await incident.search_attributes())["ResponsibleUnits"] == [A]

    await incident.at(hours=3)  # B's old W-ACK deadline passes without a miss
    status = await incident.status()
    assert window(status, "W-ACK", B).state.value == "not_applicable"
    assert not [e for e in entries(status, "window_missed") if e.unit_id == B]


async def test_return_refused_after_responding(env, worker, incident_id):
    """退回 is only for an assignment not yet handled; an unknown unit is refused too."""
    incident = await report(env, incident_id, units=(A,))
    await incident.send("acknowledge", unit_id=A)
    await incident.send("record_response", unit_id=A, channel="platform_reply", summary="已回复")
    await incident.send("return_assignment", unit_id=A, reason="非本单位职责")
    await incident.send("return_assignment", unit_id="u-x", reason="非本单位职责")
    status = await incident.status()
    reasons = refusals(status, "return_assignment")
    assert len(reasons) == 2 and "u-x" in reasons[1]
    assert status.assignment(A).state.value == "responded"


async def test_reassignment_to_new_unit_runs_from_reassignment(env, worker, incident_id,
                                                               outbox_dir):
    """Reassignment: B returns, a later analyze names C at 10 h → C's W-ACK/W-HANDLE run from
    10 h, C gets a form, ResponsibleUnits = A, C; statutory W-RESP still runs from detection."""
    incident = await report(env, incident_id, units=(A, B), handling_hours=48)
    await incident.send("return_assignment", unit_id=B, reason="非本单位职责")
    await incident.at(hours=10)
    await incident.send("analyze", units=[{"unit_id": C, "name": "城管局"}], note="改派城管局")
    status = await incident.status()
    c = status.assignment(C)
    assert c.state.value == "assigned" and close_to(c.windows_from, incident.after(hours=10))
    assert close_to(window(status, "W-ACK", C).deadline, incident.after(hours=12))
    assert close_to(window(status, "W-HANDLE", C).deadline, incident.after(hours=58))
    assert close_to(c.handling_deadline, incident.after(hours=58))
    assert window(status, "W-RESP").deadline == incident.after(hours=48)
    assert close_to(window(status, "W-HANDLE", A).deadline, incident.after(hours=48))
    assert (await incident.search_attributes())["ResponsibleUnits"] == [A, C]
    forms = await wait_for_outbox(outbox_dir, "assignment_forms", incident_id, f"-{C}-1")
    assert forms and forms[0]["unit"]["recipient_id"] == C

    await incident.at(hours=11, minutes=59)  # C's W-ACK is not missed at the original 2 h mark
    assert window(await incident.status(), "W-ACK", C).state.value == "pending"


async def test_all_returned_then_same_unit_named_again(env, worker, incident_id):
    """All units returned → back to stage analysis awaiting reassignment; naming the unit again
    opens a second round (new form, windows seq 2 from the reassignment)."""
    incident = await report(env, incident_id, units=(A,))
    await incident.send("return_assignment", unit_id=A, reason="非本单位职责")
    status = await incident.status()
    assert status.stage.value == "analysis"
    assert entries(status, "awaiting_reassignment")

    await incident.at(hours=5)
    await incident.send("analyze", units=[{"unit_id": A, "lead": True}], note="经核实仍属该单位")
    status = await incident.status()
    again = status.assignment(A)
    assert again.round == 2 and again.state.value == "assigned"
    assert again.form_id.endswith(f"-{A}-2")
    assert close_to(window(status, "W-ACK", A, seq=2).deadline, incident.after(hours=7))
    assert window(status, "W-ACK", A, seq=1).state.value == "not_applicable"
    assert status.stage.value == "assignment"


async def test_reanalysis_with_same_active_unit_does_not_duplicate(env, worker, incident_id):
    """R-5: naming an already-assigned unit again does not issue a second 交办单."""
    incident = await report(env, incident_id, units=(A,))
    await incident.send("analyze", units=[{"unit_id": A, "lead": True}, {"unit_id": B}])
    status = await incident.status()
    assert [a.unit_id for a in status.assignments] == [A, B]
    assert [a.round for a in status.assignments] == [1, 1]
