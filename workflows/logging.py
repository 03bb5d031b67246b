"""Replay-safe, lock-free logging for workflow code, bound to the incident id.

Events go on the worker's queue (``workers.workflow_log``), never through a logging
handler's lock on a workflow thread; they are logged only when not replaying.
"""

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workers import workflow_log


class IncidentLog:
    """Logs only when the workflow is not replaying, so each event is logged once."""

    def __init__(self, incident_id: str) -> None:
        self._bound = {"incident_id": incident_id, "workflow_id": workflow.info().workflow_id}

    def info(self, event: str, **fields: Any) -> None:
        if not workflow.unsafe.is_replaying():
            workflow_log.put("info", event, {**self._bound, **fields})

    def warning(self, event: str, **fields: Any) -> None:
        if not workflow.unsafe.is_replaying():
            workflow_log.put("warning", event, {**self._bound, **fields})
