"""national-2016 (国办发〔2016〕61号): W-PRESS 24 h for major emergencies, W-RESP 48 h otherwise."""

import pytest

from tests.workflows.scenario import UNIT, close_to, entries, missed_at_deadline, report, window

PROFILE = "national-2016"


@pytest.mark.parametrize("category, analysis", [
    ("E1", {}), ("E2", {"emergency_event": True}), ("E3", {"key_criteria": ["K4"]}),
    ("R6", {"key_criteria": ["K4"]})])
@pytest.mark.parametrize("severity", ["特别重大", "重大"])
async def test_w_press_applies_to_major_emergencies(env, worker, incident_id, category, severity,
                                                    analysis):
    """W-PRESS: 特别重大/重大 and an emergency event (E1, K4, or 研判 says so) → press
    conference within 24 h of detection; no W-RESP."""
    incident = await report(env, incident_id, profile=PROFILE, category=category,
                            severity=severity, **analysis)
    status = await incident.status()
    press = window(status, "W-PRESS")
    assert press is not None and press.state.value == "pending"
    assert press.deadline == incident.after(hours=24)
    assert press.hours == 24 and press.statutory is True
    assert window(status, "W-RESP") is None
    assert window(status, "W-AUTH") is None and window(status, "W-FACTS") is None


@pytest.mark.parametrize(("category", "severity"), [
    ("E1", "较大"), ("E3", "一般"), ("R2", "重大"), ("R6", "特别重大"), ("R1", "一般"),
    ("E2", "重大"), ("E3", "特别重大")])
async def test_w_resp_applies_to_every_other_incident(env, worker, incident_id, category,
                                                      severity):
    """W-RESP: anything but a major emergency → response within 48 h of detection; no W-PRESS."""
    incident = await report(env, incident_id, profile=PROFILE, category=category,
                            severity=severity)
    status = await incident.status()
    resp = window(status, "W-RESP")
    assert resp is not None and resp.state.value == "pending"
    assert resp.deadline == incident.after(hours=48)
    assert resp.hours == 48 and resp.statutory is True
    assert window(status, "W-PRESS") is None


async def test_w_press_met_by_press_conference(env, worker, incident_id):
    """W-PRESS met: a press conference at 20 h meets it, recorded with met_at/met_by."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="重大")
    await incident.at(hours=20)
    await incident.send("record_response", unit_id=UNIT, channel="press_conference",
                        summary="市政府召开新闻发布会")
    await incident.at(hours=25)
    press = window(await incident.status(), "W-PRESS")
    assert press.state.value == "met"
    assert close_to(press.met_at, incident.after(hours=20))
    assert press.met_by == "record_response:press_conference"


async def test_w_press_not_met_by_platform_reply(env, worker, incident_id):
    """W-PRESS: only a press conference meets it; a platform reply leaves it pending."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="特别重大")
    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="原平台回复")
    press = window(await incident.status(), "W-PRESS")
    assert press.state.value == "pending" and press.met_at is None


async def test_w_press_missed(env, worker, incident_id):
    """W-PRESS missed: pending a minute before 24 h, missed a minute after, timeline entry."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="重大")
    status = await missed_at_deadline(incident, "W-PRESS", hours=24)
    missed = entries(status, "window_missed", rule="W-PRESS")
    assert len(missed) == 1
    assert incident.after(hours=24) <= missed[0].at < incident.after(hours=24, minutes=1)


async def test_w_resp_met_by_any_public_response(env, worker, incident_id):
    """W-RESP met: a platform reply at 30 h (published_at given) meets it at that moment."""
    incident = await report(env, incident_id, profile=PROFILE, category="R2", severity="一般")
    await incident.at(hours=31)
    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="已在原帖回复", published_at=incident.after(hours=30).isoformat())
    await incident.at(hours=49)
    resp = window(await incident.status(), "W-RESP")
    assert resp.state.value == "met"
    assert resp.met_at == incident.after(hours=30)
    assert resp.met_by == "record_response:platform_reply"


async def test_w_resp_missed(env, worker, incident_id):
    """W-RESP missed: pending just before 48 h, missed just after, with a timeline entry."""
    incident = await report(env, incident_id, profile=PROFILE, category="R4", severity="较大")
    await missed_at_deadline(incident, "W-RESP", hours=48)


async def test_handling_window_is_local_default(env, worker, incident_id):
    """W-HANDLE under national-2016 is a local default (72 h), never statutory, even when set."""
    incident = await report(env, incident_id, profile=PROFILE, handling_hours=36)
    status = await incident.status()
    handle = window(status, "W-HANDLE", UNIT)
    assert close_to(handle.deadline, incident.after(hours=36))
    assert handle.statutory is False
    assert window(status, "W-BACKFILL", UNIT) is None  # only Nantong phones first (004)

    other = await report(env, incident_id + "b", profile=PROFILE, category="E1", severity="一般")
    handle = window(await other.status(), "W-HANDLE", UNIT)
    assert handle.hours == 72 and close_to(handle.deadline, other.after(hours=72))
    assert handle.statutory is False
    assert window(await other.status(), "W-BACKFILL", UNIT) is None
