"""What an incident waits for (等待): timed windows, grace periods, notices not yet answered.

The procedure's effects ask for timers, grace periods and deliveries; here they are
written into the incident's state (``IncidentState.timed``, ``grace_periods``,
``deliveries_out``), so the workflow needs one wait, for the nearest of them, and a
continued run carries them with the state. Plain functions over the state, no Temporal.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from domain.notifications import Delivery
from domain.engine import registry
from domain.engine.step import (
    CancelGraces, Context, Deliver, Effect, GracePeriod, IncidentState, PendingDelivery,
    StartGrace, StopWaiting, WaitFor, WindowKey,
)
from domain.receipts import record_delivery, record_delivery_failed
from domain.status import Window, WindowState


SOON = timedelta(milliseconds=1)  # a deadline nearer than a timer can be is due now


class Due(NamedTuple):
    """The next moment something falls, and its name on the timer (W-ACK u1 签收回传)."""

    at: datetime
    label: str


def record(state: IncidentState, effects: list[Effect], now: datetime) -> list[PendingDelivery]:
    """Write the effects into what the incident waits for; the deliveries to start now."""
    timed = state.timed if state.timed is not None else []
    started = []
    for effect in effects:
        match effect:
            case WaitFor(window=key):
                if key not in timed:
                    timed.append(key)
            case StopWaiting(window=key):
                timed[:] = [k for k in timed if k != key]
            case StartGrace(name=name, hours=hours, label=label, then=then):
                state.grace_periods.append(GracePeriod(
                    name=name, ends_at=now + timedelta(hours=hours), label=label,
                    after=then.after, window=then.window))
            case CancelGraces():
                state.grace_periods.clear()
            case Deliver(payload=payload, what=what):
                started.append(PendingDelivery.of(payload, what))
    pending = {w.key for w in state.status.windows if w.state == WindowState.PENDING}
    state.timed = [key for key in timed if key in pending]  # a met window waits no more
    state.deliveries_out.extend(started)
    return started


def resume(state: IncidentState, graces: list[GracePeriod],
           deliveries: list[PendingDelivery]) -> None:
    """A continued run's state. One from a run of versions 1–5 takes in the grace periods and
    deliveries that run carried beside it, and (``timed`` None) every pending window is
    timed, as the earlier shell re-armed them when a run continued."""
    state.grace_periods += graces
    state.deliveries_out += deliveries
    if state.timed is None:
        state.timed = [w.key for w in state.status.windows if w.state == WindowState.PENDING]


def nearest(state: IncidentState) -> Due | None:
    """What falls first: a timed pending window's deadline or a grace period's end (on a
    tie the window first, in the status's order)."""
    waits = [Due(w.deadline, label(w)) for w in _timed_windows(state)]
    waits += [Due(g.ends_at, g.label) for g in state.grace_periods]
    return min(waits, key=lambda due: due.at) if waits else None


def moved(waited: Due | None, due: Due | None, now: datetime, let_fire: bool) -> bool:
    """Whether a wait for ``waited`` (None: for nothing timed) starts again, what falls next
    being ``due`` now: a message moved the nearest deadline. With ``let_fire`` (workflow
    version 7, where a message lets what is past fall first: ``fall_past``) a deadline whose
    time has come is no move: its timer, due now, is let fire rather than cancelled (it may
    have fired while the message's task ran: sdk-java#3088)."""
    at = waited.at if waited else None
    if (due.at if due else None) == at:
        return False
    return not (let_fire and at is not None and at <= now)


def fall_due(state: IncidentState, now: datetime, ctx: Context) -> list[Effect]:
    """Everything due by ``now``, earliest first (windows before grace periods on a tie):
    each is taken off what the incident waits for and its consequence decided."""
    effects: list[Effect] = []
    while True:
        windows = [w for w in _timed_windows(state) if w.deadline <= now]
        graces = [g for g in state.grace_periods if g.ends_at <= now]
        window = min(windows, key=lambda w: w.deadline, default=None)
        grace = min(graces, key=lambda g: g.ends_at, default=None)
        if window is not None and (grace is None or window.deadline <= grace.ends_at):
            state.timed = [key for key in state.timed or [] if key != window.key]
            effects += registry.deadline_passed(state, window.key, window.deadline, ctx) or []
        elif grace is not None:
            state.grace_periods.remove(grace)
            effects += registry.grace_over(state, grace.then, ctx) or []
        else:
            return effects


def fall_past(state: IncidentState, ctx: Context) -> list[Effect] | None:
    """Before a message (workflow version 7): what was due when its task began falls first,
    timer or not; None when nothing was."""
    due = nearest(state)
    return fall_due(state, ctx.now, ctx) if due is not None and due.at <= ctx.now else None


def answered(state: IncidentState, key: str, now: datetime, result: Delivery | None,
             cause: str = "") -> list[Effect]:
    """A delivery answered, waited for no more: the activity's result (each channel's
    answer, ``domain.receipts``) or, when it gave up, ``cause`` on the record."""
    sent = next((d for d in state.deliveries_out if d.key == key), None)
    if sent is None:
        return []
    if result is not None:
        effects = record_delivery(state, sent.what, sent.payload, result, now)
    else:
        effects = record_delivery_failed(state, sent.what, sent.payload, cause, now)
    # only once it is on the record: should recording fail, the notice stays owed (a
    # continued run sends it again, under the same idempotency key) rather than vanish
    state.deliveries_out.remove(sent)
    return effects


def label(window: Window) -> str:
    unit = f" {window.unit_id}" if window.unit_id else ""
    return f"{window.id.value}{unit} {window.label}"


def _timed_windows(state: IncidentState) -> list[Window]:
    if not state.timed:  # (asked after every piece of work: mostly nothing is timed)
        return []
    timed: set[WindowKey] = set(state.timed)
    return [w for w in state.status.windows if w.key in timed and w.state == WindowState.PENDING]
