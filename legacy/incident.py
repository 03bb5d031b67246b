"""The shell of workflow versions 1–5 (frozen): one public-opinion incident (舆情事件).

收集 → 研判 → 交办 → 办理回应 → 情况反馈 → 催办 → 督办 → 问责. The procedure's
rules live in ``domain.procedure``; this shell receives the messages, asks the
procedure what they mean, and carries out what it answers: durable timers
(the nearest deadline's, legacy/timers.py), activities, search attributes and the UI's
current details.
A message never fails or stalls the workflow: it is applied or refused with a reason.
"""

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import RawValue

with workflow.unsafe.imports_passed_through():
    from domain.procedure import collection
    from domain.engine import intake, message_ids, registry
    from domain.engine.standing import fitted_to_payload, receipt
    from domain.engine.step import (
        Context, Delivery, GracePeriod, PendingDelivery, Refusal, WaitFor, WindowKey,
    )
    from domain.status import IncidentStatus, MessageReceipt, TimelineEntry
    from domain.engine import continuation
    from legacy import opening
    from domain.engine.continuation import Continued
    from legacy.effects import CarryingOut
    from legacy.resting import RestingState, rests_after
    from domain.workflow_versions import NEAREST_DEADLINE_ONLY, version_of
    from temporal.refusals import refused
    from legacy.log import IncidentLog


