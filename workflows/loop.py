"""The run loop of workflow version 6: an incident from 立案 to 办结, as one loop.

Open (the deployment's settings, the first report), then wait for whatever falls next
(the nearest deadline or grace period, ``domain.procedure.waiting``) until the incident
closes; hand over to a new run before Temporal's caps; close once every notice is answered.
Messages are taken between; each is applied or refused with a reason, never a failed task.
"""

import asyncio
import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any, NoReturn

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.delivery import DeliveryActivities
    from domain.current_details import render_current_details
    from domain.limits import MAX_HISTORY_BYTES_PER_RUN
    from domain.notifications import AssignmentForm, Notification, RumourTransfer
    from domain.procedure import collection, deployment, message_ids, registry, waiting
    from domain.procedure.publication import (
        fitted, receipt, refresh, search_attribute_values, shown_differs,
    )
    from domain.procedure.step import (
        Context, Effect, IncidentState, PendingDelivery, Refusal, record_refusal,
    )
    from domain.receipts import record_delivery, record_delivery_failed
    from domain.status import IncidentStatus, MessageReceipt, TimelineEntry
    from workers.search_attributes import ALL_SEARCH_ATTRIBUTES
    from workflows.continuation import Continued, carry
    from workflows.handlers import refused
    from workflows.resting import Kept

# The delivery activity tries a notice's channels round by round and answers with the
# outcome after its last round (activities.notices); this bounds the rounds from outside.
RECEIPT_RETRY = RetryPolicy(initial_interval=timedelta(seconds=10), backoff_coefficient=2.0,
                            maximum_interval=timedelta(minutes=10), maximum_attempts=20)
RECEIPT_ATTEMPT_TIMEOUT = timedelta(seconds=40)  # a round: channels tried in turn, each ≤ 30 s
DELIVERY_TIMEOUT = timedelta(days=3)  # keeps retrying a down service for days, then records failure
DELIVERY_ACTIVITIES: dict[type, Callable] = {
    Notification: DeliveryActivities.send_notification,
    AssignmentForm: DeliveryActivities.issue_assignment_form,
    RumourTransfer: DeliveryActivities.transfer_rumour_case,
}
SOON = timedelta(milliseconds=1)  # a deadline nearer than a timer can be is due now


@contextlib.contextmanager
def refused_start() -> Iterator[None]:
    """A start refused: the incident is not opened; the reason is the workflow's failure."""
    try:
        yield
    except Refusal as refusal:
        raise ApplicationError(refusal.reason, type="InvalidIncidentStart",
                               non_retryable=True) from None


