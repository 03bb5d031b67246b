"""How a running workflow shows in Temporal's UI: its search attributes, which the list
shows and filters on (each upsert a billed action), and its current details, the summary
on its page (no action, but rendered on the workflow's thread: a cost per render).
Workflow code: called on the workflow's thread.
"""

import asyncio
import contextlib
from collections.abc import Callable

from temporalio import workflow

from domain.status import IncidentStatus
from temporal.search_attributes import upserts


def upsert_shown(status: IncidentStatus, *, overdue_since: bool, to_the_minute: bool) -> None:
    """The search attributes that differ from what the run shows now, in one upsert at most;
    none when nothing differs (``search_attributes.upserts``, under the same flags)."""
    if updates := upserts(status, workflow.info().typed_search_attributes,
                          overdue_since=overdue_since, to_the_minute=to_the_minute):
        workflow.upsert_search_attributes(updates)


class CurrentDetails:
    """The current details, rendered once per workflow task however often they went
    ``stale`` in it, not once per message (a flood of signals in one task would otherwise
    outlast the deadlock detector)."""

    __slots__ = ("stale", "task")

    def __init__(self) -> None:
        self.stale = False
        self.task: asyncio.Task[None] | None = None  # held: the loop holds a task weakly

    def keep_current(self, render: Callable[[], str]) -> None:
        """From now on, for the run's life, in a task of its own (started with the run)."""
        self.task = asyncio.create_task(self.kept_current(render))

    async def kept_current(self, render: Callable[[], str]) -> None:
        """A cancellation request is the run's to refuse or take: it never ends this task."""
        while True:  # (no local name holds what ``render`` reads: this frame sleeps for long)
            with contextlib.suppress(asyncio.CancelledError):
                await workflow.wait_condition(lambda: self.stale)
                self.stale = False
                workflow.set_current_details(render())
