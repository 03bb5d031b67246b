"""The Python API's errors (``starter.api`` raises them; the CLI says each in one line).

Light on purpose: `yuqing status` imports this, not the models of every message.
"""


class IncidentError(Exception):
    """An incident the caller named cannot take what was asked (base of the API's errors)."""


class IncidentNotFound(IncidentError):
    """No incident with this id in the namespace (never reported, or past retention)."""

    def __init__(self, incident_id: str, namespace: str) -> None:
        super().__init__(f"没有该事件 / no incident {incident_id!r} in namespace {namespace}")
        self.incident_id = incident_id


class IncidentClosed(IncidentError):
    """The incident has ended: it takes no message, and a report never starts a second run."""

    def __init__(self, incident_id: str, ended: str = "已结束（办结或撤销）") -> None:
        super().__init__(
            f"事件 {incident_id} {ended}，不再接受消息或并入新报送；请以新的 incident_id 上报，"
            f"或申请重新启用原事件 (incident {incident_id} has ended: {ended})")
        self.incident_id = incident_id
        self.ended = ended


class MessageRefused(IncidentError):
    """The incident refused a message; ``reason`` is the workflow's own (Chinese first)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(f"{message}: {reason}")
        self.message = message
        self.reason = reason


class PayloadUnreadable(IncidentError):
    """The server answered, but this client cannot decode the answer (a key it lacks)."""
