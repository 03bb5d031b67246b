"""The incident again, without a server: its inputs through the procedure, deadlines between.

The workflow turns the procedure's effects into durable timers and, when one falls,
asks the procedure what the missed deadline means (``registry.deadline_passed``) or
what the end of a grace period means (``registry.grace_over``). This driver does the
same in order of time: before each message every deadline and grace end that would have
woken the incident first is taken at its own moment (``inputs`` says which), then the
message at the moment the incident took it, refused or applied as the workflow does.
Deliveries are side effects and are not carried out.
"""

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.messages import IncidentStart
from domain.engine import intake, message_ids, opening, registry
from domain.engine.standing import fitted_to_payload, receipt, refresh
from domain.engine.step import (
    CancelGraces, Context, Effect, GraceOver, IncidentState, Refusal, StartGrace, StopWaiting,
    WaitFor, WindowKey, record_refusal,
)
from domain.status import IncidentStatus, WindowState
from domain.whatif.inputs import Arrival, IncidentInputs
from domain.workflow_versions import (
    NEAREST_DEADLINE_ONLY, ONE_RUN_LOOP_PATCH, deadlines_before_messages,
    holds_unknown_until_open, version_of,
)

# A timer wakes the workflow a few milliseconds after it falls: a deadline falling this
# shortly before a recorded wake-up falls at it, as it did, so ties order as they did.
WAKE_LATENCY = timedelta(seconds=1)
# What falls: ("deadline", its window's key, its deadline) or ("grace", its name, its GraceOver)
Falling = tuple[str, Any, Any]


@dataclass
class Outcome:
    """How one message fared in a replay: taken, or refused with the reason."""

    arrival: Arrival
    refused: str | None


@dataclass
class Replay:
    state: IncidentState
    outcomes: list[Outcome] = field(default_factory=list)
    _fitted: IncidentStatus | None = None

    @property
    def status(self) -> IncidentStatus:
        """The final status as the workflow returns it (fitted into one payload)."""
        if self._fitted is None:
            self._fitted = fitted_to_payload(self.state.status)
        return self._fitted


@dataclass
class _Clock:
    """The deadlines and grace ends the workflow would be waiting for."""

    nearest_only: bool
    wakes: list[datetime]
    timers: dict[WindowKey, tuple[datetime, datetime, int]] = field(default_factory=dict)
    graces: dict[str, tuple[datetime, int, GraceOver]] = field(default_factory=dict)
    made: int = 0

    def next_due(self, state: IncidentState) -> tuple[datetime, datetime, Falling] | None:
        """The earliest deadline or grace end still to fall: when the workflow woke for it,
        when it fell due, and what it is. A deadline already past when its timer was started
        falls at that moment."""
        found: tuple[tuple[datetime, datetime, int], Falling] | None = None
        windows = {w.key: (i, w) for i, w in enumerate(state.status.windows)}
        for key, (deadline, armed_at, made) in self.timers.items():
            if self.nearest_only:  # the current deadline; ties in the windows' order
                index, window = windows.get(key, (0, None))
                if window is None or window.state != WindowState.PENDING:
                    continue
                deadline, made = window.deadline, index
            falls = max(deadline, armed_at)
            order = (self.woken_at(falls), falls, made)
            if found is None or order < found[0]:
                found = (order, ("deadline", key, deadline))
        for name, (ends_at, made, then) in self.graces.items():
            order = (self.woken_at(ends_at), ends_at, made)
            if found is None or order < found[0]:
                found = (order, ("grace", name, then))
        return (found[0][0], found[0][1], found[1]) if found else None

    def woken_at(self, falls: datetime) -> datetime:
        """When the workflow wakes for a timer falling at ``falls``: as recorded, if it was."""
        index = bisect_left(self.wakes, falls)
        if index < len(self.wakes) and self.wakes[index] - falls <= WAKE_LATENCY:
            return self.wakes[index]
        return falls


