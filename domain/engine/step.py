"""What every step shares: the incident's state, the context, the effects, the refusal."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, PrivateAttr

from domain.limits import MAX_DETAIL_CHARS, MAX_HORIZON, MAX_NAME_CHARS, MAX_REASON_CHARS
from domain.notifications import (
    AssignmentForm, Notification, NotifyChannel, Recipient, RumourTransfer, notice_key,
)
from domain.profiles import PolicyProfile, WindowId, profile_for
from domain.rules_version import rules_of
from domain.status import IncidentStatus, MessageReceipt, RejectedInput, TimelineEntry, Window

SYSTEM_ACTOR = "系统"
REJECTIONS_KEPT = 200  # bounded so a flood of bad input cannot grow the state without end

WindowKey = tuple[WindowId, str | None, int]


class Refusal(Exception):
    """A message that is malformed or not allowed now; the reason goes to the sender."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def newest(_: str) -> bool:
    """Every behaviour version applies: a new incident, or a test of the core."""
    return True


@dataclass(frozen=True)
class Context:
    """The moment a step happens and which behaviour versions apply to this incident.

    ``patched(name)`` is asked only where a versioned rule is reached, so a
    version marker lands in the history exactly where the rule was applied.
    ``local_overrides`` replace local defaults when the incident opens (a what-if
    replay: ``Rules.with_overrides``); a running incident never has any.
    """

    now: datetime
    patched: Callable[[str], bool] = newest
    local_overrides: Mapping[str, Any] = field(default_factory=dict)


class IncidentState(BaseModel):
    """The incident as the procedure sees it: the public status and its bookkeeping."""

    status: IncidentStatus
    deliveries: int = 0  # numbers each notice, so its key is stable on replay
    graces: list[str] = []  # grace periods started (each at most once)
    # message_id → the receipt of an update that carried it (the newest few; a run carried
    # from an earlier release may hold ids with None). Every id taken is in
    # ``message_digests`` (domain.engine.message_ids), for the incident's life.
    message_ids: dict[str, MessageReceipt | None] = {}
    message_digests: str = ""  # base64 of 12-byte records: id digest + content digest
    _message_index: dict[bytes, bytes] | None = PrivateAttr(None)  # decoded once per task
    # What the incident waits for (domain.engine.waiting), kept from workflow version 6
    # so a continued run carries it. ``timed`` None: a state from before (every pending
    # window is then timed); the other two are empty there.
    timed: list["WindowKey"] | None = None  # the windows the procedure asked to time
    grace_periods: list["GracePeriod"] = []  # 宽限期 running
    deliveries_out: list["PendingDelivery"] = []  # notices sent, their receipts not yet back

    @property
    def profile(self) -> PolicyProfile:
        """Looked up by the name the incident records, at every step (``PROFILES``)."""
        return profile_for(self.status.profile)

    @property
    def climbing(self) -> frozenset[WindowId]:
        """Windows whose miss climbs 催办 → 督办 → 问责: the rules version's and the profile's."""
        return rules_of(self.status).climbing | self.profile.climbing


# ---------------------------------------------------------------- effects


@dataclass(frozen=True)
class WaitFor:
    """Wait for one window's deadline as it now stands (the loop: one wait for the nearest
    of all, ``waiting.nearest``; the versions 1–5 shell: a durable timer per window)."""

    window: WindowKey


@dataclass(frozen=True)
class StopWaiting:
    """Stop waiting for one window's deadline (it was met, or no longer applies)."""

    window: WindowKey


@dataclass(frozen=True)
class GraceOver:
    """What to decide when a grace period ends: 督办 after 催办, or 问责 after 督办."""

    after: str  # "urge" | "supervise"
    window: WindowKey | None = None


@dataclass(frozen=True)
class StartGrace:
    name: str
    hours: float
    label: str
    then: GraceOver


@dataclass(frozen=True)
class CancelGraces:
    """The incident closed: no grace period may escalate it any more."""


Delivery = Notification | AssignmentForm | RumourTransfer


@dataclass(frozen=True)
class Deliver:
    """A side effect in the background (notice, 交办单, rumour transfer); never on a timer's path."""

    payload: Delivery
    what: str


Effect = WaitFor | StopWaiting | StartGrace | CancelGraces | Deliver


class GracePeriod(BaseModel):
    """A grace period running (宽限期): when it ends and what is decided then."""

    name: str
    ends_at: datetime
    label: str
    after: str
    window: WindowKey | None = None

    @property
    def then(self) -> GraceOver:
        return GraceOver(self.after, self.window)


