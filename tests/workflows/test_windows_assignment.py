"""Per-assignment and local-default windows: W-HANDLE, W-ACK, W-BACKFILL, W-ANALYZE."""

from datetime import timedelta

import pytest

from tests.workflows.scenario import (
    UNIT, assert_outcome, close_to, entries, outbox_files, refusals, report, wait_for_outbox, window,
)

PROFILES = ["national-2016", "liuzhou-2017", "nantong-2017"]


async def test_w_handle_statutory_when_set_at_assignment(env, worker, incident_id):
    """W-HANDLE (nantong-2017): handling_hours set at assignment → statutory, assignment+hours."""
    incident = await report(env, incident_id, handling_hours=96)
    status = await incident.status()
    handle = window(status, "W-HANDLE", UNIT)
    assert (handle.hours, handle.statutory, handle.owed_by) == (96, True, [UNIT])
    assert handle.deadline == status.assignments[0].assigned_at + timedelta(hours=96)
    assert status.assignments[0].handling_deadline == handle.deadline


async def test_w_handle_local_default(env, worker, incident_id):
    """W-HANDLE without handling_hours: the local default 72 h, marked not statutory, and the
    timeline says the office did not set it (nantong sets it at assignment, 004 二(二)3)."""
    incident = await report(env, incident_id)
    status = await incident.status()
    handle = window(status, "W-HANDLE", UNIT)
    assert (handle.hours, handle.statutory) == (72, False)
    assert close_to(handle.deadline, incident.after(hours=72))
    [note] = entries(status, "handling_default", rule="W-HANDLE")
    assert note.local_default is True


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("met", [True, False], ids=["met", "missed"])
async def test_w_handle(env, worker, incident_id, met, profile):
    """W-HANDLE met by submit_feedback within the deadline; otherwise missed and urged."""
    incident = await report(env, incident_id, profile=profile, handling_hours=24)
    await incident.send("acknowledge", unit_id=UNIT)
    if met:
        await incident.at(hours=20)
        await incident.send("submit_feedback", unit_id=UNIT, summary="已办结", resolved=True)
    await incident.at(hours=24, minutes=1)
    status = await incident.status()
    assert_outcome(incident, status, "W-HANDLE", unit_id=UNIT, met_by="submit_feedback",
                   met_after=timedelta(hours=20) if met else None)
    if not met:
        assert [e.unit_id for e in entries(status, "urge", rule="E-URGE")] == [UNIT]


async def test_w_ack_local_default(env, worker, incident_id):
    """W-ACK: local default 2 h from the form reaching the unit, not statutory, one per
    assignment."""
    incident = await report(env, incident_id)
    status = await incident.status()
    ack = window(status, "W-ACK", UNIT)
    assert (ack.hours, ack.statutory, ack.owed_by) == (2, False, [UNIT])
    assert ack.deadline == status.assignments[0].form_issued_at + timedelta(hours=2)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("met", [True, False], ids=["met", "missed"])
async def test_w_ack(env, worker, incident_id, met, profile):
    """W-ACK met by acknowledge (stage → handling); unsigned after 2 h → missed and the unit
    reminded (提醒): a local-default window does not climb the ladder."""
    incident = await report(env, incident_id, profile=profile)
    if met:
        await incident.at(minutes=30)
        await incident.send("acknowledge", unit_id=UNIT)
    await incident.at(hours=2, minutes=1)
    status = await incident.status()
    assert_outcome(incident, status, "W-ACK", unit_id=UNIT, met_by="acknowledge",
                   met_after=timedelta(minutes=30) if met else None)
    if met:
        assert status.stage.value == "handling"
        assert status.assignments[0].state.value == "acknowledged"
    else:
        assert status.stage.value == "assignment"
        assert entries(status, "window_missed", rule="W-ACK")
        assert entries(status, "remind", rule="W-ACK") and not entries(status, "urge")
        assert status.escalation.value == "none"


async def test_w_backfill_met_by_backfill_form(env, worker, incident_id, outbox_dir):
    """W-BACKFILL: an emergency assignment is phoned first; backfill_form meets the 24 h window
    and only then is the written 交办单 issued and the unit's W-ACK started."""
    incident = await report(env, incident_id, category="E3", severity="较大")
    status = await incident.status()
    backfill = window(status, "W-BACKFILL", UNIT)
    assert (backfill.statutory, backfill.owed_by) == (False, ["office"])
    assert close_to(backfill.deadline, incident.after(hours=24))
    assert window(status, "W-ACK", UNIT) is None
    assert status.assignments[0].emergency is True
    assert entries(status, "phone_assignment", rule="C-E")
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_emergency_assignment")
    assert not outbox_files(outbox_dir, "assignment_forms", incident_id)

    await incident.at(hours=6)
    await incident.send("backfill_form", unit_id=UNIT, note="已补填")
    status = await incident.status()
    backfill = window(status, "W-BACKFILL", UNIT)
    assert backfill.state.value == "met" and backfill.met_by == "backfill_form"
    assert close_to(backfill.met_at, incident.after(hours=6))
    forms = await wait_for_outbox(outbox_dir, "assignment_forms", incident_id)
    assert len(forms) == 1 and forms[0]["emergency"] is True
    assert close_to(window(status, "W-ACK", UNIT).deadline, incident.after(hours=8))

    await incident.send("backfill_form", unit_id=UNIT)  # a second backfill is refused
    assert refusals(await incident.status(), "backfill_form")


