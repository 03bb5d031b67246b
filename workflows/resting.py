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
from typing import TypeVar

from pydantic import BaseModel
from temporalio import workflow
from temporalio.workflow import ReadOnlyContextError

with workflow.unsafe.imports_passed_through():
    from domain.messages import IncidentStart
    from domain.procedure.step import IncidentState

COMPRESSION_LEVEL = 1  # a few KB of JSON: the fastest level already halves it
Model = TypeVar("Model", bound=BaseModel)


def _thawed(blob: bytes, model: type[Model]) -> Model:
    return model.model_validate_json(zlib.decompress(blob))


def _frozen(value: BaseModel) -> bytes:
    return zlib.compress(value.model_dump_json().encode("utf-8"), COMPRESSION_LEVEL)


class RestingState:
    """``self.state`` and ``self.start`` for ``IncidentWorkflow``: awake during a task."""

    _awake_state: IncidentState | None = None
    _resting_state: bytes | None = None
    _awake_start: IncidentStart | None = None
    _resting_start: bytes | None = None
    _rest_queued: bool = False
    _closed: bool = False

    @property
    def state(self) -> IncidentState:
        if self._awake_state is None:
            self._awake_state = _thawed(self._resting_state, IncidentState)
            self._resting_state = None
        self._queue_rest()
        return self._awake_state

    @state.setter
    def state(self, state: IncidentState) -> None:
        self._awake_state, self._resting_state = state, None
        self._closed = state.status.stage.is_final

    @property
    def start(self) -> IncidentStart:
        if self._awake_start is None:
            self._awake_start = _thawed(self._resting_start, IncidentStart)
            self._resting_start = None
        self._queue_rest()
        return self._awake_start

    @start.setter
    def start(self, start: IncidentStart) -> None:
        self._awake_start, self._resting_start = start, None

    @property
    def is_closed(self) -> bool:
        """Whether the incident has ended, read without waking a resting state."""
        return self._closed if self._awake_state is None else self._awake_state.status.stage.is_final

    def _queue_rest(self) -> None:
        if self._rest_queued:
            return
        try:
            asyncio.get_running_loop().call_soon(self._rest)
            self._rest_queued = True
        except (ReadOnlyContextError, RuntimeError):
            pass  # a query or a validator: it rests after the next task

    def _rest(self) -> None:
        self._rest_queued = False
        if self._awake_state is not None:
            self._closed = self._awake_state.status.stage.is_final
            self._resting_state, self._awake_state = _frozen(self._awake_state), None
        if self._awake_start is not None:
            self._resting_start, self._awake_start = _frozen(self._awake_start), None
