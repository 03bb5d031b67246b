"""Continue-as-new (续跑): what one run of an incident hands to the next.

An incident can run for months and take floods of messages; Temporal caps a run's
history (events, bytes, signals). Before any cap comes near, the incident continues
as a new run of the same workflow id, carrying its start and its whole state, which
holds what it waits for (timed windows, grace periods, deliveries not yet answered).
"""

import base64
import zlib

from pydantic import BaseModel

from domain.limits import MAX_HISTORY_BYTES_PER_RUN, MAX_RESULT_BYTES
from domain.messages import IncidentStart, RunBudget
from domain.engine.standing import fitted_to_payload
from domain.engine import message_ids
from domain.engine.step import GracePeriod, IncidentState, PendingDelivery


class Continued(BaseModel):
    """The input of every run after the first."""

    start: IncidentStart
    state: IncidentState
    # What a run of versions 1–5 (``legacy``) carried beside the state; version 6 on keeps
    # both in the state itself (``IncidentState.grace_periods``, ``deliveries_out``).
    graces: list[GracePeriod] = []
    deliveries: list[PendingDelivery] = []
    run: int = 2


def due(budget: RunBudget, events: int, history_bytes: int, messages: int) -> bool:
    """Whether a run hands over now: well before Temporal's caps on one run (events, bytes,
    signals and updates, counted together as ``messages``; the SDK's own suggestion is the shell's
    to add)."""
    return (events > budget.max_events or history_bytes > MAX_HISTORY_BYTES_PER_RUN
            or messages > budget.max_signals)


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
        state.status = fitted_to_payload(state.status, budget)
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
