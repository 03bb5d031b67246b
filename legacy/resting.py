"""Between workflow tasks, an incident's state and start rest as compressed JSON (静置).

A cached incident waits hours or days between messages, and as Python objects its
state (status, timeline, windows, assignments, receipts) and start cost the worker
about ten times their JSON. So each is thawed when code first touches it and put back
to rest, explicitly, where a piece of the workflow's work ends: a handler, a query, a
validator, a deadline or grace period met, a delivery failed (``at_work``). Nothing
here reaches the history, so replay is unchanged; nothing depends on the order in which
the SDK runs callbacks on the workflow's loop. While a history is replayed nothing rests:
the first piece of new work after the replay does.

A piece of work never awaits inside ``at_work``: what it read of the state stays the
state's until it returns. A read outside any (after the run ends, after a replay) leaves
the state awake until the next piece of work ends.
"""

import contextlib
import functools
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.messages import IncidentStart
    from domain.engine.step import IncidentState

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
        return value

    def __set__(self, incident: "RestingState", value: BaseModel) -> None:
        vars(incident).update({self.awake: value, self.resting: None})

    def rest(self, incident: "RestingState") -> None:
        value = vars(incident).get(self.awake)
        if value is not None:
            blob = zlib.compress(value.model_dump_json().encode("utf-8"), COMPRESSION_LEVEL)
            vars(incident).update({self.awake: None, self.resting: blob})


class RestingState:
    """``self.state`` and ``self.start`` for ``IncidentWorkflow``: awake during a piece of work."""

    state: IncidentState = Resting(IncidentState)  # type: ignore[assignment]
    start: IncidentStart = Resting(IncidentStart)  # type: ignore[assignment]
    _working: int = 0  # pieces of work under way, one inside another (never across an await)
    _closed: bool = False  # whether it had ended when the state last rested

    @property
    def is_closed(self) -> bool:
        """Whether the incident has ended, read without waking a resting state."""
        awake = vars(self).get("_awake_state")
        return self._closed if awake is None else awake.status.stage.is_final

    @contextlib.contextmanager
    def at_work(self) -> Iterator[None]:
        """One piece of the workflow's work: the state and start rest when the outermost ends."""
        self._working += 1
        try:
            yield
        finally:
            self._working -= 1
            if not self._working and not replaying():
                self.rest()

    def rest(self) -> None:
        """Put the state and start to rest (compressed JSON) until they are read again."""
        self._closed = self.is_closed
        for attribute in (RestingState.state, RestingState.start):
            attribute.rest(self)  # type: ignore[union-attr]  # read on the class: a Resting


def replaying() -> bool:
    """While the SDK replays a history (an audit, a run that fell out of the cache), resting
    would only cost time: the first piece of new work after it rests the state."""
    return workflow.in_workflow() and workflow.unsafe.is_replaying()


def rests_after(method: Callable[..., Any]) -> Callable[..., Any]:
    """A method of the workflow that is one piece of work (``RestingState.at_work``)."""
    @functools.wraps(method)
    def piece_of_work(self: RestingState, *args: Any, **kwargs: Any) -> Any:
        with self.at_work():
            return method(self, *args, **kwargs)
    return piece_of_work
