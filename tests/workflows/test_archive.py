"""ArchiveWorkflow (workflows/archive.py): the command it records is what running schedules
and their histories hold — the activity ``archive_closed_incidents``, no arguments."""

import uuid
from datetime import timedelta

from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.worker import Replayer, Worker

from activities.archive import ArchiveRun
from temporal.names import ARCHIVE_WORKFLOW_TYPE, TASK_QUEUE
from workflows.archive import ArchiveWorkflow


@activity.defn(name="archive_closed_incidents")
async def archived_nothing() -> ArchiveRun:
    return ArchiveRun(archived=[], skipped=0, last_close_time=None)


async def test_the_archive_runs_its_activity_by_the_recorded_name_with_no_arguments(env):
    queue = f"{TASK_QUEUE}-archive-{uuid.uuid4().hex[:6]}"
    async with Worker(env.client, task_queue=queue, workflows=[ArchiveWorkflow],
                      activities=[archived_nothing]):
        handle = await env.client.start_workflow(
            ARCHIVE_WORKFLOW_TYPE, id=f"archive-{uuid.uuid4().hex[:6]}", task_queue=queue,
            result_type=ArchiveRun)
        assert await handle.result() == ArchiveRun(archived=[], skipped=0, last_close_time=None)
    history = await handle.fetch_history()
    scheduled = [e.activity_task_scheduled_event_attributes for e in history.events
                 if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]
    assert [(s.activity_type.name, list(s.input.payloads)) for s in scheduled] == [
        ("archive_closed_incidents", [])]
    assert scheduled[0].start_to_close_timeout.ToTimedelta() == timedelta(minutes=30)
    assert scheduled[0].retry_policy.maximum_attempts == 10
    await Replayer(workflows=[ArchiveWorkflow], data_converter=env.client.data_converter
                   ).replay_workflow(history)
