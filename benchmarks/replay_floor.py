"""The SDK's floor for replaying yuqing's own histories: an echo of the recorded commands.

``RecordedCommands`` is registered under the incident's workflow type and does nothing of
the procedure: at each workflow task it issues the commands that task recorded (a local
activity, without input as its marker records none; an activity with its recorded input;
a timer started or cancelled; a search-attribute upsert; the result), in their recorded
order, once as many signals, activity results and timers fired have arrived as had
arrived when the task started. The ``Replayer``, with the audit's converter and codec,
then does all its own work for each history (every activation, every payload through the
codec, the core's check of each command against the history, the completions) and the
workflow next to none. Its events per second is the most any workflow could reach on
these histories with this SDK and codec (``benchmarks.replay_speed.floor_replayer`` times
it with one replayer and side by side, as the audit runs): the gap between it and
yuqing's audit is yuqing's own code, the gap between it and the raw workflow's replay is
the SDK's.

A history the echo cannot reproduce (a patch's marker, an update, a failed task, a
continue-as-new, no result, a search attribute not ours) is refused by name before any
timing, never replayed differently.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.api.common.v1 import SearchAttributes
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHistory
from temporalio.common import RawValue, SearchAttributeUpdate
from temporalio.converter import decode_typed_search_attributes

from temporal.names import WORKFLOW_TYPE
from temporal.search_attributes import KEYS

# What arrives and wakes the workflow: counted, so that each task's commands wait for them.
ARRIVALS = {EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, EventType.EVENT_TYPE_TIMER_FIRED}
# The workflow task's own bookkeeping, and what follows a command without being one.
PASSIVE = {EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
           EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
           EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
           EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED}
COMMANDS = {EventType.EVENT_TYPE_MARKER_RECORDED, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
            EventType.EVENT_TYPE_TIMER_STARTED, EventType.EVENT_TYPE_TIMER_CANCELED,
            EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED}
LOCAL_ACTIVITY_MARKER = "core_local_activity"
TIMEOUT = timedelta(minutes=1)  # any value: a replay never runs an activity


class UnknownEvent(ValueError):
    """A history with an event the echo does not reproduce."""


@dataclass
class TaskCommands:
    """One workflow task's commands, and how many arrivals it waited for."""

    arrivals: int
    commands: list[HistoryEvent] = field(default_factory=list)


@dataclass
class Plan:
    tasks: list[TaskCommands]
    upserts: dict[int, list[SearchAttributeUpdate]]  # event id → the recorded updates
    local_activities: dict[int, str]  # a local activity's marker's event id → its type


PLANS: dict[str, Plan] = {}  # by run id, read by the echo when it replays that history


def plan_of(history: WorkflowHistory) -> Plan:
    """The commands of each workflow task of ``history``, with their arrivals counted."""
    tasks: list[TaskCommands] = []
    upserts: dict[int, list[SearchAttributeUpdate]] = {}
    local_activities: dict[int, str] = {}
    arrived = at_start = 0
    for event in history.events:
        kind = event.event_type
        if kind in ARRIVALS:
            arrived += 1
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            at_start = arrived
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            tasks.append(TaskCommands(at_start))
        elif kind in COMMANDS:
            if not tasks:
                raise UnknownEvent(f"{history.workflow_id}: a command before any task")
            tasks[-1].commands.append(event)
            if kind == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
                attributes = event.upsert_workflow_search_attributes_event_attributes
                upserts[event.event_id] = recorded_updates(attributes.search_attributes)
            elif kind == EventType.EVENT_TYPE_MARKER_RECORDED:
                local_activities[event.event_id] = local_activity_type(history, event)
        elif kind not in PASSIVE:
            raise UnknownEvent(f"{history.workflow_id}: {EventType.Name(kind)}")
    if not tasks or not tasks[-1].commands or tasks[-1].commands[-1].event_type != \
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        raise UnknownEvent(f"{history.workflow_id}: no result (an open or failed run)")
    return Plan(tasks, upserts, local_activities)


