"""Continue-as-new (续跑): what one run of an incident hands to the next.

An incident can run for months and take floods of messages; Temporal caps a run's
history (events, bytes, signals). Before any cap comes near, the incident continues
as a new run of the same workflow id, carrying its whole state: the status, the
bookkeeping, the grace periods still running and the deliveries not yet done. Its
pending windows are re-armed from the status itself.
"""

import base64
import zlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from domain.limits import MAX_RESULT_BYTES
from domain.messages import IncidentStart
from domain.engine.standing import fitted
from domain.notifications import AssignmentForm, Notification, RumourTransfer
from domain.engine import message_ids
from domain.engine.step import GraceOver, IncidentState, WindowKey


class CarriedGrace(BaseModel):
    name: str
    ends_at: datetime
    label: str
    after: str
    window: WindowKey | None = None

    @property
    def then(self) -> GraceOver:
        return GraceOver(self.after, self.window)


class CarriedDelivery(BaseModel):
    kind: Literal["notification", "form", "transfer"]
    notification: Notification | None = None
    form: AssignmentForm | None = None
    transfer: RumourTransfer | None = None
    what: str

    @property
    def payload(self) -> Notification | AssignmentForm | RumourTransfer:
        return self.notification or self.form or self.transfer  # type: ignore[return-value]


def carried_delivery(payload: Notification | AssignmentForm | RumourTransfer,
                     what: str) -> CarriedDelivery:
    if isinstance(payload, Notification):
        return CarriedDelivery(kind="notification", notification=payload, what=what)
    if isinstance(payload, AssignmentForm):
        return CarriedDelivery(kind="form", form=payload, what=what)
    return CarriedDelivery(kind="transfer", transfer=payload, what=what)


class Continued(BaseModel):
    """The input of every run after the first."""

    start: IncidentStart
    state: IncidentState
    graces: list[CarriedGrace] = []
    deliveries: list[CarriedDelivery] = []
    run: int = 2


def carry(continued: Continued) -> dict[str, str]:
    """The next run's input: the state as compressed JSON, below the payload cap.

    Should even that not fit (an enormous timeline), the oldest timeline entries are
    left out of the carried status (counted in ``timeline_omitted``; they stay in this
    run's history) and receipts are dropped (every id is still remembered, as a digest).
    """
    packed, budget = _packed(continued), MAX_RESULT_BYTES
    while len(packed) > MAX_RESULT_BYTES and budget > 10_000:
        budget //= 2
        state = continued.state.model_copy(deep=True)
        state.status = fitted(state.status, budget)
        message_ids.compact(state)  # every id kept as its digest; receipts dropped
        packed = _packed(continued.model_copy(update={"state": state}))
    return {"continued": packed}


def _packed(continued: Continued) -> str:
    raw = zlib.compress(continued.model_dump_json().encode("utf-8"), level=9)
    return base64.b64encode(raw).decode("ascii")


def continued_from(payload: object) -> Continued | None:
    """The carried state, when this run continues an earlier one."""
    if not isinstance(payload, dict):
        return None
    carried = payload.get("continued")
    if isinstance(carried, str):
        return Continued.model_validate_json(zlib.decompress(base64.b64decode(carried)))
    if isinstance(carried, dict):  # the first carry format (plain JSON): runs still replay
        return Continued.model_validate(carried)
    return None
