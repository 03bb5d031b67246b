"""Between workflow tasks an incident's start and state rest as compressed JSON (静置).

A cached incident waits hours or days between messages, and as Python objects its state
and start cost the worker about ten times their JSON. So each is thawed when first read in
a piece of work (``Kept.work``) and put back to rest when the outermost piece ends. Nothing
here reaches the history. While the SDK replays a history (an audit, a run out of the
cache) resting would only cost time, so the shell says when it replays
(``workflow.unsafe.is_replaying``): the first piece of new work after it rests the state.
"""

import zlib
from collections.abc import Callable
from typing import Any

from domain.messages import IncidentStart
from domain.engine.step import IncidentState

COMPRESSION_LEVEL = 1  # a few KB of JSON: the fastest level already halves it


class Kept:
    """An incident's start and state, resting after each piece of work once ``noted`` has
    read from the state what the workflow keeps at hand meanwhile."""

    def __init__(self, start: IncidentStart, state: IncidentState,
                 noted: Callable[[IncidentState], None], replaying: Callable[[], bool]) -> None:
        self.awake: dict[str, Any] = {"start": start, "state": state}
        self.resting: dict[str, bytes] = {}
        self.noted, self.replaying, self.depth = noted, replaying, 0

    @property
    def start(self) -> IncidentStart:
        return self.thawed("start", IncidentStart)

    @property
    def state(self) -> IncidentState:
        return self.thawed("state", IncidentState)

    def thawed(self, name: str, model: Any) -> Any:
        if name not in self.awake:
            self.awake[name] = model.model_validate_json(zlib.decompress(self.resting.pop(name)))
        return self.awake[name]

    def work(self) -> "Work":
        """One piece of work (never across an await): the state, resting again after it."""
        return Work(self)

    def finished(self) -> None:
        """The outermost piece ended: noted, and (unless replaying) put back to rest."""
        self.noted(self.state)
        if not self.replaying():
            self.resting.update({name: zlib.compress(value.model_dump_json().encode(),
                                                     COMPRESSION_LEVEL)
                                 for name, value in self.awake.items()})
            self.awake.clear()


class Work:
    """``Kept.work``: a plain context manager, not a generator's (several per task)."""

    __slots__ = ("kept",)

    def __init__(self, kept: Kept) -> None:
        self.kept = kept

    def __enter__(self) -> IncidentState:
        kept = self.kept
        kept.depth += 1
        try:
            return kept.state
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *_: object) -> None:
        kept = self.kept
        kept.depth -= 1
        if not kept.depth:
            kept.finished()
