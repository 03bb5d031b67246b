"""A notification service that is down never delays a statutory timer (issue #2, activities)."""

import uuid
from datetime import timedelta

from temporalio import activity

from domain.notifications import AssignmentForm, Delivery, Notification, RumourTransfer
from tests.support.worker import incident_worker

QUEUE = "yuqing-delivery-down"


@activity.defn(name="send_notification")
async def send_notification_down(notification: Notification) -> Delivery:
    raise RuntimeError("短信网关不可用 (SMS gateway unreachable)")


@activity.defn(name="issue_assignment_form")
async def issue_form_down(form: AssignmentForm) -> Delivery:
    raise RuntimeError("电子交办系统不可用")


@activity.defn(name="transfer_rumour_case")
async def transfer_down(transfer: RumourTransfer) -> Delivery:
    raise RuntimeError("移交通道不可用")


async def test_windows_fire_on_time_while_every_delivery_fails(env, tmp_path):
    incident_id = f"DOWN-{uuid.uuid4().hex[:8]}"
    async with incident_worker(env.client, tmp_path, task_queue=QUEUE, activities=[
            send_notification_down, issue_form_down, transfer_down]):
        now = await env.get_current_time()
        handle = await env.client.start_workflow("IncidentWorkflow", {
            "incident_id": incident_id, "profile": "nantong-2017", "title": "化工园区爆炸",
            "actor": "平台", "report": {"platform": "微博", "detected_at": now.isoformat()},
            "analysis": {"category": "E1", "severity": "重大",
                         "units": [{"unit_id": "nt-yjj", "lead": True}]}},
            id=f"incident-{incident_id}", task_queue=QUEUE)
        await env.sleep(timedelta(hours=5, minutes=1))
        status = await handle.query("status")
        # Its deliveries would retry for days and hold the shared test server's clock.
        await handle.terminate("test finished")
    windows = {w["id"]: w for w in status["windows"] if w["seq"] == 1}
    assert "W-ACK" not in windows  # phoned first: the unit signs only once the form is filed
    assert windows["W-AUTH"]["state"] == "missed"  # 5 h, while the phone notice keeps failing
    assert windows["W-PRESS"]["state"] == "pending"
    assert status["escalation"] == "urged"
    assert any(e["action"] == "urge" for e in status["timeline"])
