"""How an incident's run stands on the server (执行状态): running, or how it ended.

A terminated run cannot record its own end, so ``yuqing status`` and ``yuqing report`` read
it from the server. The description is read raw (its status, close time and the
``IncidentStage`` attribute), so no search attribute or payload needs decoding.
"""

import json
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from domain.presentation import local_time
from domain.status import Stage
from starter.errors import IncidentClosed, IncidentError, IncidentNotFound
from temporal.names import workflow_id_for
from temporal.search_attributes import INCIDENT_STAGE

STATUS = WorkflowExecutionStatus
STAGE_LABELS = {stage.value: stage.label for stage in Stage}  # as the list shows the stage


async def how_it_ended(client: Client, incident_id: str) -> str | None:
    """None while the incident runs; else how it ended, with when (Beijing time):
    已终止 (terminated from outside), or 已办结 / 已撤销 from its stage as the list shows it."""
    described = await client.workflow_service.describe_workflow_execution(
        DescribeWorkflowExecutionRequest(
            namespace=client.namespace,
            execution=WorkflowExecution(workflow_id=workflow_id_for(incident_id))))
    info = described.workflow_execution_info
    if info.status in (STATUS.WORKFLOW_EXECUTION_STATUS_RUNNING,
                       STATUS.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED):
        return None
    when = f"（{local_time(info.close_time.ToDatetime(), with_year=True)} 北京时间）"
    if info.status == STATUS.WORKFLOW_EXECUTION_STATUS_TERMINATED:
        return f"已终止{when}：被强制终止（Terminate），未经办结或撤销，其时限此后不再计时"
    shown = info.search_attributes.indexed_fields.get(INCIDENT_STAGE)
    stage = json.loads(shown.data) if shown is not None and shown.data else None
    if info.status == STATUS.WORKFLOW_EXECUTION_STATUS_COMPLETED and stage in STAGE_LABELS:
        return f"{STAGE_LABELS[stage]}{when}"
    return f"已结束（{STATUS.Name(info.status).removeprefix('WORKFLOW_EXECUTION_STATUS_')}）{when}"


async def ended_or_missing(client: Client, incident_id: str) -> str | None:
    """``how_it_ended``, or ``IncidentNotFound`` when the server has no such incident."""
    try:
        return await how_it_ended(client, incident_id)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise IncidentNotFound(incident_id, client.namespace) from None
        raise


async def not_running(client: Client, incident_id: str) -> IncidentError | None:
    """Why the incident cannot take a message: missing, or ended (and how, when: 已办结 /
    已撤销 / 已终止 …, ``how_it_ended``); None while it runs."""
    try:
        ended = await ended_or_missing(client, incident_id)
    except IncidentNotFound as missing:
        return missing
    return None if ended is None else IncidentClosed(incident_id, ended)


async def headed_by_execution(client: Client, incident_id: str,
                              read_status: Callable[[], Awaitable[dict[str, Any]]]
                              ) -> dict[str, Any]:
    """``yuqing status``: the status (as ``read_status`` gives it, JSON), headed by how the
    run stands on the server (``execution``: 进行中, or how it ended): a terminated run's own
    status still reads as it was before, so the server's word comes first. ``IncidentNotFound``
    when there is no such incident."""
    ended = await ended_or_missing(client, incident_id)
    try:
        status = await read_status()
    except (WorkflowQueryFailedError, RPCError) as err:
        if not ended or (isinstance(err, RPCError) and err.status == RPCStatusCode.NOT_FOUND):
            raise
        # e.g. terminated before its first step was recorded: nothing of its own to show
        return {"execution": ended, "incident_id": incident_id,
                "status_unavailable": str(getattr(err, "message", err))}
    return {"execution": ended or "进行中", **status}
