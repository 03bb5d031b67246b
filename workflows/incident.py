"""IncidentWorkflow: one public-opinion incident (舆情事件) from report to close.

收集 → 研判 → 交办 → 办理回应 → 情况反馈 → 催办 → 督办 → 问责. The procedure's
rules live in ``domain.procedure``; this shell receives the messages, asks the
procedure what they mean, and carries out what it answers: durable timers
(one per deadline), activities, search attributes and the UI's current details.
A message never fails or stalls the workflow: it is applied or refused with a reason.
"""

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, TypedSearchAttributes
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.delivery import DeliveryActivities
    from domain.messages import MESSAGE_REFUSED
    from domain.notifications import AssignmentForm, Notification, RumourTransfer
    from domain.presentation import render_current_details
    from domain.procedure import collection, escalation, registry
    from domain.procedure.publication import receipt, refresh, search_attribute_values
    from domain.procedure.step import (
        ArmTimer, CancelGraces, Context, Deliver, Delivery, DisarmTimer, Effect, GraceOver,
        IncidentState, Refusal, StartGrace, WindowKey, record_delivery_failure, record_refusal,
    )
    from domain.status import IncidentStatus, MessageReceipt
    from workers.search_attributes import ALL_SEARCH_ATTRIBUTES
    from workflows.logging import IncidentLog

DELIVERY_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), backoff_coefficient=2.0,
                             maximum_interval=timedelta(minutes=10))
DELIVERY_TIMEOUT = timedelta(days=3)  # keeps retrying a down service for days, then records failure
ATTEMPT_TIMEOUT = timedelta(minutes=2)
DELIVERY_ACTIVITIES: dict[type, Callable] = {
    Notification: DeliveryActivities.send_notification,
    AssignmentForm: DeliveryActivities.issue_assignment_form,
    RumourTransfer: DeliveryActivities.transfer_rumour_case,
}


def _refused(refusal: Refusal) -> ApplicationError:
    """How a refused update answers its sender; the type lets a backend tell it from a fault."""
    return ApplicationError(refusal.reason, type=MESSAGE_REFUSED, non_retryable=True)


def _signal_and_update(spec: registry.MessageSpec) -> tuple[Any, Any]:
    """One contract message offered twice: as a signal, and as a validated update.

    Both take any number of payloads, so a wrong count is refused with a reason
    instead of failing in the SDK's decoding; both run the same check and step.
    The update's validator refuses before anything is written to the history.
    """
    name = spec.name

    def as_signal(self, *payloads: Any) -> None:
        self._receive_signal(name, payloads)

    def as_update(self, *payloads: Any) -> MessageReceipt:
        return self._receive_update(name, payloads)

    def validate(self, *payloads: Any) -> None:
        self._validate_update(name, payloads)

    as_signal.__name__, as_update.__name__ = name, f"{name}_update"
    validate.__name__ = f"validate_{name}"
    update = workflow.update(name=name, description=spec.description)(as_update)
    update.validator(validate)
    return workflow.signal(name=name, description=spec.description)(as_signal), update


def _offering_every_message(cls: type) -> type:
    """Adds a signal and an update for each message of the registry."""
    for spec in registry.MESSAGES.values():
        signal, update = _signal_and_update(spec)
        setattr(cls, spec.name, signal)
        setattr(cls, f"{spec.name}_update", update)
    return cls


