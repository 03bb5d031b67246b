"""W-CONT continuing authoritative releases (持续发布 / 视情连续召开) for major incidents,
cadence 24 h (local default) in every profile: each release starts the next cycle."""

import pytest

from tests.workflows.scenario import UNIT, close_to, missed_at_deadline, report, window

PROFILES = ["national-2016", "liuzhou-2017", "nantong-2017"]


@pytest.mark.parametrize("profile", PROFILES)
async def test_each_release_starts_next_cycle(env, worker, incident_id, profile):
    """W-CONT met: cycle 1 due at 24 h; a release at 10 h meets it and opens cycle 2 due at
    34 h; a briefing at 30 h meets cycle 2 and opens cycle 3 due at 54 h."""
    incident = await report(env, incident_id, profile=profile, category="E1", severity="重大")
    first = window(await incident.status(), "W-CONT")
    assert (first.deadline, first.hours, first.statutory) == (incident.after(hours=24), 24, False)

    await incident.at(hours=10)
    await incident.send("record_response", unit_id=UNIT, channel="authoritative_release",
                        summary="第一次发布")
    status = await incident.status()
    first, second = window(status, "W-CONT", seq=1), window(status, "W-CONT", seq=2)
    assert first.state.value == "met" and close_to(first.met_at, incident.after(hours=10))
    assert first.met_by == "record_response:authoritative_release"
    assert second.state.value == "pending"
    assert close_to(second.deadline, incident.after(hours=34))

    await incident.at(hours=30)
    await incident.send("record_response", unit_id=UNIT, channel="briefing", summary="吹风会")
    status = await incident.status()
    assert window(status, "W-CONT", seq=2).state.value == "met"
    assert close_to(window(status, "W-CONT", seq=3).deadline, incident.after(hours=54))


@pytest.mark.parametrize("profile", PROFILES)
async def test_missed_cycle(env, worker, incident_id, profile):
    """W-CONT missed: no authoritative release by 24 h (a platform reply does not count);
    a late release is recorded on the missed cycle and starts the next one."""
    incident = await report(env, incident_id, profile=profile, category="E3", severity="特别重大")
    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="原平台回复")
    await missed_at_deadline(incident, "W-CONT", hours=24)

    await incident.at(hours=30)
    await incident.send("record_response", unit_id=UNIT, channel="press_conference",
                        summary="新闻发布会")
    status = await incident.status()
    late = window(status, "W-CONT", seq=1)
    assert late.state.value == "missed" and close_to(late.met_at, incident.after(hours=30))
    assert close_to(window(status, "W-CONT", seq=2).deadline, incident.after(hours=54))


async def test_not_for_ordinary_incidents(env, worker, incident_id):
    """W-CONT only for 特别重大/重大 incidents."""
    incident = await report(env, incident_id, category="E1", severity="较大")
    assert window(await incident.status(), "W-CONT") is None


async def test_stops_when_closed(env, worker, incident_id):
    """W-CONT runs until the incident closes: a withdrawal leaves no pending cycle."""
    incident = await report(env, incident_id, category="E2", severity="重大")
    await incident.send("record_response", unit_id=UNIT, channel="authoritative_release",
                        summary="权威发布")
    await incident.send("withdraw", reason="事件已平息")
    final = await incident.handle.result()
    assert final.stage.value == "withdrawn"
    assert all(w.state.value != "pending" for w in final.windows if w.id.value == "W-CONT")
