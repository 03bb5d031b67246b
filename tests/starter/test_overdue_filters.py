"""超期未回应 / 超期未反馈 / 研判超期: each one exact README filter, on a real dev server.

OverdueWindows (README, "Finding incidents in the UI") lists the window ids overdue now,
the office's own misses included (rules version 3, SPEC §4 A-HOLD).
"""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from domain.messages import IncidentStart
from starter.api import report_incident
from tests.support.live_server import eventually
from workers.run import build_worker

pytestmark = pytest.mark.timeout(180)

NOT_ANSWERED = ('WorkflowType="IncidentWorkflow" AND OverdueWindows IN ("W-RESP", "W-FACTS", '
                '"W-AUTH", "W-PRESS") AND ExecutionStatus="Running"')
NOT_ANALYSED = ('WorkflowType="IncidentWorkflow" AND OverdueWindows="W-ANALYZE" '
                'AND ExecutionStatus="Running"')


async def reported(env, hours_ago: float, analysed: bool) -> str:
    now = await env.get_current_time()
    incident_id = f"FLT-{uuid.uuid4().hex[:8]}"
    payload = {"incident_id": incident_id, "profile": "nantong-2017", "title": "超期筛选",
               "actor": "平台", "report": {"platform": "p", "detected_at": (
                   now - timedelta(hours=hours_ago)).isoformat()}}
    if analysed:
        payload["analysis"] = {"category": "R2", "severity": "一般",
                               "units": [{"unit_id": "u-late", "lead": True}]}
    await report_incident(env.client, IncidentStart.model_validate(payload), now=now)
    return f"incident-{incident_id}"


async def test_each_overdue_kind_is_one_exact_filter(dev_env, tmp_path):
    with ThreadPoolExecutor(max_workers=2) as executor:
        async with build_worker(dev_env.client, tmp_path / "outbox", executor,
                                archive_dir=tmp_path / "archive"):
            unanswered = await reported(dev_env, 49, analysed=True)
            unanalysed = await reported(dev_env, 3, analysed=False)

            async def listed(query):
                ids = {e.id async for e in dev_env.client.list_workflows(query)}
                return ids if {unanswered, unanalysed} & ids else None
            answered_ids = await eventually(lambda: listed(NOT_ANSWERED))
            analysed_ids = await eventually(lambda: listed(NOT_ANALYSED))
    assert unanswered in answered_ids and unanalysed not in answered_ids
    assert unanalysed in analysed_ids and unanswered not in analysed_ids
