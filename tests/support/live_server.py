"""Incidents on a real dev server (the ``dev_env`` fixture, tests/conftest.py), for the
tests that need what only a real server does: visibility queries, schedules, the archive."""

import asyncio
import uuid

from temporalio.testing import WorkflowEnvironment

from domain.messages import IncidentStart
from starter.api import report_incident


async def close_an_incident(env: WorkflowEnvironment) -> str:
    """Report an incident and take it to its close (u1 signs, answers, is reviewed); its id."""
    now = await env.get_current_time()
    start = IncidentStart.model_validate({
        "incident_id": f"AUD-{uuid.uuid4().hex[:8]}", "profile": "nantong-2017", "title": "审计",
        "actor": "平台", "report": {"platform": "p", "detected_at": now.isoformat()},
        "analysis": {"category": "R2", "severity": "一般", "units": [{"unit_id": "u1"}]}})
    handle = await report_incident(env.client, start, now=await env.get_current_time())
    for name, fields in [("acknowledge", {}),
                         ("record_response", {"channel": "platform_reply", "summary": "已回复"}),
                         ("submit_feedback", {"summary": "已办", "resolved": True}),
                         ("review_feedback", {"accepted": True})]:
        await handle.signal(name, {"unit_id": "u1", "actor": "测试", **fields})
    await handle.result()
    return handle.id


async def eventually(check, seconds: float = 60):
    """Visibility is eventually consistent: retry ``check`` until it returns truthy."""
    for _ in range(int(seconds * 4)):
        if result := await check():
            return result
        await asyncio.sleep(0.25)
    raise AssertionError("condition not reached in time")
