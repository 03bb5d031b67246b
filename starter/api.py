"""The Python API backends use to report incidents, send messages and read their status.

A report is a signal-with-start: the first report of an ``incident_id`` starts
its workflow, a later one merges into the running incident as ``add_report``.
A message is sent as a validated update, so the caller gets its receipt or the
reason it was refused at once.
"""

import asyncio
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from temporalio.client import (
    Client, WorkflowHandle, WorkflowQueryFailedError, WorkflowUpdateFailedError,
)
from temporalio.common import (
    RawValue, SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy, WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from temporal import search_attributes as sa
from temporal.names import TASK_QUEUE, WORKFLOW_TYPE, workflow_id_for
from domain.limits import MAX_LOOKBACK, MAX_MESSAGE_BYTES
from domain.procedure import collection
from domain.procedure.collection import CLOCK_SKEW
from domain.engine.standing import refresh
from temporal.search_attributes import search_attribute_values
from domain.procedure.deployment import refuse_carried_settings
from domain.engine.step import Context, Refusal
from domain.messages import MESSAGE_REFUSED, IncidentStart
from domain.presentation import local_time
from domain.engine.message_ids import content_digest
from domain.engine.registry import MESSAGES, encoded_size
from domain.status import IncidentStatus, MessageReceipt
from domain.rules_version import CURRENT_RULES
from starter.errors import (  # noqa: F401 (the API's errors, importable from here)
    IncidentClosed, IncidentError, IncidentNotFound, MessageRefused, PayloadUnreadable,
)
from starter.execution_state import headed_by_execution, not_running
from starter.settings import load_local_defaults
from starter.title_words import title_words
from domain.workflow_versions import CURRENT as CURRENT_WORKFLOW, OVERDUE_SINCE_SHOWN, version_of


Model = TypeVar("Model")


def load_start_file(path: str | Path) -> IncidentStart:
    """Read and validate a report file; raises ValueError/ValidationError with the reason."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("报送文件须为一个 JSON 对象 (the file must hold one JSON object)")
    return IncidentStart.model_validate(data)


def with_current_versions(start: IncidentStart) -> IncidentStart:
    """The versions this release runs, named in the start (recorded). A report that carries
    its own roster or local defaults is refused (ValueError): the deployment's apply."""
    try:
        refuse_carried_settings(start)
    except Refusal as refusal:
        raise ValueError(refusal.reason) from None
    update: dict[str, Any] = {}
    if start.rules_version is None:
        update["rules_version"] = CURRENT_RULES  # the rules this release runs, recorded
    if start.workflow_version is None:
        update["workflow_version"] = CURRENT_WORKFLOW  # how this release times the windows
    return start.model_copy(update=update) if update else start


def initial_search_attributes(start: IncidentStart,
                              now: datetime | None = None) -> TypedSearchAttributes:
    """Set at start so the incident is findable at once, without a billed upsert.

    They are what the opened incident shows: the procedure is asked here as the
    workflow will ask it, with the deployment's local defaults as this machine reads them,
    so its first task finds nothing to upsert (the next deadline included, to the minute:
    domain.workflow_versions). Where the worker reads others, it upserts its own.
    """
    start = start.model_copy(update={"local_defaults": load_local_defaults()})
    state = collection.new_incident(start)
    collection.open_incident(state, start, Context(now=now or datetime.now(timezone.utc)))
    refresh(state.status)
    values = search_attribute_values(
        state.status, overdue_since=version_of(start) >= OVERDUE_SINCE_SHOWN)
    pairs: list[SearchAttributePair] = [
        SearchAttributePair(key, values[key.name]) for key in sa.ALL_SEARCH_ATTRIBUTES
        if values.get(key.name) is not None]
    pairs.append(SearchAttributePair(sa.KEYS[sa.INCIDENT_TITLE], start.title))
    pairs.append(SearchAttributePair(sa.KEYS[sa.INCIDENT_TITLE_WORDS], title_words(start.title)))
    return TypedSearchAttributes(pairs)


def summary_of(start: IncidentStart) -> str:
    if start.analysis:
        a = start.analysis
        return f"{start.title}｜{a.category.value} {a.severity.value}｜{start.profile.value}"
    return f"{start.title}｜待研判｜{start.profile.value}"


def details_of(start: IncidentStart) -> str:
    r = start.report
    lines = [f"**舆情事件** {start.incident_id}：{start.title}",
             f"**来源** {r.platform} {r.url}", f"**属地** {r.region or '—'}",
             f"**首次发现** {local_time(r.detected_at, with_year=True)} 北京时间",
             f"**上报** {start.actor}"]
    if start.analysis:
        units = "、".join(u.name or u.unit_id for u in start.analysis.units)
        lines.append(f"**责任单位** {units}")
    else:
        lines.append("**责任单位** 待研判（研判后的分类、级别、责任单位见当前详情）")
    return "\n\n".join(lines)


def check_start_time(start: IncidentStart, now: datetime | None = None) -> None:
    """First detection within the last year and not in the future (ValueError otherwise)."""
    now = now or datetime.now(timezone.utc)
    detected = start.report.detected_at
    if detected > now + CLOCK_SKEW:
        raise ValueError("report.detected_at 晚于当前时间 (detected_at is in the future)")
    if detected < now - MAX_LOOKBACK:
        raise ValueError(f"report.detected_at 早于一年前 (more than {MAX_LOOKBACK.days} days ago)")


async def report_incident(client: Client, start: IncidentStart,
                          now: datetime | None = None) -> WorkflowHandle:
    """Start the incident, or merge this report into the running one.

    Raises ``ValueError`` for a start outside the time limits or one that carries its own
    roster or local defaults (nothing is started), and
    ``IncidentClosed`` when the incident has already ended (its id is never reused).
    ``now`` is the caller's clock (the time-skipping test server passes its own).
    """
    check_start_time(start, now)
    start = with_current_versions(start)
    try:
        return await _signal_with_start(client, start, now)
    except WorkflowAlreadyStartedError:
        raise (await not_running(client, start.incident_id)
               or IncidentClosed(start.incident_id)) from None


async def _signal_with_start(client: Client, start: IncidentStart,
                             now: datetime | None) -> WorkflowHandle:
    # by name: the workflow's run takes a RawValue (it decodes the start itself)
    return await client.start_workflow(
        WORKFLOW_TYPE, start, result_type=IncidentStatus,
        id=workflow_id_for(start.incident_id), task_queue=TASK_QUEUE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        start_signal="add_report",
        start_signal_args=[{"report": start.report.model_dump(mode="json"), "actor": start.actor}],
        search_attributes=initial_search_attributes(start, now),
        static_summary=summary_of(start), static_details=details_of(start),
    )


def decoded(client: Client, raw: RawValue, wanted: type[Model], what: str) -> Model:
    try:
        return client.data_converter.payload_converter.from_payload(raw.payload, wanted)
    except Exception:
        encoding = raw.payload.metadata.get("encoding", b"?").decode("utf-8", "replace")
        raise PayloadUnreadable(
            f"{what}无法解码（编码 {encoding}）：本机没有加密它的密钥？"
            f"(cannot decode the {wanted.__name__}: encoding {encoding}; a key this client "
            "lacks?)") from None


async def incident_status(client: Client, incident_id: str) -> IncidentStatus:
    """The incident's ``status`` query (a closed one answers too); ``IncidentNotFound``."""
    handle = client.get_workflow_handle(workflow_id_for(incident_id))
    try:
        raw = await handle.query("status", result_type=RawValue)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise IncidentNotFound(incident_id, client.namespace) from None
        raise
    return decoded(client, raw, IncidentStatus, "事件状态")


async def status_report(client: Client, incident_id: str) -> dict[str, Any]:
    """The status headed by how the run stands on the server (``execution``: 进行中, or
    how it ended; ``starter.execution_state.headed_by_execution``)."""
    async def typed() -> dict[str, Any]:
        return (await incident_status(client, incident_id)).model_dump(mode="json")
    return await headed_by_execution(client, incident_id, typed)


def with_message_id(incident_id: str, message: str, payload: Any,
                    message_id: str | None = None) -> Any:
    """The payload with its ``message_id``: the caller's, else one derived from the content.

    Derived, not random: a caller that sends the same message again after a timeout
    sends the same id, so the incident takes it once and answers with the first receipt.
    """
    if not isinstance(payload, dict):
        return payload
    given = message_id or payload.get("message_id")
    if not given:
        digest = content_digest(message, {"incident_id": incident_id, **payload})
        given = f"auto-{digest[:32]}"
    return {**payload, "message_id": given}


def update_id(message: str, payload: Any) -> str | None:
    """The message id and its content's digest: Temporal answers a repeated update id with
    the first result without asking the incident, so a reused id with other content must
    reach the incident (to be refused) under an update id of its own."""
    message_id = payload.get("message_id") if isinstance(payload, dict) else None
    if not isinstance(message_id, str):
        return None
    return f"{message_id}~{content_digest(message, payload)[:16]}"


async def send_message(client: Client, incident_id: str, message: str, payload: Any,
                       message_id: str | None = None) -> MessageReceipt:
    """Send one CONTRACT message as a validated update and wait for its receipt.

    Raises ``MessageRefused`` with the reason when the incident refuses it (nothing is
    recorded then), ``IncidentNotFound`` / ``IncidentClosed`` when there is no running
    incident to take it, and ``ValueError`` for a message name the contract does not have.
    A message over the size limit is refused here and never sent (the SDK would echo it
    back in the rejection, past the server's payload cap). When the wait is cut off
    (timeout, the incident closed meanwhile) but the incident took the message, its
    receipt is returned: the caller learns it was applied.
    """
    if message not in MESSAGES:
        raise ValueError(f"未知消息 {message!r}；可用 / known: {', '.join(MESSAGES)}")
    payload = with_message_id(incident_id, message, payload, message_id)
    if (size := encoded_size(payload)) > MAX_MESSAGE_BYTES:
        raise MessageRefused(message, f"消息过大（{size} 字节，上限 {MAX_MESSAGE_BYTES}），未发送 "
                                      "(message too large: not sent)")
    message_id = payload.get("message_id") if isinstance(payload, dict) else None
    handle = client.get_workflow_handle(workflow_id_for(incident_id))
    try:
        raw = await handle.execute_update(message, payload, result_type=RawValue,
                                          id=update_id(message, payload))
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.type == MESSAGE_REFUSED:
            raise MessageRefused(message, cause.message) from None
        raise (await not_running(client, incident_id) or err) from None
    except (RPCError, asyncio.TimeoutError) as err:
        taken = await _receipt_if_taken(handle, message, message_id)
        if taken is not None:
            return taken
        if isinstance(err, RPCError) and err.status == RPCStatusCode.NOT_FOUND:
            raise (await not_running(client, incident_id) or err) from None
        raise
    # Applied by now: an unreadable receipt is said as such, never as a failure.
    return decoded(client, raw, MessageReceipt, f"{message} 已受理，但回执")


async def _receipt_if_taken(handle: WorkflowHandle, message: str,
                            message_id: Any) -> MessageReceipt | None:
    """The receipt of a message the incident took, though its sender's wait failed."""
    if not isinstance(message_id, str):
        return None
    try:
        found = await handle.query("message_taken", message_id)
    except Exception:  # the incident cannot answer either: report the first error
        return None
    if not found.get("taken"):
        return None
    if found.get("receipt"):
        return MessageReceipt.model_validate(found["receipt"])
    status = IncidentStatus.model_validate(await handle.query("status"))
    return MessageReceipt(message=message, accepted_at=datetime.now(timezone.utc),
                          stage=status.stage, escalation=status.escalation,
                          next_deadline=status.next_deadline, overdue=status.overdue)
