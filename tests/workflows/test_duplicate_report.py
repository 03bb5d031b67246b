"""Collection (收集): a second report of the same incident_id merges into the running incident."""

from datetime import timedelta

import pytest

from starter.api import IncidentClosed, report_incident
from tests.workflows.scenario import entries, refusals, report, start_payload, window


async def test_new_item_merges_into_same_workflow(env, worker, incident_id):
    """Same incident_id, new URL → same workflow run; reports grows; timeline add_report."""
    incident = await report(env, incident_id, url="https://bbs.example.org/thread/1")
    await incident.at(hours=1)
    again = await report_incident(env.client, start_payload(
        incident_id, incident.detected_at + timedelta(minutes=30),
        url="https://weibo.example/post/2"), now=await env.get_current_time())
    assert again.id == incident.handle.id
    assert again.result_run_id == incident.handle.result_run_id
    status = await incident.status()
    assert [r.url for r in status.reports] == [
        "https://bbs.example.org/thread/1", "https://weibo.example/post/2"]
    assert len(entries(status, "add_report")) == 1
    assert not status.rejected_inputs
    # still one incident, one assignment, windows from the first detection
    assert len(status.assignments) == 1
    assert window(status, "W-RESP").deadline == incident.after(hours=48)


async def test_identical_report_changes_nothing(env, worker, incident_id):
    """The identical report again: reports and timeline unchanged, nothing refused."""
    incident = await report(env, incident_id)
    await incident.delivered()  # receipts land when the channels answer
    before = await incident.status()
    await report_incident(env.client, start_payload(incident_id, incident.detected_at),
                          now=await env.get_current_time())
    after = await incident.status()
    assert len(after.reports) == 1
    assert len(after.timeline) == len(before.timeline)
    assert not after.rejected_inputs


async def test_earlier_sighting_moves_windows(env, worker, incident_id):
    """Windows run from the first detection: a report first seen 6 h earlier pulls W-RESP in."""
    incident = await report(env, incident_id)
    await report_incident(env.client, start_payload(
        incident_id, incident.detected_at - timedelta(hours=6), url="https://tieba.example/3"),
        now=await env.get_current_time())
    status = await incident.status()
    assert len(status.reports) == 2
    assert window(status, "W-RESP").deadline == incident.after(hours=42)


async def test_add_report_from_the_future_refused(env, worker, incident_id):
    """add_report with detected_at in the future is refused with a reason."""
    incident = await report(env, incident_id)
    await incident.send("add_report", report={
        "platform": "微博", "url": "https://weibo.example/9",
        "detected_at": incident.after(days=2).isoformat()})
    status = await incident.status()
    assert len(status.reports) == 1
    assert any("detected_at" in r for r in refusals(status, "add_report"))


async def test_a_report_for_a_closed_incident_is_refused(env, worker, incident_id):
    """No second run is ever started silently for an incident that has ended (README,
    "Operating safely")."""
    incident = await report(env, incident_id, category="R4")
    await incident.send("withdraw", reason="经核实不属于政务舆情")
    await incident.handle.result()
    with pytest.raises(IncidentClosed, match=f"{incident_id} 已撤销（"):  # as the server says
        await report_incident(env.client, start_payload(incident_id, incident.detected_at),
                              now=await env.get_current_time())
    assert (await incident.status()).stage.value == "withdrawn"


async def test_a_start_outside_the_time_limits_is_refused_before_anything_starts(env, worker,
                                                                                  incident_id):
    now = await env.get_current_time()
    for detected in (now + timedelta(days=2), now - timedelta(days=400)):
        with pytest.raises(ValueError, match="detected_at"):
            await report_incident(env.client, start_payload(incident_id, detected), now=now)
