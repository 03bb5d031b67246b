"""Workflow log calls of the frozen shell through the SDK's ``workflow.logger`` (replay-safe).

A thin wrapper kept for the current call sites: the event name is the message, the fields
go in ``extra=``; the worker (``workers.logging``) adds ``incident_id``, ``workflow_id`` and
``run_id`` from the SDK's own extra. Field names that a ``LogRecord`` reserves are renamed
(``message`` → ``message_name``): the standard library refuses them in ``extra``.
"""

import logging
from typing import Any

from temporalio import workflow

_RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _extra(fields: dict[str, Any]) -> dict[str, Any]:
    return {f"{key}_name" if key in _RESERVED else key: value for key, value in fields.items()}


class IncidentLog:
    """``info(event, **fields)`` / ``warning(event, **fields)``; nothing while replaying."""

    def info(self, event: str, **fields: Any) -> None:
        workflow.logger.info(event, extra=_extra(fields))

    def warning(self, event: str, **fields: Any) -> None:
        workflow.logger.warning(event, extra=_extra(fields))
