"""Bad start input: a clear error, never a stuck workflow (README: Operating safely, bad input)."""

from datetime import timedelta

import pytest
from temporalio.client import WorkflowFailureError

from temporal.names import TASK_QUEUE


async def test_unusable_start_fails_the_incident_with_the_reason(env, worker, incident_id):
    handle = await env.client.start_workflow(
        "IncidentWorkflow", {"incident_id": incident_id, "profile": "beijing-2099"},
        id=f"incident-{incident_id}", task_queue=TASK_QUEUE)
    with pytest.raises(WorkflowFailureError) as caught:
        await handle.result()
    message = str(caught.value.cause)
    assert "报送内容无效" in message and "profile" in message and "title：缺少必填字段" in message


async def test_unacceptable_analysis_with_the_report_is_refused_not_fatal(env, worker, incident_id):
    now = await env.get_current_time()
    handle = await env.client.start_workflow("IncidentWorkflow", {
        "incident_id": incident_id, "profile": "national-2016", "title": "t", "actor": "平台",
        "report": {"platform": "p", "detected_at": now.isoformat()},
        "analysis": {"category": "R2", "severity": "一般", "units": [{"unit_id": "u1"}],
                     "response_hours": 72}}, id=f"incident-{incident_id}", task_queue=TASK_QUEUE)
    await env.sleep(timedelta(seconds=1))
    status = await handle.query("status")
    assert status["stage"] == "analysis"
    assert "response_hours 不得超过法定回应时限 48 小时" in status["rejected_inputs"][0]["reason"]
    await handle.signal("analyze", {"actor": "网信办", "category": "R2", "severity": "一般",
                                    "units": [{"unit_id": "u1"}], "response_hours": 24})
    await env.sleep(timedelta(seconds=1))
    status = await handle.query("status")
    assert status["stage"] == "assignment"
    resp = next(w for w in status["windows"] if w["id"] == "W-RESP")
    assert resp["hours"] == 24
