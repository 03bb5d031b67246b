"""Replay-safe structlog for workflow code, bound to the incident id."""

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    import structlog


class IncidentLog:
    """Logs only when the workflow is not replaying, so each event is logged once."""

    def __init__(self, incident_id: str) -> None:
        self._log = structlog.get_logger("yuqing.workflow").bind(
            incident_id=incident_id, workflow_id=workflow.info().workflow_id)

    def info(self, event: str, **fields: Any) -> None:
        if not workflow.unsafe.is_replaying():
            self._log.info(event, **fields)

    def warning(self, event: str, **fields: Any) -> None:
        if not workflow.unsafe.is_replaying():
            self._log.warning(event, **fields)