def context(now: datetime, patches: set[str],
            local_overrides: Mapping[str, Any] | None = None) -> Context:
    """The incident's clock, the version markers its history holds and, when it opens,
    the proposed local defaults (``Rules.with_overrides``)."""
    return Context(now=now, patched=patches.__contains__, local_overrides=local_overrides or {})


def _carry_out(clock: _Clock, state: IncidentState, effects: list[Effect],
               now: datetime) -> None:
    for effect in effects:
        match effect:
            case WaitFor(window=key):
                window = next((w for w in state.status.windows if w.key == key), None)
                if window is not None:
                    clock.made += 1
                    clock.timers[key] = (window.deadline, now, clock.made)
            case StopWaiting(window=key):
                clock.timers.pop(key, None)
            case StartGrace(name=name, hours=hours, then=then):
                clock.made += 1
                clock.graces[name] = (now + timedelta(hours=hours), clock.made, then)
            case CancelGraces():
                clock.graces.clear()
    refresh(state.status)


def _fall_due(clock: _Clock, state: IncidentState, patches: set[str], falls,
              at: datetime | None = None) -> None:
    """Every deadline and grace end for which ``falls(moment)``, earliest first; ``at``:
    the task that lets them fall (version 7's message task), else each at its own moment."""
    while not state.status.stage.is_final:
        due = clock.next_due(state)
        if due is None:
            return
        woken, falls_at, (kind, name, detail) = due
        if not falls(falls_at if at else woken):  # a task's own clock: the deadline itself
            return
        moment = at or woken
        ctx = context(moment, patches)
        if kind == "deadline":
            clock.timers.pop(name, None)
            effects = registry.deadline_passed(state, name, detail, ctx)
        else:
            clock.graces.pop(name, None)
            effects = registry.grace_over(state, detail, ctx)
        if effects is not None:
            _carry_out(clock, state, effects, moment)


def _unknown(arrival: Arrival) -> bool:
    """A signal the contract does not have: the workflow's dynamic handler refuses it, and
    lets no deadline fall first (only a message of the contract does, from version 7)."""
    return arrival.kind == "signal" and arrival.name not in registry.MESSAGES


def _refused_unopened(inputs: IncidentInputs, version: int) -> list[Arrival]:
    """Before workflow version 8, an unknown signal that came before the incident opened
    (with the start, or while the settings were read) was refused at once, in the task that
    received it and before the opening's own refusals; from version 8 it waits for the opening."""
    if (holds_unknown_until_open(version) or isinstance(inputs.carried, Resumed)
            or inputs.opened_at is None):
        return []
    opened_at = inputs.opened_at
    return [a for a in inputs.arrivals if _unknown(a) and a.at <= opened_at]


def _take(clock: _Clock, state: IncidentState, arrival: Arrival,
          patches: set[str]) -> str | None:
    """One message as the workflow's handlers take it; the refusal's reason, if refused."""
    now, name, payloads = arrival.at, arrival.name, arrival.payloads
    if arrival.kind == "cancel":
        return None  # refused by the shell and recorded there; never changes the procedure
    if name not in registry.MESSAGES:  # recorded as the workflow does, signed by its actor
        reason = intake.refuse_unknown(state, name, payloads, now)
        refresh(state.status)
        return reason
    recorded = len(state.status.timeline)
    try:
        if message_ids.repeated(state, name, payloads):
            return None
        _carry_out(clock, state, registry.take(state, name, payloads, context(now, patches)), now)
    except Refusal as refusal:
        record_refusal(state, name, refusal.reason, registry.actor_of(payloads), now)
        refresh(state.status)
        return refusal.reason
    answer = (receipt(state.status, name, now, recorded) if arrival.kind == "update" else None)
    message_ids.remember(state, name, payloads, answer)
    return None


@dataclass(frozen=True)
class Resumed:
    """A continued run whose earlier runs are not at hand: the state it was handed."""

    start: IncidentStart
    state: IncidentState
    graces: list[tuple[str, datetime, GraceOver]]


