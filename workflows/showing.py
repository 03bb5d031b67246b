"""What an incident shows while it runs: the search attributes it is listed and found by,
and the UI's current details (where a refused signal, which has no answer, is read)."""

import asyncio
import contextlib

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.current_details import render_current_details
    from domain.engine.resting import Kept
    from domain.engine.standing import refresh
    from domain.status import MessageReceipt
    from temporal.search_attributes import upserts


class Showing:
    """Shown after each piece of work: stage and deadlines derived, the search attributes
    that differ upserted at once, the current details rendered once per workflow task."""

    __slots__ = ("kept", "shown", "details_stale", "last_update")  # one per cached incident

    def __init__(self, kept: Kept) -> None:
        self.kept = kept
        self.shown = False  # whether this run has shown the incident yet
        self.details_stale = False
        self.last_update: tuple[MessageReceipt, str | None] | None = None  # in the details

    def show(self) -> None:
        """One upsert at most (a billed action); the details at the end of the task."""
        status = self.kept.state.status
        self.shown = True
        refresh(status)
        if updates := upserts(status, workflow.info().typed_search_attributes,
                              overdue_since=True, to_the_minute=True):
            workflow.upsert_search_attributes(updates)
        self.details_stale = True

    def show_refusal(self, name: str, reason: str) -> None:
        """Logged and shown; no upsert (a refusal changes no listed fact: README, Floods)."""
        workflow.logger.warning("message_refused", extra={"message_name": name, "reason": reason})
        if self.shown:
            self.details_stale = True
        else:
            self.show()  # the first showing: everything

    async def keep_details_current(self) -> None:
        """The UI's current details, rendered once per workflow task, not once per message
        (a flood of signals in one task would otherwise outlast the deadlock detector)."""
        while True:  # (no local names the state: this frame sleeps for the run's life)
            with contextlib.suppress(asyncio.CancelledError):  # the run's to refuse
                await workflow.wait_condition(lambda: self.details_stale)
                self.details_stale = False
                with self.kept.work():
                    workflow.set_current_details(render_current_details(
                        self.kept.state.status, workflow.now(), self.last_update))
