"""Deliveries land in the outbox: 交办单 per unit (R-5), 催办 notices (E-URGE), 移交 (C-X)."""

from datetime import datetime

from tests.workflows.scenario import UNIT, close_to, outbox_files, report, wait_for_outbox, window


async def test_assignment_form_per_unit(env, worker, incident_id, outbox_dir):
    """R-5: each unit's form states the unit, lead, category, reply form and both deadlines."""
    incident = await report(env, incident_id, units=(UNIT, "u-b"), handling_hours=36,
                            reply_form="网上回复")
    status = await incident.status()
    forms = {f["unit"]["recipient_id"]: f
             for f in await wait_for_outbox(outbox_dir, "assignment_forms", incident_id, count=2)}
    assert set(forms) == {UNIT, "u-b"}
    lead = forms[UNIT]
    assert lead["form_id"] == f"{incident_id}-{UNIT}-1" and lead["lead"] is True
    assert forms["u-b"]["lead"] is False
    assert (lead["category"], lead["severity"], lead["reply_form"]) == ("R2", "一般", "网上回复")
    assert lead["emergency"] is False
    handling = window(status, "W-HANDLE", UNIT).deadline
    assert datetime.fromisoformat(lead["handling_deadline"]) == handling  # 答复时间
    assert close_to(handling, incident.after(hours=36))  # from the assignment
    assert close_to(datetime.fromisoformat(lead["ack_deadline"]), incident.after(hours=2))
    assert lead["reply_form_default"] is False
    assert forms["u-b"]["reply_form"] == "网上回复"
    assert any("https://bbs.example.org/thread/1" in r for r in lead["reports"])


async def test_reminder_notification(env, worker, incident_id, outbox_dir):
    """A missed W-ACK (a local default) sends that unit a reminder (提醒), not a 催办."""
    incident = await report(env, incident_id, units=(UNIT, "u-b"))
    await incident.send("acknowledge", unit_id="u-b")
    await incident.at(hours=2, minutes=1)
    [reminder] = await wait_for_outbox(outbox_dir, "notifications", incident_id, "_reminder")
    assert [r["recipient_id"] for r in reminder["recipients"]] == [UNIT]
    assert "提醒" in reminder["subject"]
    assert outbox_files(outbox_dir, "notifications", incident_id, "_urge") == []


async def test_urge_notification(env, worker, incident_id, outbox_dir):
    """E-URGE: a missed W-HANDLE (逾期不反馈) sends an urge by phone, SMS and message to that unit."""
    incident = await report(env, incident_id, units=(UNIT, "u-b"), handling_hours=4)
    for unit_id in (UNIT, "u-b"):
        await incident.send("acknowledge", unit_id=unit_id)
    await incident.send("submit_feedback", unit_id="u-b", summary="已办理", resolved=True)
    await incident.at(hours=4, minutes=1)
    urges = await wait_for_outbox(outbox_dir, "notifications", incident_id, "_urge")
    assert len(urges) == 1
    urge = urges[0]
    assert urge["incident_id"] == incident_id and urge["kind"] == "urge"
    assert [r["recipient_id"] for r in urge["recipients"]] == [UNIT]
    assert set(urge["channels"]) == {"phone", "sms", "message"}
    assert "催办" in urge["subject"]


async def test_rumour_transfer_file(env, worker, incident_id, outbox_dir):
    """C-X: the transfer names its receivers, the reason, who transferred and the leads."""
    await report(env, incident_id, category="E2", severity="一般", rumour=True,
                 url="https://weibo.example/rumour/1")
    transfers = await wait_for_outbox(outbox_dir, "rumour_transfers", incident_id)
    assert len(transfers) == 1
    transfer = transfers[0]
    assert transfer["incident_id"] == incident_id and transfer["reason"]
    assert transfer["actor"] == "系统"
    assert any("https://weibo.example/rumour/1" in lead for lead in transfer["leads"])
    assert [r["name"] for r in transfer["receivers"]] == ["公安机关", "网络监管部门"]
