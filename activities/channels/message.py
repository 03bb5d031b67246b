"""What a channel sends (``Message``) and answers (``Answer``), and what a channel is."""

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