class PendingDelivery(BaseModel):
    """A notice handed to the delivery activity and not yet answered (tagged by kind, so
    each payload reads back as its own model)."""

    kind: Literal["notification", "form", "transfer"]
    notification: Notification | None = None
    form: AssignmentForm | None = None
    transfer: RumourTransfer | None = None
    what: str

    @property
    def payload(self) -> Delivery:
        return self.notification or self.form or self.transfer  # type: ignore[return-value]

    @property
    def key(self) -> str:
        return notice_key(self.payload)

    @classmethod
    def of(cls, payload: Delivery, what: str) -> "PendingDelivery":
        kind = {Notification: "notification", AssignmentForm: "form",
                RumourTransfer: "transfer"}[type(payload)]
        return cls.model_validate({"kind": kind, kind: payload, "what": what})


IncidentState.model_rebuild()


# ------------------------------------------------------------ the step


@dataclass
class Step:
    """One message or one timer being applied: changes the state, collects the effects."""

    state: IncidentState
    ctx: Context
    effects: list[Effect] = field(default_factory=list)

    @property
    def status(self) -> IncidentStatus:
        return self.state.status

    @property
    def now(self) -> datetime:
        return self.ctx.now

    def record(self, actor: str, action: str, detail: str, *, rule: str | None = None,
               unit_id: str | None = None, local_default: bool = False) -> None:
        self.status.timeline.append(TimelineEntry(
            at=self.now, actor=actor[:MAX_NAME_CHARS], action=action,
            detail=clipped(detail, MAX_DETAIL_CHARS), rule=rule, unit_id=unit_id,
            local_default=local_default))

    def wait_for(self, window: Window) -> None:
        self.effects.append(WaitFor(window.key))

    def stop_waiting(self, window: Window) -> None:
        self.effects.append(StopWaiting(window.key))

    def grace(self, name: str, hours: float, label: str, then: GraceOver) -> None:
        if name not in self.state.graces:
            self.state.graces.append(name)
            self.effects.append(StartGrace(name, hours, label, then))

    def deliver(self, payload: Delivery, what: str) -> None:
        self.effects.append(Deliver(payload, what))

    def notify(self, kind: str, recipients: list[Recipient], channels: list[NotifyChannel],
               subject: str, body: str) -> None:
        self.state.deliveries += 1
        status = self.status
        self.deliver(Notification(
            key=f"{status.incident_id}:{self.state.deliveries}:{kind}",
            incident_id=status.incident_id, kind=kind, recipients=recipients,
            channels=channels, subject=subject, body=body), subject)

    def active_unit_recipients(self) -> list[Recipient]:
        return [Recipient(recipient_id=a.unit_id, name=a.name)
                for a in self.status.active_assignments]

    def notify_active_units(self, kind: str, tag: str, body: str) -> None:
        if units := self.active_unit_recipients():
            self.notify(kind, units, [NotifyChannel.MESSAGE], f"【{tag}】{self.status.title}", body)


def clipped(text: str, limit: int) -> str:
    """Long text shortened for the status (the full message stays in the history)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def within_horizon(moment: datetime, now: datetime, what: str) -> None:
    """A date the procedure will wait for is at most ``MAX_HORIZON`` ahead (a durable timer)."""
    if moment > now + MAX_HORIZON:
        raise Refusal(f"{what} 不得晚于一年后 (at most {MAX_HORIZON.days} days ahead)")


def record_refusal(state: IncidentState, message: str, reason: str, actor: str | None,
                   now: datetime) -> None:
    """A refused signal stays visible in ``status.rejected_inputs`` (the newest kept).

    The same refusal repeated back to back is one entry with a count, so a flood of
    bad input cannot push the other refusals out nor grow the state.
    """
    rejected = state.status.rejected_inputs
    state.status.refused_total += 1
    message, reason = message[:MAX_NAME_CHARS], clipped(reason, MAX_REASON_CHARS)
    actor = actor[:MAX_NAME_CHARS] if actor else actor
    last = rejected[-1] if rejected else None
    if last and (last.message, last.reason, last.actor) == (message, reason, actor):
        last.repeated += 1
        last.last_at = now
        return
    rejected.append(RejectedInput(at=now, message=message, reason=reason, actor=actor))
    del rejected[:-REJECTIONS_KEPT]
