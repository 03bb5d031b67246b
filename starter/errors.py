"""The Python API's errors (``starter.api`` raises them; the CLI says each in one line).

Light on purpose: `yuqing status` imports this, not the models of every message.
"""

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from domain.config import workflow_id_for


class IncidentError(Exception):
    """An incident the caller named cannot take what was asked (base of the API's errors)."""


class IncidentNotFound(IncidentError):
    """No incident with this id in the namespace (never reported, or past retention)."""

    def __init__(self, incident_id: str, namespace: str) -> None:
        super().__init__(f"没有该事件 / no incident {incident_id!r} in namespace {namespace}")
        self.incident_id = incident_id


# how an incident that no longer runs ended, as people say it
ENDINGS = {"closed": "已办结", "withdrawn": "已撤销",
           WorkflowExecutionStatus.TERMINATED: "已终止", WorkflowExecutionStatus.CANCELED: "已取消",
           WorkflowExecutionStatus.TIMED_OUT: "已超时", WorkflowExecutionStatus.FAILED: "已失败"}


class IncidentClosed(IncidentError):
    """The incident has ended: it takes no message, and a report never starts a second run."""

    def __init__(self, incident_id: str, ended: str = "已结束") -> None:
        super().__init__(
            f"事件 {incident_id} {ended}，不再接受消息或并入新报送；请以新的 incident_id 上报，"
            f"或申请重新启用原事件 (incident {incident_id} has ended: {ended})")
        self.incident_id = incident_id
        self.ended = ended


async def not_running(client: Client, incident_id: str) -> IncidentError | None:
    """Why the incident cannot take a message: missing, or ended (and how); None if running."""
    workflow_id = workflow_id_for(incident_id)
    try:  # the raw call: only the execution's status, no search attributes to decode
        described = await client.workflow_service.describe_workflow_execution(
            DescribeWorkflowExecutionRequest(namespace=client.namespace,
                                             execution=WorkflowExecution(workflow_id=workflow_id)))
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return IncidentNotFound(incident_id, client.namespace)
        raise
    status = WorkflowExecutionStatus(described.workflow_execution_info.status)
    if status == WorkflowExecutionStatus.RUNNING:
        return None
    if status == WorkflowExecutionStatus.COMPLETED:  # its result is the final status
        final = await client.get_workflow_handle(workflow_id).result()
        return IncidentClosed(incident_id, ENDINGS.get(final.get("stage"), "已结束"))
    return IncidentClosed(incident_id, ENDINGS.get(status, "已结束"))


class MessageRefused(IncidentError):
    """The incident refused a message; ``reason`` is the workflow's own (Chinese first)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(f"{message}: {reason}")
        self.message = message
        self.reason = reason