class LegacyIncident(CarryingOut, RestingState):
    """An incident of workflow versions 1–5, as their shell ran it; ``IncidentWorkflow``
    hands it the run, every message and every query (the shell interface below)."""

    def __init__(self, start: Any, carried: Continued | None) -> None:
        # The start and carried state as decoded by IncidentWorkflow: validated here.
        with opening.refused_start():
            self.start = carried.start if carried else collection.validate_start(start)
        self.state = carried.state if carried else collection.new_incident(self.start)
        self._run_budget = self.start.run_budget  # read on every wait, so kept awake
        self.log = IncidentLog()
        self._carried = carried  # until it is resumed: its state is then self.state
        self._run_number = carried.run if carried else 1
        self._started = False
        self._opening = opening.Opening(carried=carried is not None)  # the deployment's settings
        self._logged = len(self.state.status.timeline)  # timeline entries already logged
        self._timers: dict[WindowKey, asyncio.Task] = {}
        self._wanted: dict[WindowKey, None] = {}
        self._armed: dict[WindowKey, datetime] = {}
        self._version = version_of(self.start)  # domain.workflow_versions
        self._nearest_only = self._version >= NEAREST_DEADLINE_ONLY
        self._graces: dict[str, asyncio.Task] = {}
        self._grace_ends: dict[str, GracePeriod] = {}
        self._deliveries: dict[asyncio.Task, tuple[Delivery, str]] = {}
        self._signals = 0  # signals received by this run (Temporal caps them per run)
        self._message_bytes = 0  # their JSON: the history grows by it before a task reports it
        self._last_update: tuple[MessageReceipt, str | None] | None = None  # shown in the details

    # -------------------------------------------- what IncidentWorkflow hands over

    def take_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        self._receive_signal(name, payloads)

    async def take_update(self, name: str, payloads: tuple[Any, ...]) -> MessageReceipt:
        if not self._started:  # sent with the start: once the deployment's settings are read
            await workflow.wait_condition(lambda: self._started)
        return self._receive_update(name, payloads)

    def validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        self._validate_update(name, payloads)

    async def run(self) -> IncidentStatus:
        self._details_task = asyncio.create_task(self._keep_details_current())
        await self._opening.read_settings(self.start, self.state, self._context)
        with self.at_work():
            self._ensure_started()
            for _ in range(self._opening.cancellations):
                self._refuse_cancellation()
            self._opening.release(self._receive_signal)  # signals held until the settings were read
            self._show()
        while True:
            try:
                await workflow.wait_condition(  # read without waking a resting state
                    lambda: self.is_closed or self._continue_as_new_due())
            except asyncio.CancelledError:
                self._refuse_cancellation()
                continue
            if self.state.status.stage.is_final:
                break
            await self._uncancellable(lambda: workflow.wait_condition(
                workflow.all_handlers_finished))
            if not self.state.status.stage.is_final:
                self._continue_as_new()
        await self._uncancellable(lambda: workflow.wait_condition(workflow.all_handlers_finished))
        # Notices of the last step (e.g. 撤销) still go out before the incident closes.
        await self._uncancellable(lambda: workflow.wait_condition(lambda: not self._deliveries))
        return fitted_to_payload(self.state.status)

    async def _uncancellable(self, waiting) -> None:
        """Wait on; a cancellation request meanwhile is refused and recorded like any other."""
        while True:
            try:
                await waiting()
                return
            except asyncio.CancelledError:
                self._refuse_cancellation()

    def status(self) -> IncidentStatus:
        with self.at_work():
            return fitted_to_payload(self.state.status)  # within the payload cap; the history has it all

    def message_taken(self, message_id: str) -> dict[str, Any]:
        with self.at_work():  # for a sender whose wait was cut off (starter.api)
            return message_ids.taken(self.state, message_id)

    def _ensure_started(self) -> None:
        """Record the first report and apply a 研判 that came with it (once)."""
        if self._started or not self._opening.done:
            return
        self._started = True
        if self._carried is not None:
            carried, self._carried = self._carried, None
            self._resume(carried)
            return
        refused = len(self.state.status.rejected_inputs)
        self._carry_out(collection.open_incident(self.state, self.start, self._context()))
        for rejected in self.state.status.rejected_inputs[refused:]:
            self.log.warning("message_refused", message=rejected.message, reason=rejected.reason)

    # ------------------------------------------------ a run's life and its end

    def _continue_as_new_due(self) -> bool:
        """Well before Temporal's caps on one run (events, bytes, signals)."""
        info = workflow.info()
        return info.is_continue_as_new_suggested() or continuation.due(
            self._run_budget, info.get_current_history_length(),
            max(info.get_current_history_size(), self._message_bytes), self._signals)

    def _continue_as_new(self) -> None:
        """Hand the whole incident to a new run of the same workflow id (raises)."""
        carried = Continued(
            start=self.start, state=self.state, graces=list(self._grace_ends.values()),
            deliveries=[PendingDelivery.of(p, w) for p, w in self._deliveries.values()],
            run=self._run_number + 1)
        self.log.info("continue_as_new", run=carried.run, signals=self._signals,
                      events=workflow.info().get_current_history_length())
        workflow.continue_as_new(continuation.carry(carried))

    def _resume(self, carried: Continued) -> None:
        """A continued run: the same timers, grace periods and deliveries, nothing re-done."""
        self._carry_out([WaitFor(w.key) for w in self.state.status.windows
                         if w.state.value == "pending"])
        for grace in carried.graces:
            self._start_grace(grace)
        for delivery in carried.deliveries:
            self._start_delivery(delivery.payload, delivery.what)

    @rests_after
    def _refuse_cancellation(self) -> None:
        """A cancellation request (UI, CLI) never ends an incident: only 撤销 with a reason."""
        self._refuse("cancel", intake.CANCELLATION_REFUSED, None)
        self.state.status.timeline.append(TimelineEntry(
            at=workflow.now(), actor="Temporal 取消请求", action="cancel_refused",
            detail="收到取消请求，已拒绝：事件继续办理"))
        self._carry_out([])
        self._show()

    def _context(self) -> Context:
        return Context(now=workflow.now(), patched=workflow.patched)

    # ------------------------------------------------------- message intake

    @rests_after
    def _receive_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        self._ensure_started()
        if not self._started:  # the deployment's settings are still being read
            return self._opening.held.append((name, payloads))
        self._signals += 1
        self._message_bytes += registry.encoded_size(payloads)
        try:
            if message_ids.repeated(self.state, name, payloads):
                self.log.info("message_repeated", message=name)  # a client retry: nothing changes
                return
            self._carry_out(registry.take(self.state, name, payloads, self._context()))
            message_ids.remember(self.state, name, payloads, None)
        except Refusal as refusal:
            self._refuse(name, refusal.reason, registry.actor_of(payloads))
            return
        self._show()

    def unknown_signal(self, name: str, args: Sequence[RawValue]) -> None:
        """A signal the contract does not have: refused and recorded, never dropped."""
        with self.at_work():
            self._ensure_started()
            self._signals += 1
            self._message_bytes += sum(len(arg.payload.data) for arg in args)
            self._refuse(name[:100], registry.unknown_message(name), self._actor_in(args))

    @staticmethod
    def _actor_in(args: Sequence[RawValue]) -> str | None:
        """Who sent a message of an unknown name, when its one payload says (else None)."""
        try:
            payloads = workflow.payload_converter().from_payloads([a.payload for a in args])
        except Exception:  # any undecodable payload: refused all the same, unsigned
            return None
        return registry.actor_of(tuple(payloads))

    @rests_after
    def _validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        """Read-only: a rejected update is answered at once and leaves no trace in the history."""
        try:
            if message_ids.repeated(self.state, name, payloads):
                return  # a retry: answered with the first receipt
            message = registry.parse(name, payloads)
            if self._started:  # before the first step the handler checks, on the started incident
                registry.check(self.state, name, message, self._context(),
                               registry.principal_of(payloads))
        except Refusal as refusal:
            self.log.warning("update_rejected", message=name, reason=refusal.reason,
                             message_id=message_ids.message_id_of(payloads))  # ids, no names
            raise refused(refusal) from None

    @rests_after
    def _receive_update(self, name: str, payloads: tuple[Any, ...]) -> MessageReceipt:
        self._ensure_started()
        self._signals += 1  # accepted updates count toward the run's budget too
        self._message_bytes += registry.encoded_size(payloads)
        recorded = len(self.state.status.timeline)
        try:
            if message_ids.repeated(self.state, name, payloads):
                first = message_ids.first_receipt(self.state, payloads)
                return first or receipt(self.state.status, name, workflow.now(), recorded)
            self._carry_out(registry.take(self.state, name, payloads, self._context()))
        except Refusal as refusal:  # validated against an incident that has changed since
            self._refuse(name, refusal.reason, registry.actor_of(payloads))
            raise refused(refusal) from None
        self._show()
        answer = receipt(self.state.status, name, workflow.now(), recorded)
        message_ids.remember(self.state, name, payloads, answer)
        self._last_update = (answer, registry.actor_of(payloads))  # shown by _show's rendering
        return answer
