"""How a refusal (拒绝) answers through Temporal: a start that cannot open fails the workflow,
a refused update fails its call, each an ``ApplicationError`` of a type a backend can tell
from a fault (README, "Reporting an incident" and "Messages"). Both shells, the loop and
``legacy``, answer so."""

import contextlib
from collections.abc import Iterator
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from domain.engine.message_ids import message_id_of
from domain.engine.step import Refusal
from domain.messages import MESSAGE_REFUSED

INVALID_START = "InvalidIncidentStart"


@contextlib.contextmanager
def refused_start() -> Iterator[None]:
    """A start refused: the incident is not opened; the reason is the workflow's failure."""
    try:
        yield
    except Refusal as refusal:
        raise ApplicationError(refusal.reason, type=INVALID_START, non_retryable=True) from None


def refused(refusal: Refusal) -> ApplicationError:
    """How a refused update answers its sender; the type lets a backend tell it from a fault."""
    return ApplicationError(refusal.reason, type=MESSAGE_REFUSED, non_retryable=True)


@contextlib.contextmanager
def refused_update(name: str, payloads: tuple[Any, ...]) -> Iterator[None]:
    """An update's validator refusing (in workflow code): logged, and answered ``refused``
    at once; nothing of it reaches the history."""
    try:
        yield
    except Refusal as refusal:
        workflow.logger.warning("update_rejected", extra={
            "message_name": name, "reason": refusal.reason, "message_id": message_id_of(payloads)})
        raise refused(refusal) from None
