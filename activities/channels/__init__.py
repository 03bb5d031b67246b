"""Channels (通知渠道): the adapters behind the one delivery activity.

Each adapter sends one message to one recipient and answers with an ``Outcome``
(sent, refused by the channel, timed out, unreachable); it never raises for what the
channel did, so the activity can try the next channel and record every answer.
"""

from dataclasses import dataclass, field
from typing import Protocol

from domain.notifications import NoticeKind, Outcome, Urgency


@dataclass(frozen=True)
class Message:
    """What one channel sends to one recipient."""

    key: str  # idempotency key: one per notice, recipient and channel
    incident_id: str
    kind: NoticeKind
    urgency: Urgency
    recipient_id: str
    recipient: str
    subject: str
    body: str
    email: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """The subject with the notice's kind in front (the procedure's subjects carry it)."""
        tag = "【紧急】" if self.urgency == Urgency.EMERGENCY else ""
        kind = "" if self.subject.startswith("【") else f"【{self.kind.label}】"
        return f"{tag}{kind}{self.subject}"

    @property
    def text(self) -> str:
        return f"{self.headline}\n致 {self.recipient}\n\n{self.body}"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    detail: str = ""


class Channel(Protocol):
    label: str
    takes_key: bool  # the receiver drops a repeat with the same key: safe to send again

    async def send(self, message: Message) -> Answer: ...


def build_channels(settings) -> dict[str, Channel]:
    """Every configured channel, secrets resolved (``SecretMissing`` if one is not set)."""
    from activities.channels.http import http_channel
    from activities.channels.mail import MailChannel

    return {name: MailChannel(name, conf) if conf.type == "email" else http_channel(name, conf)
            for name, conf in settings.channels.items()}
