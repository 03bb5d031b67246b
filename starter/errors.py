"""The Python API's errors (``starter.api`` raises them; the CLI says each in one line).

Light on purpose: `yuqing status` imports this, not the models of every message.
"""

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode


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


async def not_running(client: Client, incident_id: str) -> IncidentError | None:
    """Why the incident cannot take a message: missing, or ended (and how, when: 已办结 /
    已撤销 / 已终止 …, ``starter.execution_state``); None while it runs."""
    from starter.execution_state import how_it_ended
    try:
        ended = await how_it_ended(client, incident_id)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return IncidentNotFound(incident_id, client.namespace)
        raise
    return None if ended is None else IncidentClosed(incident_id, ended)


class MessageRefused(IncidentError):
    """The incident refused a message; ``reason`` is the workflow's own (Chinese first)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(f"{message}: {reason}")
        self.message = message
        self.reason = reason
