"""What the procedure answered, carried out (the loop, ``workflows.loop``, says when): waits
written into the state, deliveries (送达) started as activities and their answers taken, the
timeline logged, and the incident shown: its search attributes and the UI's current details.

Nothing here asks the workflow version: the loop serves versions 6 and later, which do all
that 2–5 added (here: receipts on the record, ``NextDeadline`` to the minute and since when
late), and the runs of 1–5 it adopts the same way; 1–5 as recorded are ``legacy``'s."""

from functools import partial

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.delivery import DELIVERY_ACTIVITIES, DELIVERY_OPTIONS
    from domain.current_details import render_current_details
    from domain.engine import waiting
    from domain.engine.resting import Kept
    from domain.engine.standing import refresh
    from domain.engine.step import Effect, PendingDelivery
    from domain.notifications import Delivery
    from domain.status import MessageReceipt
    from temporal.background import start_in_background
    from temporal.showing import CurrentDetails, upsert_shown


class Carrier:
    """One per run (and per cached incident, hence the slots)."""

    __slots__ = ("kept", "logged", "in_flight", "shown", "details", "last_update")

    def __init__(self, kept: Kept) -> None:
        self.kept = kept
        self.logged = len(kept.state.status.timeline)  # timeline entries already logged
        self.in_flight = 0  # deliveries not yet answered
        self.shown = False  # whether this run has shown the incident yet
        self.details = CurrentDetails()  # rendered by a task of the run's (the loop's)
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
        start_in_background(DELIVERY_ACTIVITIES[type(delivery.payload)], delivery.payload,
                            DELIVERY_OPTIONS, partial(self.answered, delivery.key),
                            summary=delivery.what)

    def answered(self, key: str, result: Delivery | None, cause: str) -> None:
        """The receipts, or the failure after every try, on the record."""
        self.in_flight -= 1
        with self.kept.work() as state:
            self.carry_out(waiting.answered(state, key, workflow.now(), result, cause))
            self.show()

    def show(self) -> None:
        """Stage and deadlines derived, then shown: the search attributes that differ (one
        upsert at most, a billed action) and, once per task, the current details. A next
        deadline moved by under a minute is not upserted, an overdue one says since when."""
        status = self.kept.state.status
        self.shown = True
        refresh(status)
        upsert_shown(status, overdue_since=True, to_the_minute=True)
        self.details.stale = True

    def show_refusal(self, name: str, reason: str) -> None:
        """Logged and shown; no upsert (a refusal changes no listed fact: README, Floods)."""
        workflow.logger.warning("message_refused", extra={"message_name": name, "reason": reason})
        if self.shown:
            self.details.stale = True
        else:
            self.show()  # the first showing: everything

    def rendered_details(self) -> str:
        """The UI's current details now, the last update's receipt among them."""
        with self.kept.work():
            return render_current_details(self.kept.state.status, workflow.now(),
                                          self.last_update)