class Incident:
    """One incident's run: its state (kept at rest between tasks), the loop, the intake."""

    def __init__(self, payload: Any, carried: Continued | None) -> None:
        with refused_start():
            start = carried.start if carried else collection.validate_start(payload)
        state = carried.state if carried else collection.new_incident(start)
        if carried:  # a run of versions 1–5 carried these beside its state
            state.grace_periods += carried.graces
            state.deliveries_out += carried.deliveries
            waiting.time_every_pending_window(state)
        self.run_number, self.budget, self.opened = carried.run if carried else 1, \
            start.run_budget, carried is not None
        self.held: list[tuple[str, tuple[Any, ...]]] = []  # signals before it opened
        self.cancellations = self.signals = self.message_bytes = self.in_flight = 0
        self.logged, self.published, self.details_stale = len(state.status.timeline), False, False
        self.last_update: tuple[MessageReceipt, str | None] | None = None  # for the details
        self.closed, self.due = False, None
        self.kept = Kept(start, state, self.noted)

    def noted(self, state: IncidentState) -> None:
        """Kept at hand while the state rests: whether it closed, what falls next."""
        self.closed, self.due = state.status.stage.is_final, waiting.nearest(state)

    async def run(self) -> IncidentStatus:
        self.details = asyncio.create_task(self.keep_details_current())
        await self.open()
        while not self.closed:
            if self.continue_as_new_due():
                await self.uncancellable(workflow.all_handlers_finished)
                if not self.closed:
                    self.continue_as_new()
            else:
                await self.wait_for_what_falls_next()
        await self.uncancellable(workflow.all_handlers_finished)
        await self.uncancellable(lambda: self.in_flight == 0)  # 撤销's notices still go out
        with self.kept.work() as state:
            return fitted(state.status)

    async def open(self) -> None:
        """立案: the deployment's settings recorded, then the first report (and a 研判 sent
        with it); a continued run re-starts the deliveries its predecessor left unanswered."""
        settings = None if self.opened else await self.read_settings()
        with self.kept.work() as state:
            if settings is None:
                for delivery in state.deliveries_out:
                    self.deliver(delivery)
            else:
                deployment.adopt_settings(state, settings, self.context())
                refused_before = len(state.status.rejected_inputs)
                self.carry_out(collection.open_incident(state, self.kept.start, self.context()))
                for rejected in state.status.rejected_inputs[refused_before:]:
                    self.log_refusal(rejected.message, rejected.reason)
            self.opened = True
            for _ in range(self.cancellations):
                self.refuse_cancellation()
            while self.held:  # signals that came while the settings were read, in order
                self.take_signal(*self.held.pop(0))
            self.publish()

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
        at = due.at if due else None
        try:
            if due is None or due.at - workflow.now() >= SOON:
                await workflow.wait_condition(
                    lambda: self.closed or self.continue_as_new_due()
                    or (self.due.at if self.due else None) != at,
                    timeout=due.at - workflow.now() if due else None,
                    timeout_summary=due.label if due else None)
                return
        except asyncio.TimeoutError:
            pass
        except asyncio.CancelledError:
            return self.refuse_cancellation()
        with self.kept.work() as state:  # a timer may fire a moment early: due at its time
            fallen = waiting.fall_due(state, max(workflow.now(), due.at), self.context())
            self.carry_out(fallen)
            self.publish()

    async def uncancellable(self, done: Callable[[], bool]) -> None:
        """Wait on; a cancellation request meanwhile is refused and recorded like any other."""
        while True:
            try:
                return await workflow.wait_condition(done)
            except asyncio.CancelledError:
                self.refuse_cancellation()

    def continue_as_new_due(self) -> bool:
        """Well before Temporal's caps on one run (events, bytes, signals)."""
        info, budget = workflow.info(), self.budget
        return (info.is_continue_as_new_suggested()
                or info.get_current_history_length() > budget.max_events
                or max(info.get_current_history_size(), self.message_bytes)
                > MAX_HISTORY_BYTES_PER_RUN
                or self.signals > budget.max_signals)

    def continue_as_new(self) -> NoReturn:
        """The next run gets the start and the state, which holds all it waits for."""
        with self.kept.work() as state:
            carried = carry(Continued(start=self.kept.start, state=state, run=self.run_number + 1))
        workflow.logger.info("continue_as_new", extra={
            "run": self.run_number + 1, "signals": self.signals,
            "events": workflow.info().get_current_history_length()})
        workflow.continue_as_new(carried)

    def context(self) -> Context:
        return Context(now=workflow.now(), patched=workflow.patched)

    # ------------------------------------------------------------ carrying out

    def carry_out(self, effects: list[Effect]) -> None:
        """What the procedure answered: waits recorded in the state, deliveries started."""
        state = self.kept.state
        for delivery in waiting.record(state, effects, workflow.now()):
            self.deliver(delivery)
        for entry in state.status.timeline[self.logged:]:  # ids, never names, in logs
            workflow.logger.info(entry.action, extra={"unit_id": entry.unit_id,
                                                      "rule": entry.rule})
        self.logged = len(state.status.timeline)

    def deliver(self, delivery: PendingDelivery) -> None:
        """In the background: its answer is taken when it comes, and no timer waits for it."""
        activity = workflow.start_activity_method(
            DELIVERY_ACTIVITIES[type(delivery.payload)], delivery.payload,
            start_to_close_timeout=RECEIPT_ATTEMPT_TIMEOUT,
            schedule_to_close_timeout=DELIVERY_TIMEOUT, retry_policy=RECEIPT_RETRY,
            summary=delivery.what)
        self.in_flight += 1
        activity.add_done_callback(lambda done: self.answered(delivery.key, done))

    def answered(self, key: str, done: asyncio.Future) -> None:
        """The receipt (or the failure after every try) on the record (workflow version 4)."""
        self.in_flight -= 1
        with self.kept.work() as state:
            delivery = waiting.delivered(state, key)
            error = asyncio.CancelledError() if done.cancelled() else done.exception()
            if delivery is None:
                return
            if error is None:
                effects = record_delivery(state, delivery.what, delivery.payload, done.result(),
                                          workflow.now())
            else:
                cause = str(error.cause or error) if isinstance(error, ActivityError) else str(error)
                effects = record_delivery_failed(state, delivery.what, delivery.payload, cause,
                                                 workflow.now())
            self.carry_out(effects)
            self.publish()

    def publish(self) -> None:
        """Stage and deadlines derived, then shown: the search attributes that differ (one
        upsert at most, a billed action) and, once per task, the current details."""
        status = self.kept.state.status
        self.published = True
        refresh(status)
        wanted = search_attribute_values(status, overdue_since=True)
        ours = {key.name for key in ALL_SEARCH_ATTRIBUTES}
        shown = {pair.key.name: pair.value
                 for pair in workflow.info().typed_search_attributes.search_attributes
                 if pair.key.name in ours and pair.value is not None}
        updates = [key.value_set(wanted[key.name]) if wanted[key.name] is not None
                   else key.value_unset() for key in ALL_SEARCH_ATTRIBUTES
                   if key.name in wanted
                   and shown_differs(key.name, shown.get(key.name), wanted[key.name], True)]
        if updates:
            workflow.upsert_search_attributes(updates)
        self.details_stale = True

    async def keep_details_current(self) -> None:
        """The UI's current details, rendered once per workflow task, not once per message
        (a flood of signals in one task would otherwise outlast the deadlock detector)."""
        while True:
            with contextlib.suppress(asyncio.CancelledError):  # the run's to refuse
                await workflow.wait_condition(lambda: self.details_stale)
                self.details_stale = False
                with self.kept.work() as state:
                    workflow.set_current_details(render_current_details(
                        state.status, workflow.now(), self.last_update))

    # ------------------------------------------------------------ intake

    def take_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        if not self.opened:  # the deployment's settings are still being read
            return self.held.append((name, payloads))
        self.signals += 1
        self.message_bytes += registry.encoded_size(payloads)
        with self.kept.work() as state:
            try:
                if message_ids.repeated(state, name, payloads):
                    return workflow.logger.info("message_repeated", extra={"message_name": name})
                self.carry_out(registry.take(state, name, payloads, self.context()))
                message_ids.remember(state, name, payloads, None)
            except Refusal as refusal:
                return self.refuse(name, refusal.reason, registry.actor_of(payloads))
            self.publish()

    def validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        """Read-only: a rejected update is answered at once and leaves no trace in the history."""
        with self.kept.work() as state:
            try:
                if message_ids.repeated(state, name, payloads):
                    return  # a retry: answered with the first receipt
                message = registry.parse(name, payloads)
                if self.opened:  # before, the handler checks it on the opened incident
                    registry.check(state, name, message, self.context(),
                                   registry.principal_of(payloads))
            except Refusal as refusal:
                workflow.logger.warning("update_rejected", extra={
                    "message_name": name, "reason": refusal.reason,
                    "message_id": message_ids.message_id_of(payloads)})
                raise refused(refusal) from None

    async def take_update(self, name: str, payloads: tuple[Any, ...]) -> MessageReceipt:
        if not self.opened:  # sent with the start: taken once the incident is open
            await workflow.wait_condition(lambda: self.opened)
        self.signals += 1  # accepted updates count toward the run's budget too
        self.message_bytes += registry.encoded_size(payloads)
        with self.kept.work() as state:
            recorded = len(state.status.timeline)
            try:
                if message_ids.repeated(state, name, payloads):
                    first = message_ids.first_receipt(state, payloads)
                    return first or receipt(state.status, name, workflow.now(), recorded)
                self.carry_out(registry.take(state, name, payloads, self.context()))
            except Refusal as refusal:  # validated against an incident that has changed since
                self.refuse(name, refusal.reason, registry.actor_of(payloads))
                raise refused(refusal) from None
            self.publish()
            answer = receipt(state.status, name, workflow.now(), recorded)
            message_ids.remember(state, name, payloads, answer)
            self.last_update = (answer, registry.actor_of(payloads))
            return answer

    def unknown_signal(self, name: str, args: Sequence[RawValue]) -> None:
        """A signal the contract does not have: refused and recorded, never dropped."""
        self.signals += 1
        self.message_bytes += sum(len(arg.payload.data) for arg in args)
        try:
            payloads = tuple(workflow.payload_converter().from_payloads([a.payload for a in args]))
        except Exception:  # any undecodable payload: refused all the same, unsigned
            payloads = ()
        with self.kept.work():
            self.refuse(name[:100], registry.unknown_message(name), registry.actor_of(payloads))

    def refuse_cancellation(self) -> None:
        """A cancellation request (UI, CLI) never ends an incident: only 撤销 with a reason."""
        with self.kept.work() as state:
            self.refuse("cancel", "取消请求被拒绝：事件只能经撤销（withdraw，须说明理由）或办结结束 "
                        "(cancellation refused: send withdraw with a reason)", None)
            state.status.timeline.append(TimelineEntry(
                at=workflow.now(), actor="Temporal 取消请求", action="cancel_refused",
                detail="收到取消请求，已拒绝：事件继续办理"))
            self.carry_out([])
            self.publish()

    def refuse(self, name: str, reason: str, actor: str | None) -> None:
        """Recorded and shown; no upsert (a refusal changes no listed fact: README, Floods)."""
        record_refusal(self.kept.state, name, reason, actor, workflow.now())
        self.log_refusal(name, reason)
        if self.published:
            self.details_stale = True
        else:
            self.publish()  # the first showing: everything

    def log_refusal(self, name: str, reason: str) -> None:
        workflow.logger.warning("message_refused", extra={"message_name": name, "reason": reason})

    def status(self) -> IncidentStatus:
        with self.kept.work() as state:
            return fitted(state.status)  # within the payload cap; the history has it all

    def message_taken(self, message_id: str) -> dict[str, Any]:
        with self.kept.work() as state:
            return message_ids.taken(state, message_id)

    @property
    def state(self) -> IncidentState:
        return self.kept.state
