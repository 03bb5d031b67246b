"""Sending one notice (通知送达): the outbox record, then each recipient's channels.

Who is reached how comes from the deployment (``[notices]``): a routine notice goes to
a recipient's channels in order until one takes it, an emergency one to all of them at
once. A recipient with no channel configured has the outbox as its record (the
development default). Every answer is kept in the sent ledger, so a retry sends only
what no channel has taken yet, and the result carries every answer for the timeline.
"""

import asyncio
from datetime import datetime, timezone

import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities.channels import Channel, Message, build_channels
from activities.channels.settings import Contact, NoticeSettings, resolve
from activities.outbox import Outbox
from activities.sent_ledger import SentLedger, idempotency_key
from domain.notifications import (
    Attempt, Delivery, Notice, Outcome, Recipient, Urgency, notice_key, notice_kind,
    notice_text, recipients_of, urgency,
)

log = structlog.get_logger(__name__)
OUTBOX_CHANNEL = "outbox"
NOT_DELIVERED = "NoticeNotDelivered"  # a retryable failure: Temporal tries again later


class NoticeSender:
    def __init__(self, outbox: Outbox, settings: NoticeSettings | None = None,
                 channels: dict[str, Channel] | None = None) -> None:
        self.outbox, self.settings = outbox, settings or NoticeSettings()
        self.channels = build_channels(self.settings) if channels is None else channels
        self.ledger = SentLedger(outbox.folder / "sent")
        self.contacts = {who: _resolved(who, c) for who, c in self.settings.contacts.items()}

    @staticmethod
    def check_contacts(settings: NoticeSettings) -> None:
        """Every contact's secrets can be read (raises ``SecretMissing``)."""
        for who, contact in settings.contacts.items():
            _resolved(who, contact)

    async def deliver(self, folder: str, payload: Notice, record: dict,
                      attempt: int = 1) -> Delivery:
        """Raises ``NoticeNotDelivered`` while tries are left and some recipient is unreached."""
        kind, level = notice_kind(payload), urgency(payload)
        key = notice_key(payload)
        contacts = {r.recipient_id: self.contacts.get(r.recipient_id) for r in recipients_of(payload)}
        channels = sorted({n for c in contacts.values() if c for n in c.channels}) or [OUTBOX_CHANNEL]
        stored = self.outbox.deliver(folder, key, channels, record)
        answers: list[Attempt] = []
        unreached, retry = [], []  # retry: an emergency notice also retries a channel that failed
        for recipient in recipients_of(payload):
            contact = contacts[recipient.recipient_id]
            if contact is None:
                answers.append(_attempt(recipient, OUTBOX_CHANNEL, "发件箱", Outcome.RECORDED,
                                        stored.delivered_at, "未配置渠道"))
                continue
            recipient = _named(recipient, contact)
            reached = await self._reach(payload, recipient, contact)
            answers += reached
            name = recipient.name
            if not any(a.outcome.reached for a in reached):
                unreached.append(name)
            elif level == Urgency.EMERGENCY and _failed_channels(reached):
                retry.append(name)
        bound = log.bind(notice=key, kind=kind.label, attempt=attempt)
        if (unreached or retry) and attempt < self.settings.attempts:
            bound.warning("notice not delivered everywhere; will retry", unreached=unreached,
                          partly=retry)
            raise ApplicationError(f"未送达 {'、'.join(unreached + retry)}（第 {attempt} 轮，将重试）",
                                   type=NOT_DELIVERED, category=ApplicationErrorCategory.BENIGN)
        if unreached:
            bound.error("notice not delivered after its tries", unreached=unreached)
        return stored.model_copy(update={"notice": kind, "urgency": level, "attempts": answers,
                                         "delivered": not unreached})

    async def _reach(self, payload: Notice, recipient: Recipient, contact: Contact) -> list[Attempt]:
        names = [n for n in contact.channels if n in self.channels]
        if urgency(payload) == Urgency.EMERGENCY:  # every channel at once
            return [a for found in await asyncio.gather(
                *(self._through(payload, recipient, contact, n) for n in names)) for a in found]
        earlier = [a for n in names for a in self.ledger.read(self._key(payload, recipient, n))[0]]
        if any(a.outcome.reached for a in earlier):  # a retry: one channel already took it
            return earlier
        answers: list[Attempt] = []
        for name in names:  # in the contact's order, until one takes it
            found = await self._through(payload, recipient, contact, name)
            answers += found
            if found and found[-1].outcome.reached:
                break
        return answers

    @staticmethod
    def _key(payload: Notice, recipient: Recipient, channel: str) -> str:
        return idempotency_key(notice_key(payload), recipient.recipient_id, channel)

    async def _through(self, payload: Notice, recipient: Recipient, contact: Contact,
                       name: str) -> list[Attempt]:
        """One channel's try, unless the ledger says it took the notice (or may have)."""
        channel, key = self.channels[name], self._key(payload, recipient, name)
        earlier, interrupted = self.ledger.read(key)
        if earlier and earlier[-1].outcome in (Outcome.SENT, Outcome.UNCONFIRMED):
            return earlier  # taken, or possibly taken: never sent twice
        if interrupted and not channel.takes_key:
            unsure = _attempt(recipient, name, channel.label, Outcome.UNCONFIRMED, _now(),
                              "上次发送时进程中断，为免重复不再发送，请核实")
            self.ledger.finish(key, [*earlier, unsure])
            return [*earlier, unsure]
        subject, body = notice_text(payload)
        message = Message(key=key, incident_id=payload.incident_id, kind=notice_kind(payload),
                          urgency=urgency(payload), recipient_id=recipient.recipient_id,
                          recipient=recipient.name or recipient.recipient_id, subject=subject,
                          body=body, email=contact.email, phone=contact.phone)
        self.ledger.begin(key, earlier)
        answer = await channel.send(message)
        attempt = _attempt(recipient, name, channel.label, answer.outcome, _now(), answer.detail)
        self.ledger.finish(key, [*earlier, attempt])
        return [*earlier, attempt]


def _named(recipient: Recipient, contact: Contact) -> Recipient:
    """The name the procedure gave, else the deployment's (a unit assigned by id only)."""
    return recipient.model_copy(
        update={"name": recipient.name or contact.name or recipient.recipient_id})


def _failed_channels(attempts: list[Attempt]) -> set[str]:
    """Channels whose latest answer was a failure worth another try."""
    latest = {a.channel: a.outcome for a in attempts}
    return {c for c, o in latest.items() if not o.reached and o != Outcome.UNCONFIRMED}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _attempt(recipient: Recipient, channel: str, label: str, outcome: Outcome, at: datetime,
             detail: str) -> Attempt:
    return Attempt(recipient_id=recipient.recipient_id,
                   recipient=recipient.name or recipient.recipient_id, channel=channel,
                   channel_label=label, outcome=outcome, at=at, detail=detail)


def _resolved(who: str, contact: Contact) -> Contact:
    where = f"[notices.contacts.{who}]"
    return contact.model_copy(update={"email": [resolve(e, where) for e in contact.email],
                                      "phone": [resolve(p, where) for p in contact.phone]})


def current_attempt() -> int:
    """The activity's attempt number (1 outside an activity, e.g. a test calling directly)."""
    try:
        return activity.info().attempt
    except RuntimeError:
        return 1