def _opened(inputs: IncidentInputs, start: IncidentStart | None, clock: _Clock,
            local_overrides: Mapping[str, Any] | None,
            unopened: list[Arrival]) -> tuple[IncidentState, list[Outcome]]:
    """The incident opened, and how the signals refused before it fared (``_refused_unopened``)."""
    carried = inputs.carried
    if isinstance(carried, Resumed):  # as the continued run resumes: every pending window
        if inputs.opened_at is None:  # else its timers would start at no time (a TypeError)
            raise ValueError(inputs.problem or "续跑未曾开始 (the continued run never opened)")
        state = carried.state.model_copy(deep=True)
        _carry_out(clock, state, [WaitFor(w.key) for w in state.status.windows
                                  if w.state == WindowState.PENDING], inputs.opened_at)
        for made, (name, ends_at, then) in enumerate(carried.graces):
            clock.graces[name] = (ends_at, -len(carried.graces) + made, then)
        return state, []
    if start is None or inputs.opened_at is None:
        raise ValueError(inputs.problem or "no start to replay")
    state = opening.new_incident(start)
    refused = [Outcome(a, intake.refuse_unknown(state, a.name, a.payloads, a.held_from or a.at))
               for a in unopened]
    if inputs.settings is not None:  # the deployment's, as the incident recorded them
        opening.adopt_settings(state, opening.DeploymentSettings.model_validate(inputs.settings),
                               context(inputs.opened_at, inputs.patches))
    effects = opening.open_incident(state, start, context(inputs.opened_at, inputs.patches,
                                                          local_overrides))
    _carry_out(clock, state, effects, inputs.opened_at)
    return state, refused


def replay(inputs: IncidentInputs, start: IncidentStart | None = None,
           local_overrides: Mapping[str, Any] | None = None,
           until: datetime | None = None) -> Replay:
    """The incident as the procedure decides it from ``inputs``: from its own start unless
    ``start`` is given (a proposed rules version), with its recorded local defaults unless
    ``local_overrides`` replace some, up to ``until`` (default: its last event)."""
    start = start or inputs.start
    if isinstance(inputs.carried, Resumed):
        start = inputs.carried.start
    version = version_of(start)
    # a start naming an older version that the one run loop served (its marker recorded)
    # waited as the loop does: for the nearest deadline, as it stands now
    loop_served = ONE_RUN_LOOP_PATCH in inputs.patches
    clock = _Clock(nearest_only=version >= NEAREST_DEADLINE_ONLY or loop_served,
                   wakes=inputs.wakes)
    unopened = _refused_unopened(inputs, version)
    state, refused = _opened(inputs, start, clock, local_overrides, unopened)
    done = Replay(state, refused)
    woken_by_timers = set(inputs.wakes)
    refused_at_opening = {id(a) for a in unopened}
    past_falls_first = deadlines_before_messages(version)
    for arrival in inputs.arrivals:
        if id(arrival) in refused_at_opening:
            continue
        due_first = past_falls_first and not _unknown(arrival)
        previous = arrival.previous_task
        # A timer that fired into the very task that took the message comes after it (the
        # SDK hands a task's messages over before its timers); else one falling before the
        # message arrived had woken the incident first, unless the message came within a
        # timer's latency of it and no wake-up is recorded between: the workflow took the
        # message first then, and its timer, cancelled or late, fired after (or never).
        # From version 7 the workflow lets whatever was past when the message's task began
        # fall first, timer or not: a message of the contract, never an unknown signal.
        same_task = arrival.at in woken_by_timers
        _fall_due(clock, state, inputs.patches,
                  lambda t: (previous is not None and t <= previous)
                  or (t + WAKE_LATENCY < arrival.arrived and not same_task and not due_first))
        if due_first:
            _fall_due(clock, state, inputs.patches, lambda t: t <= arrival.at, at=arrival.at)
        done.outcomes.append(Outcome(arrival, _take(clock, state, arrival, inputs.patches)))
    end = until or inputs.until
    if end is not None:  # nothing is known after the record ends (for a closed one, its close)
        _fall_due(clock, state, inputs.patches, lambda t: t <= end)
    return done
