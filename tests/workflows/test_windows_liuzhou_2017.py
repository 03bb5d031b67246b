"""liuzhou-2017 (柳政办〔2017〕120号): W-FACTS 1 h, W-PRESS 24 h (high impact), W-RESP 48 h."""

from datetime import timedelta

import pytest

from tests.workflows.scenario import (
    UNIT, assert_outcome, close_to, entries, missed_at_deadline, report, window,
)

PROFILE = "liuzhou-2017"


async def test_major_emergency_windows(env, worker, incident_id):
    """W-FACTS 1 h and W-PRESS 24 h from detection, both statutory; no W-RESP."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="重大")
    status = await incident.status()
    facts, press = window(status, "W-FACTS"), window(status, "W-PRESS")
    assert facts.deadline == incident.after(hours=1) and facts.statutory
    assert press.deadline == incident.after(hours=24) and press.statutory
    assert window(status, "W-RESP") is None and window(status, "W-AUTH") is None


async def test_w_facts_met_by_facts_release(env, worker, incident_id):
    """W-FACTS met: releasing known facts at 40 min meets it (met_by names the channel)."""
    incident = await report(env, incident_id, profile=PROFILE, category="E2", severity="特别重大",
                            emergency_event=True)
    await incident.at(minutes=40)
    await incident.send("record_response", unit_id=UNIT, channel="facts_release",
                        summary="发布已掌握的事实信息")
    await incident.at(hours=2)
    status = await incident.status()
    facts = window(status, "W-FACTS")
    assert facts.state.value == "met"
    assert close_to(facts.met_at, incident.after(minutes=40))
    assert facts.met_by == "record_response:facts_release"
    assert window(status, "W-PRESS").state.value == "pending"  # facts do not meet W-PRESS


async def test_w_facts_missed(env, worker, incident_id):
    """W-FACTS missed: pending at 59 min, missed at 61 min, with a timeline entry."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="重大")
    await missed_at_deadline(incident, "W-FACTS", hours=1)


async def test_w_press_met(env, worker, incident_id):
    """W-PRESS met by a press conference at 12 h (which also meets W-FACTS late)."""
    incident = await report(env, incident_id, profile=PROFILE, category="E3", severity="重大",
                            high_impact=True, key_criteria=["K4"])
    await incident.at(hours=12)
    await incident.send("record_response", unit_id=UNIT, channel="press_conference",
                        summary="召开新闻发布会")
    status = await incident.status()
    press = window(status, "W-PRESS")
    assert press.state.value == "met" and close_to(press.met_at, incident.after(hours=12))
    facts = window(status, "W-FACTS")  # missed at 1 h; the late release is recorded, not undone
    assert facts.state.value == "missed" and close_to(facts.met_at, incident.after(hours=12))


async def test_w_press_missed(env, worker, incident_id):
    """W-PRESS missed at 24 h when no press conference is held."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="特别重大")
    await incident.send("record_response", unit_id=UNIT, channel="facts_release",
                        summary="事实信息")
    status = await missed_at_deadline(incident, "W-PRESS", hours=24)
    assert window(status, "W-FACTS").state.value == "met"


async def test_w_press_not_applicable_without_high_impact(env, worker, incident_id):
    """W-PRESS (Liuzhou) only with major casualties or large impact: high_impact=false → none."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="重大",
                            high_impact=False)
    await incident.at(hours=25)
    status = await incident.status()
    press = window(status, "W-PRESS")
    assert press is None or press.state.value == "not_applicable"
    assert not entries(status, "window_missed", rule="W-PRESS")
    assert window(status, "W-FACTS").state.value == "missed"  # W-FACTS still applies


async def test_w_press_becomes_not_applicable_when_analysis_says_no_high_impact(
        env, worker, incident_id):
    """研判调整 high_impact=false → the pending W-PRESS turns not_applicable and never misses."""
    incident = await report(env, incident_id, profile=PROFILE, category="E1", severity="重大")
    await incident.at(hours=2)
    await incident.send("analyze", high_impact=False, note="无人员伤亡，影响有限")
    await incident.at(hours=25)
    press = window(await incident.status(), "W-PRESS")
    assert press.state.value == "not_applicable"
    assert press.note  # says why


@pytest.mark.parametrize("met", [True, False], ids=["met", "missed"])
async def test_w_resp(env, worker, incident_id, met):
    """W-RESP 48 h for other incidents: met by a media interview, or missed."""
    incident = await report(env, incident_id, profile=PROFILE, category="R3", severity="较大")
    status = await incident.status()
    assert window(status, "W-RESP").deadline == incident.after(hours=48)
    assert window(status, "W-FACTS") is None and window(status, "W-PRESS") is None
    if met:
        await incident.at(hours=47)
        await incident.send("record_response", unit_id=UNIT, channel="media_interview",
                            summary="接受媒体采访")
    await incident.at(hours=49)
    assert_outcome(incident, await incident.status(), "W-RESP",
                   met_after=timedelta(hours=47) if met else None,
                   met_by="record_response:media_interview")
