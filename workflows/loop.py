"""The run loop (workflow versions 6–8, and runs of 1–5 it adopted): 立案 to 办结, as one loop.

Open (the deployment's settings, the first report), then wait for what falls next (the
nearest deadline or grace period, ``domain.engine.waiting``) until the incident closes,
handing over to a new run before Temporal's caps; close once every notice is answered.
Messages are taken between (``domain.engine.intake``), applied or refused, never failing.
What the procedure answers is carried out and shown by ``workflows.carrying``."""

import asyncio
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any, NoReturn, cast

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy

with workflow.unsafe.imports_passed_through():
    from domain.engine import continuation, intake, message_ids, opening, registry, waiting
    from domain.engine.resting import Kept
    from domain.engine.standing import fitted_to_payload
    from domain.engine.step import Context, IncidentState
    from domain.status import IncidentStatus, MessageReceipt
    from domain.workflow_versions import (
        deadlines_before_messages, holds_unknown_until_open, version_of,
    )
    from temporal.cancellation import result_through, wait_through
    from temporal.continuing import RunMeter, hand_over
    from temporal.handlers import decoded
    from temporal.refusals import refused, refused_start, refused_update

from workflows.carrying import Carrier  # noqa: E402  (not passed through: a sandbox checks it)


class RunLoop:
    """One incident's run: its state (kept at rest between tasks), the loop, the intake."""

    def __init__(self, payload: Any, carried: continuation.Continued | None) -> None:
        with refused_start():
            start = carried.start if carried else opening.validate_start(payload)
        state = carried.state if carried else opening.new_incident(start)
        if carried:
            waiting.resume(state, carried.graces, carried.deliveries)
        self.run_number = carried.run if carried else 1
        self.meter = RunMeter(start.run_budget)  # signals and updates, toward its hand-over
        self.opened = carried is not None
        self.due_first = deadlines_before_messages(version_of(start))
        self.unknown_held = holds_unknown_until_open(version_of(start))
        self.held: list[Callable[[], None]] = []  # signals before it opened, taken in order
        self.cancellations = 0  # requested while the settings were read: refused once open
        self.closed = False
        self.due = waiting.nearest(state)
        self.kept = Kept(start, state, self.noted, workflow.unsafe.is_replaying)
        self.carrier = Carrier(self.kept)

    def noted(self, state: IncidentState) -> None:
        """Kept at hand while the state rests: whether it closed, what falls next."""
        self.closed = state.status.stage.is_final
        self.due = waiting.nearest(state)

    async def run(self) -> IncidentStatus:
        self.carrier.details.keep_current(self.carrier.rendered_details)
        await self.open()
        while not self.closed:
            await self.wait_for_what_falls_next()
            if self.meter.hand_over_due() and not self.closed:
                await wait_through(workflow.all_handlers_finished, self.refuse_cancellation)
                if not self.closed:
                    self.continue_as_new()
        await wait_through(workflow.all_handlers_finished, self.refuse_cancellation)
        await wait_through(lambda: self.carrier.in_flight == 0,  # 撤销's notices go out
                           self.refuse_cancellation)
        with self.kept.work() as state:
            return fitted_to_payload(state.status)

    async def open(self) -> None:
        """立案: the deployment's settings recorded, then the first report (and a 研判 sent
        with it); a continued run re-starts the deliveries its predecessor left unanswered."""
        settings = None if self.opened else await self.read_settings()
        with self.kept.work() as state:
            if settings is None:
                for delivery in state.deliveries_out:
                    self.carrier.deliver(delivery)
            else:
                first, refusals = opening.open_with_settings(state, settings, self.kept.start,
                                                             self.context())
                self.carrier.carry_out(first)
                for rejected in refusals:
                    workflow.logger.warning("message_refused", extra={
                        "message_name": rejected.message, "reason": rejected.reason})
            self.opened = True
            for _ in range(self.cancellations):
                self.refuse_cancellation()
            while self.held:  # signals that came while the settings were read, in order
                self.held.pop(0)()
            self.carrier.show()

    async def read_settings(self) -> opening.DeploymentSettings:
        """A cancellation request meanwhile never ends the incident: the read goes on."""
        with refused_start(), self.kept.work():
            opening.refuse_carried_settings(self.kept.start)
        return await result_through(asyncio.ensure_future(workflow.execute_local_activity(
            opening.DEPLOYMENT_SETTINGS, result_type=opening.DeploymentSettings,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1)))),
            self.refuse_cancellation)

    async def wait_for_what_falls_next(self) -> None:
        """One wait: a message that moves the nearest deadline restarts it, others do not."""
        due = self.due
        if due is None:  # nothing falls: only a message or a hand-over ends the wait
            await self.woken_before(None)
            return
        if due.at - workflow.now() >= waiting.SOON and await self.woken_before(due):
            return
        with self.kept.work() as state:  # a timer may fire a moment early: due at its time
            fallen = waiting.fall_due(state, max(workflow.now(), due.at), self.context())
            self.carrier.carry_out(fallen)
            self.carrier.show()

    async def woken_before(self, due: waiting.Due | None) -> bool:
        """Whether the wait ended before ``due`` fell: the incident closed, a hand-over is
        due, the nearest deadline moved, or a cancellation was requested (and refused)."""
        try:
            await workflow.wait_condition(
                lambda: self.closed or self.meter.hand_over_due()
                or waiting.moved(due, self.due, workflow.now(), let_fire=self.due_first),
                timeout=due.at - workflow.now() if due else None,
                timeout_summary=due.label if due else None)
        except asyncio.TimeoutError:
            return False
        except asyncio.CancelledError:
            self.refuse_cancellation()
        return True

    def continue_as_new(self) -> NoReturn:
        """The next run gets the start and the state, which holds all it waits for."""
        with self.kept.work() as state:
            carried = continuation.carry(continuation.Continued(
                start=self.kept.start, state=state, run=self.run_number + 1))
        hand_over(carried, self.run_number + 1, self.meter.messages)

    def context(self) -> Context:  # the procedure's clock and version markers
        return Context(now=workflow.now(), patched=workflow.patched)

    def take_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        if not self.opened:  # the deployment's settings are still being read
            return self.held.append(partial(self.take_signal, name, payloads))
        self.take(name, payloads, update=False)

    def validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        """Read-only: a rejected update is answered at once and leaves no trace in the history."""
        with self.kept.work() as state, refused_update(name, payloads):
            intake.check_update(state, name, payloads, self.context(), self.opened)

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
        self.meter.count(registry.encoded_size(payloads))
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

    def unknown_signal(self, name: str, args: Sequence[RawValue]) -> None:
        self.meter.count(sum(len(arg.payload.data) for arg in args))
        payloads = decoded(args)
        if self.unknown_held and not self.opened:  # version 8: refused once it is open
            return self.held.append(partial(self.refuse_unknown, name, payloads))
        self.refuse_unknown(name, payloads)

    def refuse_unknown(self, name: str, payloads: tuple[Any, ...]) -> None:
        """Refused and recorded; before version 8, also before the incident opened (its
        first refusal then showed the unopened state)."""
        with self.kept.work() as state:
            reason = intake.refuse_unknown(state, name, payloads, workflow.now())
            self.carrier.show_refusal(name[:100], reason)

    def refuse_cancellation(self) -> None:
        """A cancellation request never ends the incident (only 撤销 does): refused and
        recorded, once the incident is open (the settings are read to the end)."""
        if not self.opened:
            self.cancellations += 1
            return
        with self.kept.work() as state:
            intake.refuse_cancellation(state, workflow.now())
            self.carrier.show_refusal("cancel", intake.CANCELLATION_REFUSED)
            self.carrier.log_new_entries()
            self.carrier.show()

    def status(self) -> IncidentStatus:
        with self.kept.work() as state:
            return fitted_to_payload(state.status)  # within the payload cap; the history has it all

    def message_taken(self, message_id: str) -> dict[str, Any]:
        with self.kept.work() as state:
            return message_ids.taken(state, message_id)

    @property
    def state(self) -> IncidentState:
        return self.kept.state
