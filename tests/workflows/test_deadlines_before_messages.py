"""Workflow version 7: whatever was past when a message's task began falls before the message.

A timer can reach the workflow late (a busy server, a worker restarting) or in the same task
as a message the SDK hands over first; from version 7 the record does not depend on it. Here
the W-ACK timer (2 h) fires while no worker runs and a 签收 sent a second later comes in the
same task: version 7 records the miss and its 提醒 (reminder) first; version 6 took the 签收
first, and no reminder went out.
"""

import asyncio
import time
from datetime import timedelta

from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.worker import (
    HandleSignalInput, Interceptor, StartActivityInput, WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput, WorkflowOutboundInterceptor,
)

from domain.status import IncidentStatus
from starter.api import incident_status, report_incident
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker
from tests.workflows.scenario import UNIT, start_payload, window
from workers.audit.replay import replay_all


async def acknowledged_into_the_timers_task(version: int, incident_id: str, outbox_dir):
    env = await start_time_skipping_server()  # its own: the worker is stopped in between
    # (no cache: no task waits on a stopped worker's own queue)
    try:
        now = await env.get_current_time()
        start = start_payload(incident_id, now).model_copy(update={"workflow_version": version})
        async with incident_worker(env.client, outbox_dir, max_cached_workflows=0):
            handle = await report_incident(env.client, start, now=now)
            await env.sleep(timedelta(hours=2) - timedelta(seconds=2))  # its notices out
            await incident_status(env.client, incident_id)
        await env.sleep(timedelta(seconds=3))  # W-ACK's timer fires; no worker takes it
        await handle.signal("acknowledge", {"unit_id": UNIT, "actor": "南通市住建局 张三"})
        async with incident_worker(env.client, outbox_dir, max_cached_workflows=0):
            await env.sleep(timedelta(seconds=1))
            status = await incident_status(env.client, incident_id)
        history = await handle.fetch_history()
    finally:
        await env.shutdown()
    return status, history


def actions(status: IncidentStatus) -> list[str]:
    return [entry.action for entry in status.timeline if entry.action != "notice_receipt"]


def one_task_took_both(history) -> bool:
    """The timer's firing and the 签收 reached the workflow in one task (as the test means)."""
    kinds = [e.event_type for e in history.events]
    fired = kinds.index(EventType.EVENT_TYPE_TIMER_FIRED)
    signal = kinds.index(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, fired)
    return EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED not in kinds[fired:signal]


async def test_version_7_records_the_missed_deadline_before_the_late_message(
        incident_id, outbox_dir):
    status, history = await acknowledged_into_the_timers_task(7, incident_id, outbox_dir)
    assert one_task_took_both(history)
    assert actions(status)[-3:] == ["window_missed", "remind", "acknowledge"]  # the reminder first
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


async def test_version_6_took_the_message_first_and_still_replays_so(incident_id, outbox_dir):
    status, history = await acknowledged_into_the_timers_task(6, incident_id, outbox_dir)
    assert one_task_took_both(history)
    assert actions(status)[-2:] == ["window_missed", "acknowledge"]  # missed, met late
    assert "remind" not in actions(status)  # the 签收 came first: no reminder
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


def stall(seconds: float) -> None:
    """The task with the worker that much longer (real time); never on replay."""
    if not workflow.unsafe.is_replaying():
        with workflow.unsafe.sandbox_unrestricted():
            time.sleep(seconds)


class SlowTasks(Interceptor):
    """The opening task lasts 0.5 s longer, so W-ACK's timer, started in it for 2 h from the
    task's time, fires 0.5 s after 2 h; a task taking a 签收 lasts 0.6 s longer."""

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput):
        return SlowInbound


class SlowInbound(WorkflowInboundInterceptor):
    def init(self, outbound: WorkflowOutboundInterceptor) -> None:
        super().init(SlowOpening(outbound))

    async def handle_signal(self, input: HandleSignalInput) -> None:
        if input.signal == "acknowledge":
            stall(0.6)
        await super().handle_signal(input)


class SlowOpening(WorkflowOutboundInterceptor):
    stalled = False

    def start_activity(self, input: StartActivityInput):
        if not self.stalled:
            self.stalled = True
            stall(0.5)
        return super().start_activity(input)


async def test_version_7_lets_the_timer_of_a_deadline_a_message_fell_fire(
        incident_id, outbox_dir):
    """签收 0.2 s after W-ACK's 2 h, before its timer fires: the message falls W-ACK first,
    and the timer the loop waits on fires while the 签收's task runs. Cancelling it then was
    refused by the time-skipping server ("invalid history builder state for action",
    sdk-java#3088), which stranded the run; version 7 lets that timer fire instead."""
    env = await start_time_skipping_server()  # its own: a stranded run stops its skipping
    try:
        now = await env.get_current_time()
        start = start_payload(incident_id, now).model_copy(update={"workflow_version": 7})
        async with incident_worker(env.client, outbox_dir, interceptors=[SlowTasks()]):
            handle = await report_incident(env.client, start, now=now)
            await env.sleep(timedelta(hours=2) - timedelta(seconds=2))  # its notices out
            ack = window(await incident_status(env.client, incident_id), "W-ACK", UNIT).deadline
            await env.sleep(ack + timedelta(seconds=0.2) - await env.get_current_time())
            await handle.signal("acknowledge", {"unit_id": UNIT, "actor": "南通市住建局 张三"})
            await asyncio.wait_for(env.sleep(timedelta(seconds=1)), 30)
            history = await handle.fetch_history()
            status = await asyncio.wait_for(incident_status(env.client, incident_id), 30)
    finally:
        await env.shutdown()
    kinds = [e.event_type for e in history.events]
    signal = kinds.index(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
    assert EventType.EVENT_TYPE_TIMER_FIRED in kinds[signal:]  # while the 签收's task ran
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED in kinds[signal:]  # not stranded
    assert actions(status)[-3:] == ["window_missed", "remind", "acknowledge"]
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error
