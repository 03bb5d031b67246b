"""How a refusal answers (拒绝): a start that cannot open fails the workflow, a refused update
fails its call, each an ``ApplicationError`` of a type a backend can tell from a fault."""

import contextlib
from collections.abc import Iterator

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.messages import MESSAGE_REFUSED
    from domain.engine.step import Refusal


@contextlib.contextmanager
def refused_start() -> Iterator[None]:
    """A start refused: the incident is not opened; the reason is the workflow's failure."""
    try:
        yield
    except Refusal as refusal:
        raise ApplicationError(refusal.reason, type="InvalidIncidentStart",
                               non_retryable=True) from None


def refused(refusal: Refusal) -> ApplicationError:
    """How a refused update answers its sender; the type lets a backend tell it from a fault."""
    return ApplicationError(refusal.reason, type=MESSAGE_REFUSED, non_retryable=True)
