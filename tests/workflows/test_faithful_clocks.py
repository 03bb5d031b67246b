"""Every window from the right moment, owed by the right actor (SPEC §4, §7; rules version 2).

On the time-skipping server, through the contract's messages only: the unit's clocks start
when it is assigned, the public ones at detection; the phone assignment's written form is the
office's duty; an accepted explanation (暂不具备办理条件) keeps the incident open.
"""

from datetime import timedelta

from tests.workflows.scenario import (
    UNIT, close_to, entries, report, wait_for_outbox, window,
)


async def test_a_late_analysis_starts_the_units_clocks_at_the_assignment(env, worker, incident_id):
    """Analysed 2.5 h after detection: W-ACK and W-HANDLE run from 2.5 h, W-RESP from
    detection; the unit is not urged the moment its form arrives (004 二(二))."""
    incident = await report(env, incident_id, analysed=False)
    await incident.at(hours=2, minutes=30)
    await incident.send("analyze", category="R2", severity="一般", handling_hours=24,
                        units=[{"unit_id": UNIT, "lead": True}])
    await incident.at(hours=2, minutes=31)
    status = await incident.status()
    assert close_to(status.assignment(UNIT).windows_from, incident.after(hours=2.5))
    assert close_to(window(status, "W-ACK", UNIT).deadline, incident.after(hours=4.5))
    assert close_to(window(status, "W-HANDLE", UNIT).deadline, incident.after(hours=26.5))
    assert window(status, "W-RESP").deadline == incident.after(hours=48)
    assert window(status, "W-ACK", UNIT).state.value == "pending"
    assert not [e for e in entries(status, "window_missed") if e.unit_id == UNIT]
    assert status.escalation.value == "none"
    assert window(status, "W-RESP").owed_by == [UNIT]


async def test_the_backfill_is_the_offices_duty(env, worker, incident_id, outbox_dir):
    """紧急交办 (nantong): leaders told and the unit phoned at once; no written form yet, so no
    W-ACK; the missed W-BACKFILL alerts 网信办 and 市政府办, never the unit; the form filed
    later starts the unit's W-ACK."""
    incident = await report(env, incident_id, category="E3", severity="较大")
    status = await incident.status()
    assert entries(status, "report_to_leaders", rule="004 二(二)2")
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_report_to_leaders")
    assert window(status, "W-ACK", UNIT) is None
    assert window(status, "W-BACKFILL", UNIT).owed_by == ["office"]
    await incident.at(hours=24, minutes=1)
    status = await incident.status()
    assert window(status, "W-BACKFILL", UNIT).state.value == "missed"
    assert entries(status, "alert_office", rule="W-BACKFILL")
    assert not entries(status, "urge") and status.escalation.value == "none"
    [alert] = await wait_for_outbox(outbox_dir, "notifications", incident_id, "_backfill_overdue")
    assert {r["recipient_id"] for r in alert["recipients"]} == {"cac", "gov-office"}
    await incident.at(hours=25)
    await incident.send("backfill_form", unit_id=UNIT)
    status = await incident.status()
    assert close_to(window(status, "W-ACK", UNIT).deadline, incident.after(hours=27))


async def test_an_accepted_explanation_keeps_the_incident_open(env, worker, incident_id):
    """暂不具备办理条件: accepted, the assignment is explained, the expected date its new
    deadline; missing that date is 逾期不反馈 (催办); the incident closes only when handled."""
    incident = await report(env, incident_id, handling_hours=24)
    await incident.send("acknowledge", unit_id=UNIT)
    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="已回复")
    await incident.at(hours=10)
    await incident.send("submit_feedback", unit_id=UNIT, summary="待资金到位", resolved=False,
                        expected_by=incident.after(hours=100).isoformat())
    await incident.send("review_feedback", unit_id=UNIT, accepted=True)
    status = await incident.status()
    assert status.assignment(UNIT).state.value == "explained"
    assert status.stage.value == "handling" and await incident.running()
    handle = window(status, "W-HANDLE", UNIT)
    assert handle.deadline == incident.after(hours=100)
    assert close_to(handle.original_deadline, incident.after(hours=24))
    await incident.at(hours=100, minutes=1)
    status = await incident.status()
    assert window(status, "W-HANDLE", UNIT).state.value == "missed"
    assert [e.unit_id for e in entries(status, "urge", rule="E-URGE")] == [UNIT]
    await incident.send("submit_feedback", unit_id=UNIT, summary="已办结", resolved=True)
    await incident.send("review_feedback", unit_id=UNIT, accepted=True)
    final = await incident.handle.result()
    assert final.stage.value == "closed" and final.assignment(UNIT).state.value == "completed"
    assert final.closed_at - incident.after(hours=100) < timedelta(hours=1)
