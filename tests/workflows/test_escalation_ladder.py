"""E-URGE → E-SUPERVISE → E-ACCOUNT: the 催办督办问责 ladder after a missed window.

Local defaults: urge grace 24 h, supervise grace 72 h. The incident is a routine one whose
unit signed at once and whose handling deadline is far away, so only W-RESP (48 h) misses.
"""

from tests.workflows.scenario import (
    UNIT, assigned, close_to, entries, refusals, wait_for_outbox, window,
)


async def routine(env, incident_id):
    return await assigned(env, incident_id, handling_hours=400)


async def test_full_ladder(env, worker, incident_id, outbox_dir):
    """E-URGE at the miss, E-SUPERVISE 24 h later, accountability recommended 72 h after that,
    and E-ACCOUNT only when a person starts it."""
    incident = await routine(env, incident_id)
    await incident.at(hours=48, minutes=-1)
    status = await incident.status()
    assert status.escalation.value == "none" and not entries(status, "urge")

    await incident.at(hours=48, minutes=1)
    status = await incident.status()
    urges = entries(status, "urge", rule="E-URGE")
    assert status.escalation.value == "urged" and len(urges) == 1
    assert close_to(urges[0].at, incident.after(hours=48))
    assert status.overdue is True
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_urge")

    await incident.at(hours=72, minutes=-1)
    assert (await incident.status()).escalation.value == "urged"
    await incident.at(hours=72, minutes=1)
    status = await incident.status()
    assert status.escalation.value == "supervised"
    supervised = entries(status, "supervise", rule="E-SUPERVISE")
    assert len(supervised) == 1 and close_to(supervised[0].at, incident.after(hours=72))
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_supervise")

    await incident.at(hours=144, minutes=-1)
    assert (await incident.status()).accountability_recommended is False
    await incident.at(hours=144, minutes=1)
    status = await incident.status()
    assert status.accountability_recommended is True
    assert entries(status, "recommend_accountability", rule="E-ACCOUNT")
    assert status.escalation.value == "supervised"  # a recommendation, not a decision

    await incident.send("start_accountability", reason="督办后仍未回应，造成不良影响",
                        unit_id=UNIT)
    status = await incident.status()
    assert status.escalation.value == "accountability"
    started = entries(status, "start_accountability", rule="E-ACCOUNT")
    assert len(started) == 1 and started[0].unit_id == UNIT
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_accountability")


async def test_window_met_late_stops_the_ladder_before_supervision(env, worker, incident_id):
    """E-URGE then a late response: the miss stays on record (met_at set) and no E-SUPERVISE."""
    incident = await routine(env, incident_id)
    await incident.at(hours=50)
    await incident.send("record_response", unit_id=UNIT, channel="platform_reply",
                        summary="迟到的回复")
    status = await incident.status()
    resp = window(status, "W-RESP")
    assert resp.state.value == "missed"  # history is not rewritten
    assert close_to(resp.met_at, incident.after(hours=50))
    assert resp.met_by == "record_response:platform_reply"
    assert status.overdue is False

    await incident.at(hours=150)
    status = await incident.status()
    assert status.escalation.value == "urged"
    assert not entries(status, "supervise")
    assert status.accountability_recommended is False


async def test_window_met_late_stops_the_ladder_before_accountability(env, worker, incident_id):
    """E-SUPERVISE then a late response: no accountability recommendation at the end of grace."""
    incident = await routine(env, incident_id)
    await incident.at(hours=80)
    assert (await incident.status()).escalation.value == "supervised"
    await incident.send("record_response", unit_id=UNIT, channel="briefing", summary="吹风会")
    await incident.at(hours=150)
    status = await incident.status()
    assert status.accountability_recommended is False
    assert not entries(status, "recommend_accountability")
    assert status.escalation.value == "supervised"


async def test_supervise_by_hand(env, worker, incident_id, outbox_dir):
    """E-SUPERVISE: 督查室 may supervise before any window is missed."""
    incident = await routine(env, incident_id)
    await incident.send("supervise", reason="领导关注，提前督办")
    status = await incident.status()
    assert status.escalation.value == "supervised"
    entry = entries(status, "supervise", rule="E-SUPERVISE")
    assert len(entry) == 1 and entry[0].actor != "系统"
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_supervise")


async def test_accountability_for_unknown_unit_refused(env, worker, incident_id):
    """E-ACCOUNT naming a unit that has no assignment is refused; the ladder is unchanged."""
    incident = await routine(env, incident_id)
    await incident.send("start_accountability", reason="问责", unit_id="nobody")
    status = await incident.status()
    assert any("nobody" in r for r in refusals(status, "start_accountability"))
    assert status.escalation.value == "none"
