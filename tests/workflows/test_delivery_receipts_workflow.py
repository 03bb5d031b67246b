"""Receipts in the record (workflow version 4): each channel's answer on the timeline and in
the current details; a notice no channel delivered alerts the office, shows under 待办, and
never delays a statutory timer."""

import asyncio
import uuid
from datetime import timedelta

import pytest
from temporalio.api.sdk.v1 import WorkflowMetadata

from activities import build_activities
from activities.channels.settings import NoticeSettings
from tests.support.receivers import HttpReceiver
from tests.support.worker import incident_worker
from workers.dev_server import free_ports

QUEUE = "yuqing-receipts"


@pytest.fixture
def receiver():
    server = HttpReceiver()
    yield server
    server.close()


def notices(receiver: HttpReceiver, unit_url: str) -> NoticeSettings:
    return NoticeSettings.model_validate({
        "attempts": 2,
        "channels": {"zjj-wecom": {"type": "wecom", "url": unit_url, "timeout_seconds": 2},
                     "office-hook": {"type": "webhook", "url": receiver.url("/office")}},
        "contacts": {"nt-zjj": {"name": "住建局", "channels": ["zjj-wecom"]},
                     "cac": {"name": "网信办", "channels": ["office-hook"]}}})


async def start(env, incident_id: str):
    now = await env.get_current_time()
    return await env.client.start_workflow("IncidentWorkflow", {
        "incident_id": incident_id, "profile": "nantong-2017", "title": "小区停水三天",
        "actor": "平台", "workflow_version": 4,
        "report": {"platform": "微博", "url": "https://weibo.example/1",
                   "detected_at": now.isoformat()},
        "analysis": {"category": "R2", "severity": "一般",
                     "units": [{"unit_id": "nt-zjj", "name": "住建局", "lead": True}]}},
        id=f"incident-{incident_id}", task_queue=QUEUE)


async def until(handle, wanted, seconds: float = 30.0) -> dict:
    for _ in range(int(seconds * 5)):
        status = await handle.query("status")
        if wanted(status):
            return status
        await asyncio.sleep(0.2)
    raise AssertionError(f"never happened; timeline: {[e['detail'] for e in status['timeline']]}")


async def current_details(handle) -> str:
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    return metadata.current_details


async def test_the_form_is_delivered_and_its_receipt_recorded(env, receiver, tmp_path):
    incident_id = f"RCPT-{uuid.uuid4().hex[:8]}"
    activities = build_activities(tmp_path, notices(receiver, receiver.url("/zjj")))
    async with incident_worker(env.client, tmp_path, task_queue=QUEUE, activities=activities):
        handle = await start(env, incident_id)
        status = await until(handle, lambda s: any(e["action"] == "notice_receipt"
                                                   for e in s["timeline"]))
        details = await current_details(handle)
        await handle.terminate("test finished")
    [receipt] = [e["detail"] for e in status["timeline"] if e["action"] == "notice_receipt"]
    assert receipt.startswith("交办单 已送达 住建局（企业微信 ") and receipt.endswith("，北京时间）")
    assert receipt in details and "**通知送达（新→旧）**" in details
    assert len(receiver.at("/zjj")) == 1 and status["undelivered"] == []


async def test_a_unit_no_channel_reaches_alerts_the_office_and_delays_nothing(env, receiver,
                                                                              tmp_path):
    incident_id = f"DOWN-{uuid.uuid4().hex[:8]}"
    down = f"http://127.0.0.1:{free_ports(1)[0]}/zjj"
    activities = build_activities(tmp_path, notices(receiver, down))
    async with incident_worker(env.client, tmp_path, task_queue=QUEUE, activities=activities):
        handle = await start(env, incident_id)
        await env.sleep(timedelta(hours=2, minutes=1))  # W-ACK: 2 h to sign the form
        status = await until(handle, lambda s: s["undelivered"] and receiver.at("/office"))
        details = await current_details(handle)
        await handle.terminate("test finished")
    ack = next(w for w in status["windows"] if w["id"] == "W-ACK")
    assert ack["state"] == "missed"  # on time, while the form could not be delivered
    form = next(u for u in status["undelivered"] if u["notice"] == "交办单")
    assert form["recipients"] == ["住建局"]  # then the 催办 for the missed W-ACK, just as lost
    failed = [e["detail"] for e in status["timeline"]
              if e["action"] == "notice_receipt" and e["detail"].startswith("交办单")]
    assert len(failed) == 2 and all("交办单 无法连接 住建局（企业微信" in d for d in failed)
    alert = receiver.at("/office")[0]
    assert alert.body["kind_label"] == "未送达提醒" and "交办单" in alert.body["body"]
    assert "⚠️ 未送达：交办单" in details.split("**待办**")[1]
