"""Who sent each request, as the server recorded it (请求来源), beside the declared actor.

The UI and the backends name an ``actor`` in each message; the server records the
``identity`` of the client that sent it (in production the logged-in UI user, or the
backend's certificate or API key). The workflow cannot see that identity, so the audit
reads it from the history: every start, signal, accepted update and cancellation request.
"""

import json
from datetime import timezone

from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from domain.audit_report import RequestRecord
from workers.data_converter import configured_converter


def _actor(payloads: list[Payload]) -> str:
    codec = configured_converter().payload_codec
    try:
        payload = codec.decrypt(payloads[0]) if codec is not None else payloads[0]
        data = json.loads(payload.data)
        actor = data.get("actor") if isinstance(data, dict) else None
        return str(actor)[:100] if actor else "—"
    except Exception:  # undecodable or not an object: refused by the workflow anyway
        return "（无法解析）"


def requests_of(history: WorkflowHistory) -> list[RequestRecord]:
    rows = []
    for event in history.events:
        at = event.event_time.ToDatetime().replace(tzinfo=timezone.utc)
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            a = event.workflow_execution_started_event_attributes
            rows.append(RequestRecord(at=at, kind="start", message="report",
                                      actor=_actor(list(a.input.payloads)) if a.input.payloads
                                      else "—", identity=a.identity or "—"))
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            a = event.workflow_execution_signaled_event_attributes
            rows.append(RequestRecord(at=at, kind="signal", message=a.signal_name[:100],
                                      actor=_actor(list(a.input.payloads)) if a.input.payloads
                                      else "—", identity=a.identity or "—"))
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            request = event.workflow_execution_update_accepted_event_attributes.accepted_request
            payloads = list(request.input.args.payloads)
            rows.append(RequestRecord(at=at, kind="update", message=request.input.name[:100],
                                      actor=_actor(payloads) if payloads else "—",
                                      identity=request.meta.identity or "—"))
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
            a = event.workflow_execution_cancel_requested_event_attributes
            rows.append(RequestRecord(at=at, kind="cancel", message="cancel", actor="—",
                                      identity=a.identity or "—"))
    return rows
