"""What the incident workflow does with the procedure's answers: timers, grace periods,
deliveries (activities), search attributes and the UI's current details.

A mixin of ``legacy.incident.LegacyIncident``: it runs in the workflow, so everything here is
deterministic; ``self.state``, ``self.log`` and ``self._context()`` come from the workflow.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.current_details import render_current_details
    from domain.procedure import escalation
    from domain.engine.standing import refresh
    from domain.receipts import record_delivery, record_delivery_failed
    from domain.engine.step import (
        SYSTEM_ACTOR, CancelGraces, Context, Deliver, Delivery, Effect, GracePeriod, StartGrace,
        StopWaiting, WaitFor, WindowKey, record_refusal,
    )
    from domain.status import TimelineEntry
    from temporal.search_attributes import upserts
    from domain.workflow_versions import (
        DEADLINE_TO_THE_MINUTE, DELIVERY_RECEIPTS, OVERDUE_SINCE_SHOWN,
    )
    from activities.delivery import DELIVERY_ACTIVITIES
    from legacy.timers import nearest_to_arm

DELIVERY_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), backoff_coefficient=2.0,
                             maximum_interval=timedelta(minutes=10))
# A delivery attempt is a write or one call to a messaging service; a worker killed
# mid-attempt is noticed after this long and the attempt is retried elsewhere.
ATTEMPT_TIMEOUT = timedelta(seconds=30)
# Version 4 and after, as they were when version 5 was current (frozen: the loop's own are
# in workflows.carrying and may change without changing what a legacy run sends).
RECEIPT_RETRY = RetryPolicy(initial_interval=timedelta(seconds=10), backoff_coefficient=2.0,
                            maximum_interval=timedelta(minutes=10), maximum_attempts=20)
RECEIPT_ATTEMPT_TIMEOUT = timedelta(seconds=40)
DELIVERY_TIMEOUT = timedelta(days=3)


def record_delivery_failure(state: Any, what: str, cause: str, now: datetime) -> None:
    """Versions 1–3: a delivery that failed for days is on the record (no receipts)."""
    state.status.timeline.append(TimelineEntry(
        at=now, actor=SYSTEM_ACTOR, action="delivery_failed", detail=f"投递失败：{what}（{cause}）"))


class CarryingOut:
    """Timers, grace periods, deliveries and showing for ``IncidentWorkflow``."""

    state: Any
    log: Any
    at_work: Callable[[], Any]  # legacy.resting: one piece of work, then the state rests
    _context: Callable[[], Context]  # legacy.incident: the procedure's clock and markers
    _timers: dict
    _wanted: dict  # windows the procedure asked to time (an ordered set)
    _armed: dict  # window → the deadline its running timer waits for
    _version: int  # domain.workflow_versions
    _nearest_only: bool  # legacy.timers: only the nearest deadline holds a timer
    _graces: dict
    _grace_ends: dict
    _deliveries: dict
    _logged: int
    _details_stale: bool = False
    _shown: bool = False  # whether this run has shown the incident yet
    _last_update: Any  # (MessageReceipt, actor) of the last accepted update, or None

    # ---------------------------------------------------- carrying out effects

    def _carry_out(self, effects: list[Effect]) -> None:
        """In the order the procedure gave them: the commands in the history follow it."""
        for effect in effects:
            match effect:
                case WaitFor(window=key):
                    self._disarm(key)
                    if self._nearest_only:
                        self._wanted[key] = None
                    else:
                        self._timers[key] = asyncio.create_task(self._await_deadline(key))
                case StopWaiting(window=key):
                    self._disarm(key)
                    self._wanted.pop(key, None)
                case StartGrace(name=name, hours=hours, label=label, then=then):
                    self._start_grace(GracePeriod(
                        name=name, ends_at=workflow.now() + timedelta(hours=hours), label=label,
                        after=then.after, window=then.window))
                case CancelGraces():
                    for task in self._graces.values():
                        task.cancel()
                    self._grace_ends.clear()
                case Deliver(payload=payload, what=what):
                    self._start_delivery(payload, what)
        self._arm_nearest()
        for entry in self.state.status.timeline[self._logged:]:
            # Ids, never names: who acted is in the (encrypted) history, not in plain logs.
            self.log.info(entry.action, unit_id=entry.unit_id, rule=entry.rule)
        self._logged = len(self.state.status.timeline)

    def _disarm(self, key: WindowKey) -> None:
        task = self._timers.pop(key, None)
        self._armed.pop(key, None)
        if task is not None and not task.done():
            task.cancel()

    def _arm_nearest(self) -> None:
        """Keep the nearest wanted deadline timed (legacy.timers)."""
        if not self._nearest_only:
            return
        window = nearest_to_arm(self.state.status.windows, self._wanted, self._armed)
        if window is not None:
            self._armed[window.key] = window.deadline
            self._timers[window.key] = asyncio.create_task(self._await_deadline(window.key))

    async def _await_deadline(self, key: WindowKey) -> None:
        try:
            await self._deadline_falls(key)
        except Exception:
            if self._nearest_only:  # a fault in one deadline must not leave the later ones untimed
                self._forget(key)
                self._arm_nearest()
            raise

    async def _deadline_falls(self, key: WindowKey) -> None:
        with self.at_work():  # no part of the state is held while asleep
            deadline, summary = self._deadline_of(key)
        delay = (deadline - workflow.now()).total_seconds()
        if delay > 0:
            await workflow.sleep(delay, summary=summary)
        with self.at_work():
            self._deadline_met(key, deadline)

    def _deadline_met(self, key: WindowKey, deadline: datetime) -> None:
        if self._nearest_only:  # this deadline is done with: the next nearest takes over
            self._forget(key)
        effects = escalation.deadline_passed(self.state, key, deadline, self._context())
        if effects is not None:
            self._timers.pop(key, None)
            self._carry_out(effects)
            self._show()
        else:
            self._arm_nearest()

    def _forget(self, key: WindowKey) -> None:
        for book in (self._timers, self._armed, self._wanted):
            book.pop(key, None)

    def _deadline_of(self, key: WindowKey) -> tuple[datetime, str]:
        """A window's deadline and its timer's summary in the UI (W-ACK u1 签收回传)."""
        window = next(w for w in self.state.status.windows if w.key == key)
        unit = f" {window.unit_id}" if window.unit_id else ""
        return window.deadline, f"{window.id.value}{unit} {window.label}"

    def _start_grace(self, grace: GracePeriod) -> None:
        self._grace_ends[grace.name] = grace
        self._graces[grace.name] = asyncio.create_task(self._await_grace(grace))

    async def _await_grace(self, grace: GracePeriod) -> None:
        delay = (grace.ends_at - workflow.now()).total_seconds()
        if delay > 0:
            await workflow.sleep(delay, summary=grace.label)
        self._grace_ends.pop(grace.name, None)
        with self.at_work():
            effects = escalation.grace_over(self.state, grace.then, self._context())
            if effects is not None:
                self._carry_out(effects)
                self._show()

    def _start_delivery(self, payload: Delivery, what: str) -> None:
        """Run a side effect in the background: a failing delivery never holds up a timer."""
        receipts = self._version >= DELIVERY_RECEIPTS

        async def deliver() -> None:
            try:
                result = await workflow.execute_activity_method(
                    DELIVERY_ACTIVITIES[type(payload)], payload,
                    start_to_close_timeout=RECEIPT_ATTEMPT_TIMEOUT if receipts else ATTEMPT_TIMEOUT,
                    schedule_to_close_timeout=DELIVERY_TIMEOUT,
                    retry_policy=RECEIPT_RETRY if receipts else DELIVERY_RETRY, summary=what)
            except ActivityError as error:
                cause = str(error.cause or error)
                with self.at_work():
                    if receipts:
                        self._carry_out(record_delivery_failed(self.state, what, payload, cause,
                                                               workflow.now()))
                    else:
                        record_delivery_failure(self.state, what, cause, workflow.now())
                        self._carry_out([])
                    self._show()
                return
            if receipts:  # the receipt rides on the activity's result (workflow version 4)
                with self.at_work():
                    self._carry_out(record_delivery(self.state, what, payload, result,
                                                    workflow.now()))
                    self._show()

        task = asyncio.create_task(deliver())
        self._deliveries[task] = (payload, what)
        task.add_done_callback(lambda done: self._deliveries.pop(done, None))

    # ------------------------------------------------------------ showing

    def _show(self) -> None:
        """Derive stage and deadlines, then show them: search attributes and current details."""
        status = self.state.status
        self._shown = True
        refresh(status)
        updates = upserts(  # the SDK keeps the search attributes, upserts included
            status, workflow.info().typed_search_attributes,
            overdue_since=self._version >= OVERDUE_SINCE_SHOWN,
            to_the_minute=self._version >= DEADLINE_TO_THE_MINUTE)
        if updates:  # one upsert per workflow task at most: each is a billed action
            workflow.upsert_search_attributes(updates)
        self._show_details()

    def _refuse(self, name: str, reason: str, actor: str | None) -> None:
        """Recorded and shown; no upsert (a refusal changes no listed fact: README, Floods)."""
        record_refusal(self.state, name, reason, actor, workflow.now())
        self.log.warning("message_refused", message=name, reason=reason)  # no names in logs
        self._show_details() if self._shown else self._show()  # first showing: all

    def _show_details(self) -> None:
        """The current details (with the receipt of the last accepted update, whose answer
        the UI does not show), written once the task's messages are all applied."""
        self._details_stale = True

    async def _keep_details_current(self) -> None:
        """The UI's current details, rendered once per workflow task, not once per message.

        Rendering reads the whole status; done for each of thousands of signals in one
        task, it ran past the deadlock detector's 2 s. The details are no command, so
        when they are written changes nothing in the history.
        """
        while True:
            try:
                await workflow.wait_condition(lambda: self._details_stale)
            except asyncio.CancelledError:
                continue  # a cancellation request is the run's to refuse
            self._details_stale = False
            with self.at_work():
                workflow.set_current_details(render_current_details(
                    self.state.status, workflow.now(), self._last_update))
