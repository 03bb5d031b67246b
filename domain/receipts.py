"""Receipts in the record (送达回执): what became of each notice, on the incident's timeline.

Workflow version 4 (``domain.workflow_versions.DELIVERY_RECEIPTS``) hands the delivery
activity's own result here: each channel's answer becomes a timeline entry and a line of
the current details; a notice no channel delivered after its tries is listed under 待办
and the cyberspace office is alerted. Nothing here touches a window: deadlines keep their
own timers whatever becomes of a notice.
"""

from datetime import datetime

from domain.notifications import (
    CYBERSPACE_OFFICE, Delivery, Notice, NoticeReceipt, NotifyChannel, UndeliveredNotice,
    notice_key, notice_kind, recipients_of,
)
from domain.presentation import local_time
from domain.engine.step import SYSTEM_ACTOR, Context, Effect, IncidentState, Step

RECEIPTS_KEPT = 30  # the newest; every receipt stays on the timeline
UNDELIVERED_KEPT = 20
ALERT_KIND = "delivery_alert"


def named(notice: str, what: str) -> str:
    """交办单 X-u1-1 (its summary already names it) or 催办「【催办】…」."""
    return what if what.startswith(notice) else f"{notice}「{what}」"


def receipt_text(receipt: NoticeReceipt) -> str:
    """交办单 已送达 住建局（企业微信 12-06 13:22，北京时间）"""
    why = f"；{receipt.detail}" if receipt.detail and not receipt.outcome.reached else ""
    return (f"{receipt.notice} {receipt.outcome.label} {receipt.recipient}"
            f"（{receipt.channel_label} {local_time(receipt.at)}，北京时间{why}）")


def record_delivery(state: IncidentState, what: str, payload: Notice, delivery: Delivery,
                    now: datetime) -> list[Effect]:
    """The activity's result: one entry per channel's answer, an alert if nobody was reached."""
    step = Step(state, Context(now=now))
    label = notice_kind(payload).label
    receipts = [NoticeReceipt(key=delivery.key, what=what, notice=label, recipient=a.recipient,
                              channel_label=a.channel_label, outcome=a.outcome, at=a.at,
                              detail=a.detail) for a in delivery.attempts]
    for receipt in receipts:
        step.record(SYSTEM_ACTOR, "notice_receipt", receipt_text(receipt))
    notices = state.status.notices
    notices.extend(receipts)
    del notices[:-RECEIPTS_KEPT]
    if delivery.delivered is False:
        reached = {a.recipient for a in delivery.attempts if a.outcome.reached}
        missing = sorted({a.recipient for a in delivery.attempts} - reached)
        last = {a.recipient: a for a in delivery.attempts}
        cause = "；".join(f"{r}：{last[r].channel_label}{last[r].outcome.label}" for r in missing)
        _undelivered(step, what, payload, missing, cause)
    return step.effects


def record_delivery_failed(state: IncidentState, what: str, payload: Notice, cause: str,
                           now: datetime) -> list[Effect]:
    """The activity itself gave up (its time ran out): nobody is known to have it."""
    step = Step(state, Context(now=now))
    names = [r.name or r.recipient_id for r in recipients_of(payload)]
    _undelivered(step, what, payload, names, cause)
    return step.effects


def _undelivered(step: Step, what: str, payload: Notice, names: list[str], cause: str) -> None:
    label = notice_kind(payload).label
    status = step.status
    status.undelivered.append(UndeliveredNotice(key=notice_key(payload), what=what, notice=label,
                                                recipients=names, since=step.now, cause=cause))
    del status.undelivered[:-UNDELIVERED_KEPT]
    step.record(SYSTEM_ACTOR, "delivery_failed",
                f"投递失败：{named(label, what)} 未能送达 {'、'.join(names)}（{cause}），已提醒网信办")
    if getattr(payload, "kind", None) == ALERT_KIND:
        return  # the alert itself failed: recorded, never alerted about again
    step.notify(ALERT_KIND, [CYBERSPACE_OFFICE], [NotifyChannel.MESSAGE],
                f"【未送达】{status.title}",
                f"{named(label, what)} 经各渠道重试仍未送达 {'、'.join(names)}（{cause}）。"
                "请电话或人工送达，并在系统外核实。")