async def test_w_backfill_missed(env, worker, incident_id):
    """W-BACKFILL missed: no written form 24 h after the phone assignment. The form is the
    assigning office's duty (004 二(二)2): the office is alerted, the unit is neither urged nor
    supervised, and the miss never counts against it."""
    incident = await report(env, incident_id, category="E1", severity="一般")
    await incident.send("acknowledge", unit_id=UNIT)
    await incident.at(hours=24, minutes=1)
    status = await incident.status()
    assert window(status, "W-BACKFILL", UNIT).state.value == "missed"
    assert entries(status, "window_missed", rule="W-BACKFILL")
    assert entries(status, "alert_office", rule="W-BACKFILL")
    assert not entries(status, "urge") and status.escalation.value == "none"
    await incident.at(hours=47)  # past the urge grace, before W-RESP: still no 督办
    assert (await incident.status()).escalation.value == "none"


async def test_w_backfill_only_for_emergency_assignments(env, worker, incident_id):
    """W-BACKFILL: a routine category gets its form at once and backfill_form is refused."""
    incident = await report(env, incident_id, category="R5", severity="较大")
    await incident.send("backfill_form", unit_id=UNIT)
    status = await incident.status()
    assert window(status, "W-BACKFILL", UNIT) is None
    assert refusals(status, "backfill_form")


@pytest.mark.parametrize("profile", PROFILES)
async def test_w_analyze_met(env, worker, incident_id, profile):
    """W-ANALYZE: started without 研判 → 2 h local default; analyze at 1 h meets it and the
    statutory windows still run from detection."""
    incident = await report(env, incident_id, profile=profile, analysed=False)
    status = await incident.status()
    analyze = window(status, "W-ANALYZE")
    assert (analyze.deadline, analyze.statutory) == (incident.after(hours=2), False)
    assert status.stage.value == "analysis" and status.assignments == []

    await incident.at(hours=1)
    await incident.send("analyze", category="R2", severity="一般",
                        units=[{"unit_id": UNIT, "lead": True}])
    status = await incident.status()
    analyze = window(status, "W-ANALYZE")
    assert analyze.state.value == "met" and analyze.met_by == "analyze"
    assert close_to(analyze.met_at, incident.after(hours=1))
    assert window(status, "W-RESP").deadline == incident.after(hours=48)
    assert status.stage.value == "assignment"


@pytest.mark.parametrize("profile", PROFILES)
async def test_w_analyze_missed(env, worker, incident_id, outbox_dir, profile):
    """W-ANALYZE missed after 2 h: recorded, the office is told; no unit to urge yet."""
    incident = await report(env, incident_id, profile=profile, analysed=False)
    await incident.at(hours=2, minutes=1)
    status = await incident.status()
    assert window(status, "W-ANALYZE").state.value == "missed"
    assert entries(status, "window_missed", rule="W-ANALYZE")
    assert status.escalation.value == "none"
    assert await wait_for_outbox(outbox_dir, "notifications", incident_id, "_analysis_overdue")


async def test_first_analysis_needs_category_severity_units(env, worker, incident_id):
    """W-ANALYZE stays pending when a first analyze lacks units (refused with the reason)."""
    incident = await report(env, incident_id, analysed=False)
    await incident.send("analyze", category="R2", severity="一般")
    status = await incident.status()
    assert any("units" in r for r in refusals(status, "analyze"))
    assert window(status, "W-ANALYZE").state.value == "pending"


async def test_w_handle_recomputed_when_reanalysis_changes_handling_hours(env, worker, incident_id):
    """SPEC §3/§4: a 研判调整 re-computes the open windows — handling_hours 72→24 moves the
    pending W-HANDLE to assignment+24 h (the change is recorded in the timeline)."""
    incident = await report(env, incident_id, handling_hours=72)
    await incident.at(hours=1)
    await incident.send("analyze", handling_hours=24, note="加急办理")
    status = await incident.status()
    assert entries(status, "reanalyze")
    handle = window(status, "W-HANDLE", UNIT)
    assert handle.state.value == "pending"
    assert handle.deadline == status.assignment(UNIT).assigned_at + timedelta(hours=24)
    assert handle.original_deadline == status.assignment(UNIT).assigned_at + timedelta(hours=72)
    assert status.assignment(UNIT).handling_deadline == handle.deadline
