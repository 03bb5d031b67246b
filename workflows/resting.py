"""Between workflow tasks an incident's start and state rest as compressed JSON (静置).

A cached incident waits hours or days between messages, and as Python objects its state
and start cost the worker about ten times their JSON. So each is thawed when first read in
a piece of work (``Kept.work``) and put back to rest when the outermost piece ends. Nothing
here reaches the history; while a history is replayed nothing rests.
"""

import contextlib
import zlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from pydantic import BaseModel
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.messages import IncidentStart
    from domain.procedure.step import IncidentState

COMPRESSION_LEVEL = 1  # a few KB of JSON: the fastest level already halves it
Model = TypeVar("Model", bound=BaseModel)


class Resting(Generic[Model]):
    """One model: the object while awake, compressed JSON while at rest."""

    def __init__(self, value: Model) -> None:
        self.model, self.awake, self.blob = type(value), value, b""

    @property
    def value(self) -> Model:
        if self.awake is None:
            self.awake = self.model.model_validate_json(zlib.decompress(self.blob))
        return self.awake

    def rest(self) -> None:
        if self.awake is not None:
            self.blob = zlib.compress(self.awake.model_dump_json().encode(), COMPRESSION_LEVEL)
            self.awake = None


class Kept:
    """An incident's start and state, and when they rest: after each piece of work, once
    ``noted`` has read from the state what the workflow keeps at hand meanwhile."""

    def __init__(self, start: IncidentStart, state: IncidentState,
                 noted: Callable[[IncidentState], None]) -> None:
        self.resting_start, self.resting_state = Resting(start), Resting(state)
        self.noted, self.depth = noted, 0

    @property
    def start(self) -> IncidentStart:
        return self.resting_start.value

    @property
    def state(self) -> IncidentState:
        return self.resting_state.value

    @contextlib.contextmanager
    def work(self) -> Iterator[IncidentState]:
        """One piece of work (never across an await): the state, resting again after it."""
        self.depth += 1
        try:
            yield self.state
        finally:
            self.depth -= 1
            if not self.depth:
                self.noted(self.state)
                if not (workflow.in_workflow() and workflow.unsafe.is_replaying()):
                    self.resting_start.rest()
                    self.resting_state.rest()
