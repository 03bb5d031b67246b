"""What the procedure answered, carried out (the loop, ``workflows.loop``, says when): waits
written into the state, deliveries (送达) started as activities and their answers taken, the
timeline logged, and the incident shown: its search attributes and the UI's current details.

Nothing here asks the workflow version: the loop serves versions 6 and later, which do all
that 2–5 added (here: receipts on the record, ``NextDeadline`` to the minute and since when
late), and the runs of 1–5 it adopts the same way; 1–5 as recorded are ``legacy``'s."""

import asyncio
import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.delivery import DELIVERY_ACTIVITIES
    from domain.current_details import render_current_details
    from domain.engine import waiting
    from domain.engine.resting import Kept
    from domain.engine.standing import refresh
    from domain.engine.step import Effect, PendingDelivery
    from domain.status import MessageReceipt
    from temporal.search_attributes import upserts

# A delivery's activity tries the channels round by round (``activities.notices``): these bound
# the rounds from outside; it answers with the receipts (``domain.receipts``).
RECEIPT_RETRY = RetryPolicy(initial_interval=timedelta(seconds=10), backoff_coefficient=2.0,
                            maximum_interval=timedelta(minutes=10), maximum_attempts=20)
RECEIPT_ATTEMPT_TIMEOUT = timedelta(seconds=40)  # a round: channels tried in turn, each ≤ 30 s
DELIVERY_TIMEOUT = timedelta(days=3)  # keeps retrying a down service for days, then records failure


class Carrier:
    """One per run (and per cached incident, hence the slots)."""

    __slots__ = ("kept", "logged", "in_flight", "shown", "details_stale", "last_update")

    def __init__(self, kept: Kept) -> None:
        self.kept = kept
        self.logged = len(kept.state.status.timeline)  # timeline entries already logged
        self.in_flight = 0  # deliveries not yet answered
        self.shown = False  # whether this run has shown the incident yet
        self.details_stale = False
        self.last_update: tuple[MessageReceipt, str | None] | None = None  # in the details

    def carry_out(self, effects: list[Effect]) -> None:
        """Waits recorded in the state, deliveries started, the new entries logged."""
        state = self.kept.state
        for delivery in waiting.record(state, effects, workflow.now()):
            self.deliver(delivery)
        self.log_new_entries()

    def log_new_entries(self) -> None:
        timeline = self.kept.state.status.timeline
        for entry in timeline[self.logged:]:  # ids, never names, in logs
            workflow.logger.info(entry.action, extra={"unit_id": entry.unit_id,
                                                      "rule": entry.rule})
        self.logged = len(timeline)

    def deliver(self, delivery: PendingDelivery) -> None:
        """Started in the background: nothing waits for it; its answer is taken when it
        comes (a callback: the loop's wait is not woken)."""
        self.in_flight += 1
        workflow.start_activity_method(
            DELIVERY_ACTIVITIES[type(delivery.payload)], delivery.payload,
            start_to_close_timeout=RECEIPT_ATTEMPT_TIMEOUT,
            schedule_to_close_timeout=DELIVERY_TIMEOUT, retry_policy=RECEIPT_RETRY,
            summary=delivery.what,
        ).add_done_callback(lambda done: self.answered(delivery.key, done))

    def answered(self, key: str, done: asyncio.Future) -> None:
        """The receipts, or the failure after every try, on the record."""
        self.in_flight -= 1
        error = asyncio.CancelledError() if done.cancelled() else done.exception()
        cause = str(error.cause or error) if isinstance(error, ActivityError) else str(error)
        with self.kept.work() as state:
            self.carry_out(waiting.answered(state, key, workflow.now(),
                                            None if error else done.result(), cause))
            self.show()

    def show(self) -> None:
        """Stage and deadlines derived, then shown: the search attributes that differ (one
        upsert at most, a billed action) and, once per task, the current details. A next
        deadline moved by under a minute is not upserted, an overdue one says since when."""
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
