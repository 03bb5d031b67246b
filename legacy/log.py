"""Logging for the frozen shell: the SDK's replay-safe ``workflow.logger``, ids only."""

from typing import Any

from temporalio import workflow

RENAMED = {"message": "message_name"}  # a LogRecord's own attribute may not be overwritten


class IncidentLog:
    """Event name as the message, fields in ``extra`` (the worker adds the workflow's ids)."""

    def __init__(self, incident_id: str) -> None:
        self.incident_id = incident_id

    def info(self, event: str, **fields: Any) -> None:
        workflow.logger.info(event, extra=self.extra(fields))

    def warning(self, event: str, **fields: Any) -> None:
        workflow.logger.warning(event, extra=self.extra(fields))

    def extra(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"incident_id": self.incident_id,
                **{RENAMED.get(key, key): value for key, value in fields.items()}}
