"""The search attributes (README, "Finding incidents in the UI") follow the incident:
IncidentStage, ResponsibleUnits, Overdue, EscalationLevel, NextDeadline, IncidentSeverity,
IncidentCategory, PolicyProfile."""

from tests.workflows.scenario import UNIT, close_to, report


async def test_attributes_follow_the_incident(env, worker, incident_id):
    """Start → sign → miss (E-URGE) → late response → reassignment → close."""
    incident = await report(env, incident_id, profile="liuzhou-2017", category="R2",
                            severity="较大")
    attrs = await incident.search_attributes()
    assert attrs["IncidentStage"] == "assignment"
    assert attrs["ResponsibleUnits"] == [UNIT]
    assert attrs["Overdue"] is False and attrs["EscalationLevel"] == "none"
    assert (attrs["PolicyProfile"], attrs["IncidentCategory"], attrs["IncidentSeverity"]) == (
        "liuzhou-2017", "R2", "较大")
    assert close_to(attrs["NextDeadline"], incident.after(hours=2))  # W-ACK, from the assignment

    await incident.send("acknowledge", unit_id=UNIT)
    attrs = await incident.search_attributes()
    assert attrs["IncidentStage"] == "handling"
    assert attrs["NextDeadline"] == incident.after(hours=48)  # W-RESP

    await incident.at(hours=48, minutes=1)
    attrs = await incident.search_attributes()
    assert attrs["Overdue"] is True and attrs["EscalationLevel"] == "urged"
    # overdue now: since when it is late (W-RESP missed), never a future time (workflow v3)
    assert close_to(attrs["NextDeadline"], incident.after(hours=48))

    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="迟到的回复")
    attrs = await incident.search_attributes()
    assert attrs["Overdue"] is False and attrs["EscalationLevel"] == "urged"
    assert close_to(attrs["NextDeadline"], incident.after(hours=72))  # W-HANDLE

    await incident.send("analyze", units=[{"unit_id": "u-b"}], severity="一般")
    attrs = await incident.search_attributes()
    assert attrs["ResponsibleUnits"] == [UNIT, "u-b"]
    assert attrs["IncidentSeverity"] == "一般"

    await incident.send("return_assignment", unit_id="u-b", reason="非本单位职责")
    assert (await incident.search_attributes())["ResponsibleUnits"] == [UNIT]

    await incident.send("submit_feedback", unit_id=UNIT, summary="已处理", resolved=True)
    assert (await incident.search_attributes())["IncidentStage"] == "feedback"
    await incident.send("review_feedback", unit_id=UNIT, accepted=True)
    await incident.handle.result()
    attrs = await incident.search_attributes()
    assert attrs["IncidentStage"] == "closed"
    assert attrs["Overdue"] is False
    assert attrs["NextDeadline"] is None


async def test_attributes_of_unanalysed_incident(env, worker, incident_id):
    """Without 研判: stage analysis, no units, category or severity; W-ANALYZE is next."""
    incident = await report(env, incident_id, analysed=False)
    attrs = await incident.search_attributes()
    assert attrs["IncidentStage"] == "analysis"
    assert attrs["ResponsibleUnits"] in (None, [])
    assert attrs["IncidentCategory"] is None and attrs["IncidentSeverity"] is None
    assert attrs["NextDeadline"] == incident.after(hours=2)

    await incident.send("analyze", category="E1", severity="重大",
                        units=[{"unit_id": UNIT, "lead": True}])
    attrs = await incident.search_attributes()
    assert (attrs["IncidentStage"], attrs["IncidentCategory"], attrs["IncidentSeverity"]) == (
        "assignment", "E1", "重大")
    assert attrs["ResponsibleUnits"] == [UNIT]


async def test_supervision_and_accountability_levels(env, worker, incident_id):
    """EscalationLevel: supervised after 督办, accountability after 问责."""
    incident = await report(env, incident_id)
    await incident.send("supervise", reason="督查室督办")
    assert (await incident.search_attributes())["EscalationLevel"] == "supervised"
    await incident.send("start_accountability", reason="问责")
    assert (await incident.search_attributes())["EscalationLevel"] == "accountability"


async def test_overdue_units_names_the_units_late_now(env, worker, incident_id):
    """OverdueUnits (README, "Finding incidents in the UI"): a supervisor filters
    OverdueUnits="u-b" in the UI."""
    incident = await report(env, incident_id, units=(UNIT, "u-b"))
    await incident.send("acknowledge", unit_id=UNIT)
    assert (await incident.search_attributes())["OverdueUnits"] is None
    await incident.at(hours=2, minutes=1)
    assert (await incident.search_attributes())["OverdueUnits"] == ["u-b"]
    await incident.send("acknowledge", unit_id="u-b")  # made good late: no longer overdue
    assert (await incident.search_attributes())["OverdueUnits"] is None
