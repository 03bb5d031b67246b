"""SPEC §3 研判调整: a severity change re-computes the open windows and is recorded."""

from tests.workflows.scenario import UNIT, close_to, entries, report, wait_for_outbox, window


async def test_raise_to_major_switches_windows(env, worker, incident_id, outbox_dir):
    """E1 一般→重大 at 1 h: W-RESP not_applicable; W-AUTH 5 h / W-PRESS 24 h appear with
    deadlines from detected_at; the change is recorded with who and why; 会商研判 notice."""
    incident = await report(env, incident_id, category="E1", severity="一般")
    status = await incident.status()
    assert window(status, "W-RESP").state.value == "pending"
    assert window(status, "W-AUTH") is None and window(status, "W-PRESS") is None

    await incident.at(hours=1)
    await incident.send("analyze", severity="重大", note="伤亡人数上升")
    status = await incident.status()
    resp = window(status, "W-RESP")
    assert resp.state.value == "not_applicable" and resp.note
    auth, press = window(status, "W-AUTH"), window(status, "W-PRESS")
    assert (auth.state.value, auth.deadline) == ("pending", incident.after(hours=5))
    assert (press.state.value, press.deadline) == ("pending", incident.after(hours=24))
    assert status.severity.value == "重大"

    change = entries(status, "reanalyze")
    assert len(change) == 1
    assert "一般" in change[0].detail and "重大" in change[0].detail
    assert "伤亡人数上升" in change[0].detail and change[0].actor
    assert entries(status, "joint_consultation")
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_joint_consultation")
    assert (await incident.search_attributes())["IncidentSeverity"] == "重大"

    await incident.at(hours=49)  # the retired W-RESP never misses
    status = await incident.status()
    assert window(status, "W-RESP").state.value == "not_applicable"
    assert not entries(status, "window_missed", rule="W-RESP")


async def test_raise_after_a_deadline_has_passed_records_the_miss(env, worker, incident_id):
    """A window that appears late (raised at 6 h) is already past W-AUTH's 5 h: missed at once."""
    incident = await report(env, incident_id, category="E1", severity="较大")
    await incident.at(hours=6)
    await incident.send("analyze", severity="特别重大")
    status = await incident.status()
    assert window(status, "W-AUTH").state.value == "missed"
    assert window(status, "W-PRESS").state.value == "pending"
    assert status.leader_in_charge is True


async def test_lower_from_major_restores_w_resp(env, worker, incident_id):
    """重大→一般 for an E1: W-AUTH/W-PRESS not_applicable, W-RESP pending from detected_at."""
    incident = await report(env, incident_id, category="E1", severity="重大")
    await incident.at(hours=2)
    await incident.send("analyze", severity="一般", note="核实后影响较小")
    status = await incident.status()
    assert window(status, "W-AUTH").state.value == "not_applicable"
    assert window(status, "W-PRESS").state.value == "not_applicable"
    resp = window(status, "W-RESP")
    assert (resp.state.value, resp.deadline) == ("pending", incident.after(hours=48))
    assert len(entries(status, "joint_consultation")) == 1  # only the one at the start


async def test_a_release_before_an_upgrade_meets_the_window_it_creates(env, worker, incident_id):
    """SPEC §4: an authoritative release at 3 h meets the W-AUTH that raising an E1 to 重大 at
    4 h creates; the press conference window stays open; nothing is urged."""
    incident = await report(env, incident_id, category="E1", severity="较大")
    await incident.at(hours=3)
    await incident.send("acknowledge", unit_id=UNIT)
    await incident.send("record_response", unit_id=UNIT, channel="authoritative_release",
                        summary="发布事故初步情况")
    await incident.at(hours=4)
    await incident.send("analyze", severity="重大", note="伤亡人数上升")
    status = await incident.status()
    auth = window(status, "W-AUTH")
    assert auth.state.value == "met" and close_to(auth.met_at, incident.after(hours=3))
    assert auth.met_by == "record_response:authoritative_release"
    assert entries(status, "window_credited", rule="W-AUTH")
    assert window(status, "W-PRESS").state.value == "pending"
    await incident.at(hours=5, minutes=1)
    status = await incident.status()
    assert window(status, "W-AUTH").state.value == "met" and not entries(status, "urge")


async def test_reanalysis_without_change_refused(env, worker, incident_id):
    """研判调整 that changes nothing is refused with a reason."""
    incident = await report(env, incident_id)
    await incident.send("analyze", severity="一般")
    status = await incident.status()
    assert [r.message for r in status.rejected_inputs] == ["analyze"]
    assert not entries(status, "reanalyze")
