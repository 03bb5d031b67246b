"""The routine single-unit incident, from report to accepted feedback, as a client drives it.

Shared by the action-count script and its test, so both measure the same path.
"""

import uuid
from datetime import timedelta

from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from domain.messages import IncidentStart
from starter.api import report_incident

UNIT = "nt-zjj"


async def run_routine_incident(env: WorkflowEnvironment) -> WorkflowHistory:
    now = await env.get_current_time()
    start = IncidentStart.model_validate({
        "incident_id": f"ROUTINE-{uuid.uuid4().hex[:8]}", "profile": "nantong-2017",
        "title": "某小区电梯频繁故障无人维修",
        "report": {"platform": "人民网地方领导留言板", "url": "https://example.org/thread/123",
                   "region": "崇川区", "detected_at": now.isoformat()},
        "analysis": {"category": "R2", "severity": "一般", "reply_form": "网上回复",
                     "handling_hours": 72,
                     "units": [{"unit_id": UNIT, "name": "南通市住房和城乡建设局", "lead": True}]},
        "actor": "网信办监测平台"})
    handle = await report_incident(env.client, start)
    steps = [
        ("acknowledge", {"unit_id": UNIT, "actor": "住建局 王五"}),
        ("record_response", {"unit_id": UNIT, "channel": "platform_reply",
                             "summary": "已安排维保单位检修", "actor": "住建局 王五"}),
        ("submit_feedback", {"unit_id": UNIT, "summary": "电梯已修复", "resolved": True,
                             "actor": "住建局 王五"}),
        ("review_feedback", {"unit_id": UNIT, "accepted": True, "actor": "网信办 李四"}),
    ]
    for name, payload in steps:
        await env.sleep(timedelta(hours=1))
        await handle.signal(name, payload)
    await handle.result()
    return await handle.fetch_history()