def local_activity_type(history: WorkflowHistory, event: HistoryEvent) -> str:
    """The type of the local activity a marker records; a patch's marker is not echoed."""
    marker = event.marker_recorded_event_attributes
    if marker.marker_name != LOCAL_ACTIVITY_MARKER:
        raise UnknownEvent(f"{history.workflow_id}: marker {marker.marker_name}")
    # the marker's data is the core's own JSON, never through the codec
    return json.loads(marker.details["data"].payloads[0].data)["activity_type"]


def recorded_updates(recorded: SearchAttributes) -> list[SearchAttributeUpdate]:
    """An upsert's values as the workflow would pass them; a null is a value removed."""
    updates: list[SearchAttributeUpdate] = []
    for name, payload in recorded.indexed_fields.items():
        if name not in KEYS:
            raise UnknownEvent(f"search attribute {name}")
        if payload.metadata.get("encoding") == b"binary/null":
            updates.append(KEYS[name].value_unset())
        else:
            single_attribute = SearchAttributes(indexed_fields={name: payload})
            updates += [pair.key.value_set(pair.value)
                        for pair in decode_typed_search_attributes(single_attribute)]
    return updates


def prepare(histories: Sequence[WorkflowHistory]) -> None:
    """Plan every history before any timing (the plan is the echo's input, not its work)."""
    PLANS.clear()
    for history in histories:
        PLANS[history.run_id] = plan_of(history)


@workflow.defn(name=WORKFLOW_TYPE, sandboxed=False)
class RecordedCommands:
    def __init__(self) -> None:
        self.arrived = 0
        self.timers: dict[int, asyncio.Task[None]] = {}

    @workflow.signal(dynamic=True)
    def any_signal(self, name: str, args: Sequence[RawValue]) -> None:
        self.arrived += 1

    def _count_arrival(self, task: asyncio.Future[Any]) -> None:
        if not task.cancelled():
            self.arrived += 1

    @workflow.run
    async def run(self, start: RawValue) -> RawValue:
        plan = PLANS[workflow.info().run_id]
        for task in plan.tasks:
            await workflow.wait_condition(lambda: self.arrived >= task.arrivals)
            for event in task.commands:
                result = await self._issue(event, plan)
                if result is not None:
                    return result
        raise UnknownEvent("the history has no result")  # plan_of refuses such a history

    async def _issue(self, event: HistoryEvent, plan: Plan) -> RawValue | None:
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_MARKER_RECORDED:
            await workflow.execute_local_activity(
                plan.local_activities[event.event_id], start_to_close_timeout=TIMEOUT,
                result_type=RawValue)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled = event.activity_task_scheduled_event_attributes
            handle = workflow.start_activity(
                scheduled.activity_type.name,
                args=[RawValue(payload) for payload in scheduled.input.payloads],
                task_queue=scheduled.task_queue.name,
                activity_id=scheduled.activity_id, start_to_close_timeout=TIMEOUT,
                result_type=RawValue)
            handle.add_done_callback(self._count_arrival)
        elif kind == EventType.EVENT_TYPE_TIMER_STARTED:
            started = event.timer_started_event_attributes
            timer = asyncio.ensure_future(
                asyncio.sleep(started.start_to_fire_timeout.ToTimedelta().total_seconds()))
            timer.add_done_callback(self._count_arrival)
            self.timers[event.event_id] = timer
        elif kind == EventType.EVENT_TYPE_TIMER_CANCELED:
            self.timers[event.timer_canceled_event_attributes.started_event_id].cancel()
        elif kind == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            workflow.upsert_search_attributes(plan.upserts[event.event_id])
        elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
            completed = event.workflow_execution_completed_event_attributes
            return RawValue(completed.result.payloads[0])
        await asyncio.sleep(0)  # a timer's task adds its start or cancel before the next command
        return None
