"""Between workflow tasks, an incident's state and start rest as compressed JSON (静置).

A cached incident waits hours or days between messages, and as Python objects its
state (status, timeline, windows, assignments, receipts) and start cost the worker
about ten times their JSON. So each is thawed when a task first touches it and put back
to rest once the task's ready work has run: a callback on the workflow's own event
loop, queued behind that work. Nothing here reaches the history, so replay is
unchanged. A query or an update's validator (read-only: nothing may be queued) thaws
what it reads for a moment; it rests again after the next task.
"""

import asyncio
import zlib
from typing import Any

from pydantic import BaseModel
from temporalio import workflow
from temporalio.workflow import ReadOnlyContextError

with workflow.unsafe.imports_passed_through():
    from domain.messages import IncidentStart
    from domain.procedure.step import IncidentState

COMPRESSION_LEVEL = 1  # a few KB of JSON: the fastest level already halves it


class Resting:
    """A model attribute that is awake during a task and compressed JSON between tasks."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model

    def __set_name__(self, owner: type, name: str) -> None:
        self.awake, self.resting = f"_awake_{name}", f"_resting_{name}"

    def __get__(self, incident: "RestingState | None", owner: type | None = None) -> Any:
        if incident is None:
            return self
        value = vars(incident).get(self.awake)
        if value is None:
            blob = vars(incident)[self.resting]
            value = self.model.model_validate_json(zlib.decompress(blob))
            vars(incident).update({self.awake: value, self.resting: None})
        incident._queue_rest()
        return value

    def __set__(self, incident: "RestingState", value: BaseModel) -> None:
        vars(incident).update({self.awake: value, self.resting: None})

    def rest(self, incident: "RestingState") -> None:
        value = vars(incident).get(self.awake)
        if value is not None:
            blob = zlib.compress(value.model_dump_json().encode("utf-8"), COMPRESSION_LEVEL)
            vars(incident).update({self.awake: None, self.resting: blob})


class RestingState:
    """``self.state`` and ``self.start`` for ``IncidentWorkflow``: awake during a task."""

    state: IncidentState = Resting(IncidentState)  # type: ignore[assignment]
    start: IncidentStart = Resting(IncidentStart)  # type: ignore[assignment]
    _rest_queued: bool = False
    _closed: bool = False  # whether it had ended when the state last rested

    @property
    def is_closed(self) -> bool:
        """Whether the incident has ended, read without waking a resting state."""
        awake = vars(self).get("_awake_state")
        return self._closed if awake is None else awake.status.stage.is_final

    def _queue_rest(self) -> None:
        if self._rest_queued or not workflow.in_workflow():  # e.g. read after a replay
            return
        try:
            asyncio.get_running_loop().call_soon(self._rest)
            self._rest_queued = True
        except (ReadOnlyContextError, RuntimeError):
            pass  # a query or a validator: it rests after the next task

    def _rest(self) -> None:
        self._rest_queued = False
        self._closed = self.is_closed
        for attribute in (RestingState.state, RestingState.start):
            attribute.rest(self)
