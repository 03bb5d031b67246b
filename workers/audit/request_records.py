"""Who sent each request (请求来源): the typed actor, the verified principal, the client.

The UI and the backends type an ``actor`` in each message; the codec server (for a
logged-in user) or the backend's own keys seal the verified principal inside the
encrypted payload (``temporal.names.PRINCIPAL``); the server records the ``identity`` of
the client that sent it. The audit reads all three from the history: every start,
signal, accepted update and cancellation request.
"""

import json
from datetime import timezone

from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from domain.audit_report import RequestRecord
from temporal.names import PRINCIPAL
from settings.keys import configured_codec


def _sender(payloads: list[Payload]) -> dict[str, str]:
    """The typed actor and the sealed principal of a request's first payload."""
    if not payloads:
        return {"actor": "—"}
    codec = configured_codec()
    try:
        payload = codec.decrypt(payloads[0]) if codec is not None else payloads[0]
        data = json.loads(payload.data)
        actor = data.get("actor") if isinstance(data, dict) else None
        principal = payload.metadata.get(PRINCIPAL, b"").decode("utf-8", "replace")[:200]
        return {"actor": str(actor)[:100] if actor else "—", "principal": principal or "—"}
    except Exception:  # undecodable or not an object: refused by the workflow anyway
        return {"actor": "（无法解析）"}


def requests_of(history: WorkflowHistory) -> list[RequestRecord]:
    rows = []
    for event in history.events:
        at = event.event_time.ToDatetime().replace(tzinfo=timezone.utc)
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            started = event.workflow_execution_started_event_attributes
            rows.append(RequestRecord(at=at, kind="start", message="report",
                                      **_sender(list(started.input.payloads)),
                                      identity=started.identity or "—"))
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            signaled = event.workflow_execution_signaled_event_attributes
            rows.append(RequestRecord(at=at, kind="signal", message=signaled.signal_name[:100],
                                      **_sender(list(signaled.input.payloads)),
                                      identity=signaled.identity or "—"))
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            request = event.workflow_execution_update_accepted_event_attributes.accepted_request
            payloads = list(request.input.args.payloads)
            rows.append(RequestRecord(at=at, kind="update", message=request.input.name[:100],
                                      **_sender(payloads), identity=request.meta.identity or "—"))
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
            cancelled = event.workflow_execution_cancel_requested_event_attributes
            rows.append(RequestRecord(at=at, kind="cancel", message="cancel", actor="—",
                                      identity=cancelled.identity or "—"))
    return rows
