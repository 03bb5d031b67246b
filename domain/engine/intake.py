"""受理 (intake): one message as the workflow takes it, a retry, a refusal or a step.

Every message of the contract passes here, sent as a signal or as an update: a retry of
a ``message_id`` already taken changes nothing (an update's retry is answered with the
first receipt); a message that does not parse or is not allowed now is refused and the
refusal recorded; else the procedure's step is applied, the status refreshed and, for an
update, its receipt (受理回执) written. Plain functions over the state, no Temporal.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.engine import message_ids
from domain.engine import registry
from domain.engine.standing import receipt, refresh
from domain.engine.step import Context, Effect, IncidentState, Refusal, record_refusal
from domain.status import MessageReceipt, TimelineEntry

CANCELLATION_REFUSED = ("取消请求被拒绝：事件只能经撤销（withdraw，须说明理由）或办结结束 "
                        "(cancellation refused: send withdraw with a reason)")


@dataclass
class Taken:
    """What became of a message: its effects, an update's receipt, or why it was refused."""

    effects: list[Effect] = field(default_factory=list)
    receipt: MessageReceipt | None = None
    refusal: Refusal | None = None
    repeated: bool = False


def take(state: IncidentState, name: str, payloads: tuple[Any, ...], ctx: Context, *,
         update: bool) -> Taken:
    recorded = len(state.status.timeline)
    try:
        if message_ids.repeated(state, name, payloads):
            first = message_ids.first_receipt(state, payloads) if update else None
            return Taken(repeated=True, receipt=first or (
                receipt(state.status, name, ctx.now, recorded) if update else None))
        effects = registry.take(state, name, payloads, ctx)
    except Refusal as refusal:
        record_refusal(state, name, refusal.reason, registry.actor_of(payloads), ctx.now)
        return Taken(refusal=refusal)
    answer = None
    if update:  # the receipt says the stage the step leads to (the shell refreshes it anyway)
        refresh(state.status)
        answer = receipt(state.status, name, ctx.now, recorded)
    message_ids.remember(state, name, payloads, answer)
    return Taken(effects, answer)


def check_update(state: IncidentState, name: str, payloads: tuple[Any, ...], ctx: Context,
                 opened: bool) -> None:
    """An update's validator (reads only; raises Refusal). Before the incident is open only
    the message's form is checked; the handler checks the rest on the opened incident."""
    if message_ids.repeated(state, name, payloads):
        return  # a retry: answered with the first receipt
    message = registry.parse(name, payloads)
    if opened:
        registry.check(state, name, message, ctx, registry.principal_of(payloads))


def refuse_unknown(state: IncidentState, name: str, payloads: tuple[Any, ...],
                   now: datetime) -> str:
    """A message the contract does not have: refused and recorded, never dropped."""
    reason = registry.unknown_message(name)
    record_refusal(state, name[:100], reason, registry.actor_of(payloads), now)
    return reason


def refuse_cancellation(state: IncidentState, now: datetime) -> None:
    """A cancellation request (UI, CLI) never ends an incident: only 撤销 with a reason."""
    record_refusal(state, "cancel", CANCELLATION_REFUSED, None, now)
    state.status.timeline.append(TimelineEntry(
        at=now, actor="Temporal 取消请求", action="cancel_refused",
        detail="收到取消请求，已拒绝：事件继续办理"))
