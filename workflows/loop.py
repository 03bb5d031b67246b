"""The run loop (workflow versions 6–7, and runs of 1–5 it adopted): 立案 to 办结, as one loop.

Open (the deployment's settings, the first report), then wait for what falls next (the
nearest deadline or grace period, ``domain.engine.waiting``) until the incident closes,
handing over to a new run before Temporal's caps; close once every notice is answered.
Messages are taken between (``domain.engine.intake``), applied or refused, never failing.
What the procedure answers is carried out and shown by ``workflows.carrying``."""

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, NoReturn, cast

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy

with workflow.unsafe.imports_passed_through():
    from domain.procedure import collection, deployment
    from domain.engine import continuation, intake, message_ids, registry, waiting
    from domain.engine.resting import Kept
    from domain.engine.standing import fitted
    from domain.engine.step import Context, IncidentState, Refusal
    from domain.status import IncidentStatus, MessageReceipt
    from domain.workflow_versions import deadlines_before_messages, version_of
    from temporal.refusals import refused, refused_start

from workflows.carrying import Carrier  # noqa: E402  (not passed through: a sandbox checks it)

SOON = timedelta(milliseconds=1)  # a deadline nearer than a timer can be is due now


class RunLoop:
    """One incident's run: its state (kept at rest between tasks), the loop, the intake."""

    def __init__(self, payload: Any, carried: continuation.Continued | None) -> None:
        with refused_start():
            start = carried.start if carried else collection.validate_start(payload)
        state = carried.state if carried else collection.new_incident(start)
        if carried:
            waiting.resume(state, carried.graces, carried.deliveries)
        self.run_number = carried.run if carried else 1
        self.budget = start.run_budget
        self.opened = carried is not None
        self.due_first = deadlines_before_messages(version_of(start))
        self.held: list[tuple[str, tuple[Any, ...]]] = []  # signals before it opened
        self.cancellations = 0  # requested while the settings were read
        self.messages = 0  # signals and updates, toward the run's budget
        self.message_bytes = 0
        self.closed = False
        self.due = waiting.nearest(state)
        self.kept = Kept(start, state, self.noted, workflow.unsafe.is_replaying)
        self.carrier = Carrier(self.kept)
        self.details: asyncio.Task[None] | None = None  # the carrier's, started with the run

    def noted(self, state: IncidentState) -> None:
        """Kept at hand while the state rests: whether it closed, what falls next."""
        self.closed = state.status.stage.is_final
        self.due = waiting.nearest(state)

    async def run(self) -> IncidentStatus:
        self.details = asyncio.create_task(self.carrier.keep_details_current())
        await self.open()
        while not self.closed:
            await self.wait_for_what_falls_next()
            if self.continue_as_new_due() and not self.closed:
                await self.uncancellable(workflow.all_handlers_finished)
                if not self.closed:
                    self.continue_as_new()
        await self.uncancellable(workflow.all_handlers_finished)
        await self.uncancellable(lambda: self.carrier.in_flight == 0)  # 撤销's notices go out
        with self.kept.work() as state:
            return fitted(state.status)

    async def open(self) -> None:
        """立案: the deployment's settings recorded, then the first report (and a 研判 sent
        with it); a continued run re-starts the deliveries its predecessor left unanswered."""
        settings = None if self.opened else await self.read_settings()
        with self.kept.work() as state:
            if settings is None:
                for delivery in state.deliveries_out:
                    self.carrier.deliver(delivery)
            else:
                deployment.adopt_settings(state, settings, self.context())
                refused_before = len(state.status.rejected_inputs)
                opening = collection.open_incident(state, self.kept.start, self.context())
                self.carrier.carry_out(opening)
                for rejected in state.status.rejected_inputs[refused_before:]:
                    workflow.logger.warning("message_refused", extra={
                        "message_name": rejected.message, "reason": rejected.reason})
            self.opened = True
            for _ in range(self.cancellations):
                self.refuse_cancellation()
            while self.held:  # signals that came while the settings were read, in order
                self.take_signal(*self.held.pop(0))
            self.carrier.show()

    async def read_settings(self) -> deployment.DeploymentSettings:
        """A cancellation request meanwhile never ends the incident: the read goes on."""
        with refused_start(), self.kept.work():
            deployment.refuse_carried_settings(self.kept.start)
        reading = asyncio.ensure_future(workflow.execute_local_activity(
            deployment.DEPLOYMENT_SETTINGS, result_type=deployment.DeploymentSettings,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1))))
        while True:
            try:
                return await asyncio.shield(reading)
            except asyncio.CancelledError:
                if reading.cancelled():
                    raise
                self.cancellations += 1

    async def wait_for_what_falls_next(self) -> None:
        """One wait: a message that moves the nearest deadline restarts it, others do not."""
        due = self.due
        if due is None:  # nothing falls: only a message or a hand-over ends the wait
            await self.woken_before(None)
            return
        if due.at - workflow.now() >= SOON and await self.woken_before(due):
            return
        with self.kept.work() as state:  # a timer may fire a moment early: due at its time
            fallen = waiting.fall_due(state, max(workflow.now(), due.at), self.context())
            self.carrier.carry_out(fallen)
            self.carrier.show()

    async def woken_before(self, due: waiting.Due | None) -> bool:
        """Whether the wait ended before ``due`` fell: the incident closed, a hand-over is
        due, the nearest deadline moved, or a cancellation was requested (and refused)."""
        at = due.at if due else None
        try:
            await workflow.wait_condition(
                lambda: self.closed or self.continue_as_new_due()
                or ((self.due.at if self.due else None) != at and not self.timer_falls(at)),
                timeout=due.at - workflow.now() if due else None,
                timeout_summary=due.label if due else None)
        except asyncio.TimeoutError:
            return False
        except asyncio.CancelledError:
            self.refuse_cancellation()
        return True

    def timer_falls(self, at: datetime | None) -> bool:
        """Version 7: a message fell the deadline waited for; its timer, due now, is not
        cancelled (it may have fired while the task ran: sdk-java#3088) but let fire."""
        return self.due_first and at is not None and at <= workflow.now()

    async def uncancellable(self, done: Callable[[], bool]) -> None:
        """Wait on; a cancellation request meanwhile is refused and recorded like any other."""
        while True:
            try:
                return await workflow.wait_condition(done)
            except asyncio.CancelledError:
                self.refuse_cancellation()

    def continue_as_new_due(self) -> bool:
        """Whether this run hands over now (``continuation.due``, or the SDK suggests it); the
        messages' own bytes count too: the history grows by them before a task reports it."""
        info = workflow.info()
        return info.is_continue_as_new_suggested() or continuation.due(
            self.budget, info.get_current_history_length(),
            max(info.get_current_history_size(), self.message_bytes), self.messages)

    def continue_as_new(self) -> NoReturn:
        """The next run gets the start and the state, which holds all it waits for."""
        with self.kept.work() as state:
            carried = continuation.carry(continuation.Continued(
                start=self.kept.start, state=state, run=self.run_number + 1))
        workflow.logger.info("continue_as_new", extra={  # "signals": the key both shells log
            "run": self.run_number + 1, "signals": self.messages,  # (updates counted too)
            "events": workflow.info().get_current_history_length()})
        workflow.continue_as_new(carried)

    def context(self) -> Context:  # the procedure's clock and version markers
        return Context(now=workflow.now(), patched=workflow.patched)

    def take_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        if not self.opened:  # the deployment's settings are still being read
            return self.held.append((name, payloads))
        self.take(name, payloads, update=False)

    def validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        """Read-only: a rejected update is answered at once and leaves no trace in the history."""
        with self.kept.work() as state:
            try:
                intake.check_update(state, name, payloads, self.context(), self.opened)
            except Refusal as refusal:
                workflow.logger.warning("update_rejected", extra={
                    "message_name": name, "reason": refusal.reason,
                    "message_id": message_ids.message_id_of(payloads)})
                raise refused(refusal) from None

    async def take_update(self, name: str, payloads: tuple[Any, ...]) -> MessageReceipt:
        if not self.opened:  # sent with the start: taken once the incident is open
            await workflow.wait_condition(lambda: self.opened)
        taken = self.take(name, payloads, update=True)
        if taken.refusal:  # validated against an incident that has changed since
            raise refused(taken.refusal)
        receipt = cast(MessageReceipt, taken.receipt)  # intake answers each update it takes
        if not taken.repeated:
            self.carrier.last_update = (receipt, registry.actor_of(payloads))
        return receipt

    def take(self, name: str, payloads: tuple[Any, ...], update: bool) -> intake.Taken:
        """A signal's or an update's message: applied, refused, or a client's retry (no change)."""
        self.count(registry.encoded_size(payloads))
        with self.kept.work() as state:
            fell = waiting.fall_past(state, self.context()) if self.due_first else None
            if fell is not None:  # version 7: what was past when the task began, first
                self.carrier.carry_out(fell)
            taken = intake.take(state, name, payloads, self.context(), update=update)
            if taken.refusal:
                self.carrier.show_refusal(name, taken.refusal.reason)
            elif taken.repeated:
                workflow.logger.info("message_repeated", extra={"message_name": name})
            else:
                self.carrier.carry_out(taken.effects)
            if fell is not None or not (taken.refusal or taken.repeated):
                self.carrier.show()
        return taken

    def count(self, size: int) -> None:  # a message (signal or update) toward the run's budget
        self.messages += 1
        self.message_bytes += size

    def unknown_signal(self, name: str, args: Sequence[RawValue]) -> None:
        self.count(sum(len(arg.payload.data) for arg in args))
        try:
            payloads = tuple(workflow.payload_converter().from_payloads([a.payload for a in args]))
        except Exception:  # any undecodable payload: refused all the same, unsigned
            payloads = ()
        with self.kept.work() as state:
            reason = intake.refuse_unknown(state, name, payloads, workflow.now())
            self.carrier.show_refusal(name[:100], reason)

    def refuse_cancellation(self) -> None:
        with self.kept.work() as state:
            intake.refuse_cancellation(state, workflow.now())
            self.carrier.show_refusal("cancel", intake.CANCELLATION_REFUSED)
            self.carrier.log_new_entries()
            self.carrier.show()

    def status(self) -> IncidentStatus:
        with self.kept.work() as state:
            return fitted(state.status)  # within the payload cap; the history has it all

    def message_taken(self, message_id: str) -> dict[str, Any]:
        with self.kept.work() as state:
            return message_ids.taken(state, message_id)

    @property
    def state(self) -> IncidentState:
        return self.kept.state
