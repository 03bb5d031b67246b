"""情况反馈 → 办结审核: feedback rejected (退回重办) then accepted closes the incident."""

from tests.workflows.scenario import UNIT, assigned, close_to, entries, refusals, window


async def test_rejected_then_accepted_closes_incident(env, worker, incident_id):
    """review_feedback accepted=false reopens W-HANDLE; a second feedback accepted closes the
    incident and the workflow result is the final status (stage closed)."""
    incident = await assigned(env, incident_id, handling_hours=72)
    await incident.at(hours=5)
    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="已在原平台回复")
    await incident.send("submit_feedback", unit_id=UNIT, summary="已维修", resolved=True)
    status = await incident.status()
    assert status.stage.value == "feedback"
    assert window(status, "W-HANDLE", UNIT).state.value == "met"

    await incident.at(hours=6)
    await incident.send("review_feedback", unit_id=UNIT, accepted=False, comment="未附维修记录")
    status = await incident.status()
    assignment = status.assignment(UNIT)
    assert assignment.state.value == "responded"
    assert assignment.feedback[-1].accepted is False
    assert status.stage.value == "handling"
    handle = window(status, "W-HANDLE", UNIT)
    assert handle.state.value == "pending" and handle.met_at is None
    assert close_to(handle.deadline, incident.after(hours=72))
    assert entries(status, "review_feedback")

    await incident.at(hours=10)
    await incident.send("submit_feedback", unit_id=UNIT, summary="已补充维修记录", resolved=True)
    await incident.send("review_feedback", unit_id=UNIT, accepted=True)
    final = await incident.handle.result()
    assert final.stage.value == "closed"
    assert final.closed_at is not None
    assert final.assignment(UNIT).state.value == "completed"
    assert [f.accepted for f in final.assignment(UNIT).feedback] == [False, True]
    assert window(final, "W-HANDLE", UNIT).state.value == "met"
    assert window(final, "W-RESP").state.value == "met"
    assert not [w for w in final.windows if w.state.value == "pending"]
    assert (await incident.search_attributes())["IncidentStage"] == "closed"


async def test_rejection_with_new_deadline(env, worker, incident_id):
    """退回重办 with until: W-HANDLE reopens with the new deadline."""
    incident = await assigned(env, incident_id, handling_hours=24)
    await incident.send("submit_feedback", unit_id=UNIT, summary="已处理", resolved=True)
    await incident.at(hours=20)
    await incident.send("review_feedback", unit_id=UNIT, accepted=False,
                        until=incident.after(hours=60).isoformat())
    status = await incident.status()
    handle = window(status, "W-HANDLE", UNIT)
    assert handle.deadline == incident.after(hours=60) and handle.state.value == "pending"
    assert status.assignment(UNIT).state.value == "acknowledged"  # no response recorded yet
    await incident.at(hours=25)
    assert window(await incident.status(), "W-HANDLE", UNIT).state.value == "pending"


async def test_incident_closes_only_when_every_assignment_is_completed(env, worker, incident_id):
    """R-5: with two units, accepting the first unit's feedback does not close the incident."""
    incident = await assigned(env, incident_id, units=("u-a", "u-b"))
    for unit_id in ("u-a", "u-b"):
        await incident.send("submit_feedback", unit_id=unit_id, summary="已处理", resolved=True)
    await incident.send("review_feedback", unit_id="u-a", accepted=True)
    status = await incident.status()
    assert status.stage.value == "feedback"
    assert status.assignment("u-a").state.value == "completed"
    assert await incident.running()
    await incident.send("review_feedback", unit_id="u-b", accepted=True)
    assert (await incident.handle.result()).stage.value == "closed"


async def test_review_without_feedback_refused(env, worker, incident_id):
    """review_feedback before any feedback is refused."""
    incident = await assigned(env, incident_id)
    await incident.send("review_feedback", unit_id=UNIT, accepted=True)
    status = await incident.status()
    assert len(refusals(status, "review_feedback")) == 1
    assert status.stage.value == "handling"


async def test_explaining_why_not_yet_meets_the_handling_window(env, worker, incident_id):
    """004 二(四): within the deadline the unit may instead explain why it cannot yet handle it
    (resolved=false, 暂不具备办理条件, with the date it expects to); that feedback meets W-HANDLE."""
    incident = await assigned(env, incident_id, handling_hours=24)
    await incident.at(hours=12)
    await incident.send("submit_feedback", unit_id=UNIT, summary="需待汛期结束后施工",
                        resolved=False, expected_by=incident.after(hours=240).isoformat())
    await incident.at(hours=25)
    status = await incident.status()
    assert window(status, "W-HANDLE", UNIT).state.value == "met"
    assert status.assignment(UNIT).feedback[-1].resolved is False
    assert status.assignment(UNIT).feedback[-1].expected_by == incident.after(hours=240)
    assert status.stage.value == "feedback"
