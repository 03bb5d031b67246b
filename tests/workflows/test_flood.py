"""A flood of signals that lands in one workflow task (issue #20): every signal applied,
the UI's details rendered once for the task (not once per signal, which ran past the
deadlock detector), no workflow task failed, and the incident continues as new."""

import asyncio
from datetime import datetime, timezone

from temporalio.api.enums.v1 import EventType

import domain.current_details as current_details
from temporal.names import workflow_id_for
from starter.api import with_current_versions
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker
from tests.workflows.scenario import start_payload
from workflows import IncidentWorkflow

FLOOD = 2_100  # past the run's signal budget (2,000)
QUEUE = "flood-in-one-task"


async def test_a_flood_in_one_task_is_applied_with_one_rendering(tmp_path, monkeypatch,
                                                                  incident_id):
    rendered: list[int] = []
    real = current_details.render_current_details
    monkeypatch.setattr(current_details, "render_current_details",
                        lambda status, now: rendered.append(1) or real(status, now))
    start = with_current_versions(start_payload(incident_id, datetime.now(timezone.utc)))
    async with await start_time_skipping_server() as env:
        handle = await env.client.start_workflow(
            IncidentWorkflow.run, start, id=workflow_id_for(incident_id), task_queue=QUEUE)
        for first in range(0, FLOOD, 100):  # all pending before any worker polls
            await asyncio.gather(*(handle.signal("acknowledge", {"actor": "洪水", "unit_id": "x"})
                                   for _ in range(first, min(FLOOD, first + 100))))
        async with incident_worker(env.client, tmp_path, task_queue=QUEUE):
            latest = env.client.get_workflow_handle(handle.id)
            for _ in range(300):
                if (await latest.describe()).run_id != handle.result_run_id:
                    break
                await asyncio.sleep(0.1)
            status = await latest.query("status")
        first = env.client.get_workflow_handle(handle.id, run_id=handle.result_run_id)
        first_run = [e.event_type async for e in first.fetch_history_events()]
    assert status["refused_total"] == FLOOD
    assert EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW in first_run
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED not in first_run
    assert len(rendered) < 10, f"rendered {len(rendered)} times for {FLOOD} signals"
