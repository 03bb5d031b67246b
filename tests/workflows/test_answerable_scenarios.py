"""Rules version 3 on the time-skipping server: who answers for what, through the contract.

A-HOLD (a window due before assignment is the office's), A-EACH (each unit its own W-RESP),
closing (pending statutory windows end missed), stated attendance, E-SUPERVISE naming its
units, OverdueWindows / OverdueUnits (README, "Finding incidents in the UI").
"""

from domain.rules_version import CURRENT_RULES
from tests.workflows.scenario import close_to, entries, refusals, report, window

V3 = {"rules_version": 3}


async def test_new_incidents_open_under_version_3(env, worker, incident_id):
    incident = await report(env, incident_id, rules_version=None)
    assert CURRENT_RULES == 3 and (await incident.status()).rules_version == 3


async def test_a_hold_the_late_analysis_is_the_offices_miss(env, worker, incident_id):
    incident = await report(env, incident_id, analysed=False, **V3)
    await incident.at(hours=50)
    await incident.send("analyze", category="R2", severity="一般",
                        units=[{"unit_id": "u1", "name": "住建局", "lead": True}])
    status = await incident.status()
    office = window(status, "W-RESP")
    assert office.owed_by == ["office"] and office.state.value == "missed"
    own = window(status, "W-RESP", "u1")
    assert not own.statutory and close_to(own.deadline, incident.after(hours=98))
    assert not entries(status, "urge") and entries(status, "alert_office")
    attrs = await incident.search_attributes()
    assert attrs["Overdue"] is True and attrs["EscalationLevel"] == "none"
    assert attrs["OverdueWindows"] == ["W-RESP"]  # W-ANALYZE was made good (late) by 研判
    assert attrs["OverdueUnits"] is None
    await incident.send("record_response", unit_id="u1", channel="platform_reply",
                        summary="已回复")
    attrs = await incident.search_attributes()
    assert attrs["OverdueWindows"] is None and attrs["Overdue"] is False


async def test_a_each_the_silent_unit_alone_is_urged_and_supervised(env, worker, incident_id):
    incident = await report(env, incident_id, units=("u1", "u2"), handling_hours=120, **V3)
    await incident.send("acknowledge", unit_id="u1")
    await incident.send("acknowledge", unit_id="u2")
    await incident.send("record_response", unit_id="u1", channel="platform_reply",
                        summary="u1 已回复")
    await incident.at(hours=48, minutes=1)
    attrs = await incident.search_attributes()
    assert attrs["OverdueUnits"] == ["u2"] and attrs["OverdueWindows"] == ["W-RESP"]
    await incident.at(hours=72, minutes=2)
    status = await incident.status()
    assert [e.unit_id for e in entries(status, "urge")] == ["u2"]
    assert [e.unit_id for e in entries(status, "supervise")] == ["u2"]
    assert window(status, "W-RESP", "u1").state.value == "met"


async def test_closing_and_stated_attendance(env, worker, incident_id):
    incident = await report(env, incident_id, category="E1", severity="重大", **V3)
    await incident.send("backfill_form", unit_id="u-zjj")
    await incident.send("acknowledge", unit_id="u-zjj")
    await incident.send("record_response", unit_id="u-zjj", channel="press_conference",
                        summary="发布会")
    status = await incident.status()
    assert any("head_or_spokesperson_attended" in r for r in refusals(status, "record_response"))
    await incident.send("record_response", unit_id="u-zjj", channel="platform_reply",
                        summary="原平台回复")
    await incident.send("submit_feedback", unit_id="u-zjj", summary="已处置", resolved=True)
    await incident.send("review_feedback", unit_id="u-zjj", accepted=True)
    await incident.handle.result()
    status = await incident.status()
    assert status.stage.value == "closed"
    assert {window(status, w).state.value for w in ("W-AUTH", "W-PRESS")} == {"missed"}