@workflow.defn(name="IncidentWorkflow")
@_offering_every_message
class IncidentWorkflow:
    @workflow.init
    def __init__(self, start: Any) -> None:
        # Validated here rather than by the SDK: a typed argument that fails to
        # decode would fail every workflow task and leave the incident stuck.
        try:
            self.start = collection.validate_start(start)
        except Refusal as refusal:
            raise ApplicationError(refusal.reason, type="InvalidIncidentStart",
                                   non_retryable=True) from None
        self.state: IncidentState = collection.new_incident(self.start)
        self.log = IncidentLog(self.start.incident_id)
        self._started = False
        self._logged = 0  # timeline entries already logged
        self._timers: dict[WindowKey, asyncio.Task] = {}
        self._graces: dict[str, asyncio.Task] = {}
        self._deliveries: set[asyncio.Task] = set()
        self._published: dict[str, Any] = {}

    @workflow.run
    async def run(self, start: Any) -> IncidentStatus:
        self._ensure_started()
        self._publish()
        await workflow.wait_condition(lambda: self.state.status.stage.is_final)
        await workflow.wait_condition(workflow.all_handlers_finished)
        # Notices of the last step (e.g. 撤销) still go out before the incident closes.
        if self._deliveries:
            await workflow.wait(list(self._deliveries))
        return self.state.status

    @workflow.query(description="舆情事件当前状态（阶段、督办、各单位交办单、各时限、时间线、被拒绝的消息）")
    def status(self) -> IncidentStatus:
        return self.state.status

    def _ensure_started(self) -> None:
        """Record the first report and apply a 研判 that came with it (once)."""
        if self._started:
            return
        self._started = True
        self._published = self._current_search_attributes()
        refused = len(self.state.status.rejected_inputs)
        self._carry_out(collection.open_incident(self.state, self.start, self._context()))
        for rejected in self.state.status.rejected_inputs[refused:]:
            self.log.warning("message_refused", message=rejected.message, reason=rejected.reason,
                             actor=rejected.actor)

    def _context(self) -> Context:
        return Context(now=workflow.now(), patched=workflow.patched)

    # ------------------------------------------------------- message intake

    def _receive_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        self._ensure_started()
        try:
            self._carry_out(registry.take(self.state, name, payloads, self._context()))
        except Refusal as refusal:
            self._refuse(name, refusal.reason, registry.actor_of(payloads))
        self._publish()

    def _validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        """Read-only: a rejected update is answered at once and leaves no trace in the history."""
        try:
            message = registry.parse(name, payloads)
            if self._started:  # before the first step the handler checks, on the started incident
                registry.check(self.state, name, message, self._context())
        except Refusal as refusal:
            self.log.warning("update_rejected", message=name, reason=refusal.reason,
                             actor=registry.actor_of(payloads))
            raise _refused(refusal) from None

    def _receive_update(self, name: str, payloads: tuple[Any, ...]) -> MessageReceipt:
        self._ensure_started()
        recorded = len(self.state.status.timeline)
        try:
            self._carry_out(registry.take(self.state, name, payloads, self._context()))
        except Refusal as refusal:  # validated against an incident that has changed since
            self._refuse(name, refusal.reason, registry.actor_of(payloads))
            self._publish()
            raise _refused(refusal) from None
        self._publish()
        return receipt(self.state.status, name, workflow.now(), recorded)

    def _refuse(self, name: str, reason: str, actor: str | None) -> None:
        record_refusal(self.state, name, reason, actor, workflow.now())
        self.log.warning("message_refused", message=name, reason=reason, actor=actor)

    # ---------------------------------------------------- carrying out effects

    def _carry_out(self, effects: list[Effect]) -> None:
        """In the order the procedure gave them: the commands in the history follow it."""
        for effect in effects:
            match effect:
                case ArmTimer(window=key):
                    self._disarm(key)
                    self._timers[key] = asyncio.create_task(self._await_deadline(key))
                case DisarmTimer(window=key):
                    self._disarm(key)
                case StartGrace(name=name, hours=hours, label=label, then=then):
                    self._graces[name] = asyncio.create_task(self._await_grace(hours, label, then))
                case CancelGraces():
                    for task in self._graces.values():
                        task.cancel()
                case Deliver(payload=payload, what=what):
                    self._start_delivery(payload, what)
        for entry in self.state.status.timeline[self._logged:]:
            self.log.info(entry.action, actor=entry.actor, unit_id=entry.unit_id, rule=entry.rule)
        self._logged = len(self.state.status.timeline)

    def _disarm(self, key: WindowKey) -> None:
        task = self._timers.pop(key, None)
        if task is not None and not task.done():
            task.cancel()

    async def _await_deadline(self, key: WindowKey) -> None:
        window = next(w for w in self.state.status.windows if w.key == key)
        deadline = window.deadline
        delay = (deadline - workflow.now()).total_seconds()
        if delay > 0:
            unit = f" {window.unit_id}" if window.unit_id else ""
            await workflow.sleep(delay, summary=f"{window.id.value}{unit} {window.label}")
        effects = escalation.deadline_passed(self.state, key, deadline, self._context())
        if effects is not None:
            self._timers.pop(key, None)
            self._carry_out(effects)
            self._publish()

    async def _await_grace(self, hours: float, label: str, then: GraceOver) -> None:
        await workflow.sleep(timedelta(hours=hours), summary=label)
        effects = escalation.grace_over(self.state, then, self._context())
        if effects is not None:
            self._carry_out(effects)
            self._publish()

    def _start_delivery(self, payload: Delivery, what: str) -> None:
        """Run a side effect in the background: a failing delivery never holds up a timer."""
        async def deliver() -> None:
            try:
                await workflow.execute_activity_method(
                    DELIVERY_ACTIVITIES[type(payload)], payload,
                    start_to_close_timeout=ATTEMPT_TIMEOUT,
                    schedule_to_close_timeout=DELIVERY_TIMEOUT, retry_policy=DELIVERY_RETRY,
                    summary=what)
            except ActivityError as error:
                record_delivery_failure(self.state, what, str(error.cause or error),
                                        workflow.now())
                self._carry_out([])
                self._publish()

        task = asyncio.create_task(deliver())
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    # ------------------------------------------------------------ showing

    def _publish(self) -> None:
        """Derive stage and deadlines, then show them: search attributes and current details."""
        status = self.state.status
        refresh(status)
        wanted = search_attribute_values(status)
        updates = [key.value_set(wanted[key.name]) if wanted[key.name] is not None
                   else key.value_unset()
                   for key in ALL_SEARCH_ATTRIBUTES
                   if self._published.get(key.name) != wanted[key.name]]
        if updates:  # one upsert per workflow task at most: each is a billed action
            workflow.upsert_search_attributes(updates)
            self._published = wanted
        workflow.set_current_details(render_current_details(status, workflow.now()))

    def _current_search_attributes(self) -> dict[str, Any]:
        """What the starter already set, so the first publish upserts only differences."""
        current: TypedSearchAttributes = workflow.info().typed_search_attributes
        return {key.name: value for key in ALL_SEARCH_ATTRIBUTES
                if (value := current.get(key)) is not None}
