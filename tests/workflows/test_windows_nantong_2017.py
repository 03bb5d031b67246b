"""nantong-2017 (南通 2017-12-22): W-AUTH 5 h, W-PRESS 24 h, W-RESP 48 h (or shorter)."""

import asyncio
from datetime import timedelta

import pytest

from starter.api import incident_status
from tests.workflows.scenario import UNIT, assert_outcome, refusals, report, window

@pytest.mark.parametrize("category, analysis", [
    ("E1", {}), ("E2", {"emergency_event": True}), ("R6", {"key_criteria": ["K4"]})])
async def test_major_emergency_windows(env, worker, incident_id, category, analysis):
    """涉及特别重大、重大突发事件 (E1, K4 whatever the letter, or 研判 says so): W-AUTH 5 h and
    W-PRESS 24 h (statutory), W-CONT first cycle 24 h (local default); owed by the lead unit."""
    incident = await report(env, incident_id, category=category, severity="特别重大", **analysis)
    status = await incident.status()
    auth, press, cont = (window(status, w) for w in ("W-AUTH", "W-PRESS", "W-CONT"))
    assert (auth.deadline, auth.statutory) == (incident.after(hours=5), True)
    assert (press.deadline, press.statutory) == (incident.after(hours=24), True)
    assert (cont.deadline, cont.statutory) == (incident.after(hours=24), False)
    assert window(status, "W-RESP") is None and window(status, "W-FACTS") is None
    assert auth.owed_by == press.owed_by == [UNIT]


async def test_a_major_case_without_an_emergency_event_gets_w_resp(env, worker, incident_id):
    """SPEC §4: an E2 rumour at 重大 that concerns no emergency event has W-RESP, not W-AUTH."""
    incident = await report(env, incident_id, category="E2", severity="重大", rumour=True)
    status = await incident.status()
    assert window(status, "W-RESP").hours == 48 and window(status, "W-AUTH") is None


@pytest.mark.parametrize("met", [True, False], ids=["met", "missed"])
async def test_w_auth(env, worker, incident_id, met):
    """W-AUTH: an authoritative release at 4 h meets it; none by 5 h → missed."""
    incident = await report(env, incident_id, category="E1", severity="重大")
    if met:
        await incident.at(hours=4)
        await incident.send("record_response", unit_id=UNIT, channel="authoritative_release",
                            summary="发布权威信息")
    await incident.at(hours=5, minutes=1)
    status = await incident.status()
    assert_outcome(incident, status, "W-AUTH", met_after=timedelta(hours=4) if met else None,
                   met_by="record_response:authoritative_release")
    if met:
        assert window(status, "W-PRESS").state.value == "pending"


@pytest.mark.parametrize("met", [True, False], ids=["met", "missed"])
async def test_w_press(env, worker, incident_id, met):
    """W-PRESS: a press conference at 23 h meets it; an authoritative release alone does not."""
    incident = await report(env, incident_id, category="E1", severity="重大")
    await incident.at(hours=3)
    await incident.send("record_response", unit_id=UNIT, channel="authoritative_release",
                        summary="发布权威信息")
    if met:
        await incident.at(hours=23)
        await incident.send("record_response", unit_id=UNIT, channel="press_conference",
                            summary="召开新闻发布会")
    await incident.at(hours=24, minutes=1)
    assert_outcome(incident, await incident.status(), "W-PRESS",
                   met_after=timedelta(hours=23) if met else None,
                   met_by="record_response:press_conference")


@pytest.mark.parametrize("met", [True, False], ids=["met", "missed"])
async def test_w_resp(env, worker, incident_id, met):
    """W-RESP 48 h for a routine incident: met by expert interpretation, or missed."""
    incident = await report(env, incident_id, category="R1", severity="一般")
    status = await incident.status()
    resp = window(status, "W-RESP")
    assert (resp.deadline, resp.hours, resp.statutory) == (incident.after(hours=48), 48, True)
    if met:
        await incident.at(hours=10)
        await incident.send("record_response", unit_id=UNIT, channel="expert_interpretation",
                            summary="专家解读")
    await incident.at(hours=48, minutes=1)
    assert_outcome(incident, await incident.status(), "W-RESP",
                   met_after=timedelta(hours=10) if met else None,
                   met_by="record_response:expert_interpretation")


async def test_w_resp_shorter_response_hours(env, worker, incident_id):
    """W-RESP set shorter at assignment (response_hours=12): deadline detected+12 h, missed then."""
    incident = await report(env, incident_id, response_hours=12)
    status = await incident.status()
    assert window(status, "W-RESP").deadline == incident.after(hours=12)
    assert window(status, "W-RESP").statutory is True
    await incident.at(hours=12, minutes=1)
    assert window(await incident.status(), "W-RESP").state.value == "missed"


async def test_w_resp_shortened_by_reanalysis(env, worker, incident_id):
    """研判调整 response_hours=24 moves the pending W-RESP to detected+24 h."""
    incident = await report(env, incident_id)
    await incident.at(hours=1)
    await incident.send("analyze", response_hours=24, note="情况紧急")
    resp = window(await incident.status(), "W-RESP")
    assert resp.deadline == incident.after(hours=24) and resp.state.value == "pending"


async def test_w_resp_longer_response_hours_refused(env, worker, incident_id):
    """W-RESP can never be longer than 48 h: analyze response_hours=72 is refused."""
    incident = await report(env, incident_id)
    await incident.send("analyze", response_hours=72)
    status = await incident.status()
    assert any("response_hours" in r for r in refusals(status, "analyze"))
    assert window(status, "W-RESP").deadline == incident.after(hours=48)
    assert await incident.running()


async def test_w_resp_longer_response_hours_in_start_payload_refused(env, worker, incident_id):
    """W-RESP: a start payload whose analysis asks for 72 h is refused with a reason too.

    The incident must keep running and answer ``status`` (README, "Operating safely": input never
    stalls the workflow); its W-RESP stays within the statutory 48 h.
    """
    incident = await report(env, incident_id, response_hours=72)
    try:
        await env.sleep(timedelta(seconds=1))
        status = await asyncio.wait_for(incident_status(env.client, incident_id), timeout=3)
    except (TimeoutError, asyncio.TimeoutError):
        await incident.handle.terminate("stalled in test")  # keep the shared test server clean
        pytest.fail("start payload with response_hours > 48 stalls the workflow "
                    "(status query does not answer)")
    assert any("response_hours" in r for r in refusals(status))
    assert all(w.hours <= 48 for w in status.windows if w.id.value == "W-RESP")
