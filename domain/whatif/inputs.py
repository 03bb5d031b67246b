"""What arrived at an incident, read from its history: the start and every message, in order.

A pure function over the history's events in the archive's JSON form (the form
``WorkflowHistory.to_json`` writes): no server, no Temporal import, one pass over the
events. Payloads are decrypted by the caller's ``decrypt`` (the deployment's keys); the
plain JSON is read here the way the workflow reads it, so an undecodable message is
refused in the replay exactly as it was refused in the incident.

Times: a message is taken at the start of the workflow task that carried it (the
incident's ``workflow.now()``); ``arrived`` is when the server received it, and
``previous_task`` when the workflow last woke before. A deadline falling after
``previous_task`` but before ``arrived`` would have woken the workflow first; one falling
between arrival and the task, or whose timer the history shows firing into that same
task (``wakes``), is taken after the message (the SDK hands a task's messages to the
workflow before its timers).
"""

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from domain.messages import IncidentStart, UndecodablePayload
from domain.engine.opening import DEPLOYMENT_SETTINGS

# (metadata as bytes by key, data) → the plain payload after decryption, same shape.
Decrypt = Callable[[dict[str, bytes], bytes], tuple[dict[str, bytes], bytes]]

_PREFIX = "EVENT_TYPE_"
SIGNALED = "WORKFLOW_EXECUTION_SIGNALED"
TASK_STARTED = "WORKFLOW_TASK_STARTED"
TASK_COMPLETED = "WORKFLOW_TASK_COMPLETED"
UPDATE_ACCEPTED = "WORKFLOW_EXECUTION_UPDATE_ACCEPTED"
CANCEL_REQUESTED = "WORKFLOW_EXECUTION_CANCEL_REQUESTED"
MARKER = "MARKER_RECORDED"
TIMER_FIRED = "TIMER_FIRED"
STARTED = "WORKFLOW_EXECUTION_STARTED"
COMPLETED = "WORKFLOW_EXECUTION_COMPLETED"
CONTINUED = "WORKFLOW_EXECUTION_CONTINUED_AS_NEW"
PATCH_MARKER = "core_patch"
LOCAL_ACTIVITY_MARKER = "core_local_activity"  # its result: the deployment's settings (version 5)
_READ = {STARTED, SIGNALED, CANCEL_REQUESTED, TIMER_FIRED, TASK_STARTED, TASK_COMPLETED,
         UPDATE_ACCEPTED, MARKER, COMPLETED, CONTINUED}


@dataclass(frozen=True)
class Arrival:
    """One message as the incident received it."""

    kind: str  # "signal" | "update" | "cancel"
    name: str
    payloads: tuple[Any, ...]
    at: datetime  # the workflow task that took it (the incident's clock)
    arrived: datetime  # the server received it
    previous_task: datetime | None  # the workflow's previous wake-up
    held_from: datetime | None = None  # the task that received it, when it waited for the opening


@dataclass
class IncidentInputs:
    """One incident's inputs over all its runs, and how its record ends."""

    workflow_id: str
    start: IncidentStart | None = None
    carried: Any = None  # a continued run's input whose earlier runs were not given
    opened_at: datetime | None = None
    arrivals: list[Arrival] = field(default_factory=list)
    patches: set[str] = field(default_factory=set)
    settings: Any = None  # the deployment's settings read when it opened (workflow version 5)
    settings_read_at: datetime | None = None  # when that read completed: the incident opened then
    until: datetime | None = None  # the last event: nothing is known after it
    closed: bool = False  # completed: its result is the final status
    continued: bool = False  # the last run given handed over to a next one
    result: bytes | None = None  # the completed run's result (the final status as JSON)
    problem: str = ""  # why it cannot be replayed, if it cannot
    wakes: list[datetime] = field(default_factory=list)  # tasks a fired timer started


def instant(seconds: int, nanos: int = 0) -> datetime:
    """A protobuf time as the workflow's ``workflow.now()`` makes it (nanoseconds over 1e9
    as a float, to the nearest microsecond), so a replay's clock is the incident's own."""
    return datetime.fromtimestamp((seconds * 1_000_000_000 + nanos) / 1e9, timezone.utc)


def moment(text: str) -> datetime:
    """An event time of the JSON form (RFC 3339, ``Z``, up to nanoseconds), as ``instant``."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    nanos = 0
    if "." in text:
        head, rest = text.split(".", 1)
        digits = rest[:rest.index("+")] if "+" in rest else rest
        nanos = int((digits + "000000000")[:9])
        text = head + rest[len(digits):]
    return instant(int(datetime.fromisoformat(text).timestamp()), nanos)


def plain_value(payload: dict, decrypt: Decrypt | None) -> Any:
    """A payload of the JSON form as the workflow's converter reads an untyped one."""
    metadata = {k: base64.b64decode(v) for k, v in payload.get("metadata", {}).items()}
    data = base64.b64decode(payload.get("data", ""))
    if decrypt is not None:
        try:
            metadata, data = decrypt(metadata, data)
        except Exception:  # noqa: BLE001 — the codec marks it; the procedure refuses it
            return UndecodablePayload(encoding="binary/undecryptable", size=0, error="decrypt")
    encoding = metadata.get("encoding", b"<none>").decode("utf-8", "replace")
    if encoding == "binary/null":
        return None
    if encoding != "json/plain":
        return UndecodablePayload(encoding=encoding[:40], size=len(data), error="encoding")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        return UndecodablePayload(encoding=encoding, size=len(data), error=type(error).__name__)


def plain_bytes(payload: dict, decrypt: Decrypt | None) -> bytes:
    metadata = {k: base64.b64decode(v) for k, v in payload.get("metadata", {}).items()}
    data = base64.b64decode(payload.get("data", ""))
    return decrypt(metadata, data)[1] if decrypt is not None else data


def _payloads(container: dict | None, decrypt: Decrypt | None) -> tuple[Any, ...]:
    return tuple(plain_value(p, decrypt) for p in (container or {}).get("payloads", []))


def read_run(into: IncidentInputs, events: Iterable[dict], decrypt: Decrypt | None) -> None:
    """Add one run's inputs (runs given oldest first) to ``into``."""
    pending: list[tuple[int, Arrival]] = []  # received, not yet taken by a completed task
    task_started: tuple[int, datetime] | None = None
    previous: datetime | None = into.arrivals[-1].at if into.arrivals else into.opened_at
    last_task: datetime | None = None
    first_run = into.start is None and into.carried is None
    timer_fired = False
    last_time = ""
    for event in events:
        kind = event.get("eventType", "").removeprefix(_PREFIX)
        last_time = event["eventTime"]
        if kind not in _READ:
            continue
        at = moment(last_time)
        event_id = int(event.get("eventId", 0))
        if kind == STARTED:
            value = _payloads(event["workflowExecutionStartedEventAttributes"].get("input"),
                              decrypt)
            _take_start(into, value[0] if value else None, first_run)
        elif kind == SIGNALED:
            attrs = event["workflowExecutionSignaledEventAttributes"]
            pending.append((event_id, Arrival("signal", attrs.get("signalName", ""),
                                              _payloads(attrs.get("input"), decrypt),
                                              at, at, None)))
        elif kind == CANCEL_REQUESTED:
            pending.append((event_id, Arrival("cancel", "cancel", (), at, at, None)))
        elif kind == TIMER_FIRED:
            timer_fired = True
        elif kind == TASK_STARTED:
            task_started = (event_id, at)
            if timer_fired:
                into.wakes.append(at)
                timer_fired = False
        elif kind == TASK_COMPLETED and task_started is not None:
            started_id, started_at = task_started
            if into.opened_at is None:
                into.opened_at = started_at  # the first task opens the incident
            taken = [a for i, a in pending if i < started_id]
            pending = [(i, a) for i, a in pending if i >= started_id]
            into.arrivals.extend(Arrival(a.kind, a.name, a.payloads, started_at, a.arrived,
                                         previous) for a in taken)
            previous, last_task, task_started = started_at, previous, None
        elif kind == UPDATE_ACCEPTED:
            request = event["workflowExecutionUpdateAcceptedEventAttributes"]["acceptedRequest"]
            taken_at = previous or at  # accepted by the task that just completed
            into.arrivals.append(Arrival(
                "update", request["input"]["name"], _payloads(request["input"].get("args"),
                                                              decrypt),
                taken_at, taken_at, last_task))
        elif kind == MARKER:
            _take_marker(into, event["markerRecordedEventAttributes"], decrypt)
        elif kind == COMPLETED:
            into.closed, into.continued = True, False
            result = event["workflowExecutionCompletedEventAttributes"].get("result", {})
            payloads = result.get("payloads", [])
            into.result = plain_bytes(payloads[0], decrypt) if payloads else None
        elif kind == CONTINUED:
            into.continued = True
    if last_time:
        into.until = moment(last_time)
    if first_run:
        opened_when_settings_read(into)


def opened_when_settings_read(into: IncidentInputs) -> None:
    """From version 5 an incident opens once its deployment settings are read (a local
    activity), and ``workflow.now()`` is then that read's completion, recorded in its
    marker: a moment after the first task began, or tasks later when the read was slow or
    retried. What came meanwhile is taken then, as the workflow does: the signals it held
    first, in order, then the updates that waited for the opening (each keeps the task that
    received it: before version 8 an unknown signal was refused there, ``driver``)."""
    read = into.settings_read_at
    if into.opened_at is None or read is None or read <= into.opened_at:
        return
    into.opened_at = read
    waited = [a for a in into.arrivals if a.at < read]
    later = [a for a in into.arrivals if a.at >= read]
    waited.sort(key=lambda a: a.kind == "update")  # stable: held signals first
    into.arrivals = [Arrival(a.kind, a.name, a.payloads, read, a.arrived,
                             read if a.previous_task is None or a.previous_task < read
                             else a.previous_task, a.at) for a in waited] + later


def _take_start(into: IncidentInputs, value: Any, first_run: bool) -> None:
    if isinstance(value, dict) and "continued" in value:
        if first_run:  # its earlier runs are not here: replay from the state it carried
            into.carried = value
        return
    if not first_run:
        return
    try:
        into.start = IncidentStart.model_validate(value)
    except ValueError as error:
        into.problem = f"上报内容无效，事件未曾立案 (invalid start): {str(error)[:200]}"


def _take_marker(into: IncidentInputs, attrs: dict, decrypt: Decrypt | None) -> None:
    details = attrs.get("details", {})
    if attrs.get("markerName") == LOCAL_ACTIVITY_MARKER and into.settings is None:
        activity = (_payloads(details.get("data"), decrypt) or [None])[0]
        if isinstance(activity, dict) and activity.get("activity_type") == DEPLOYMENT_SETTINGS:
            into.settings = (_payloads(details.get("result"), decrypt) or [None])[0]
            done = activity.get("complete_time")  # protobuf's Timestamp, as core writes it
            if isinstance(done, dict) and isinstance(done.get("seconds"), int):
                into.settings_read_at = instant(done["seconds"], int(done.get("nanos") or 0))
            elif isinstance(done, str):  # the same in protobuf's JSON text form
                into.settings_read_at = moment(done)
    if attrs.get("markerName") != PATCH_MARKER:
        return
    for details in attrs.get("details", {}).values():
        for value in _payloads(details, decrypt):
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                into.patches.add(value["id"])


def read_incident(workflow_id: str, runs: Iterable[Iterable[dict]],
                  decrypt: Decrypt | None = None) -> IncidentInputs:
    """An incident's inputs from its runs' events, oldest run first."""
    into = IncidentInputs(workflow_id)
    for events in runs:
        read_run(into, events, decrypt)
    if into.start is None and into.carried is None and not into.problem:
        into.problem = "历史中没有事件的上报 (no start in the history)"
    return into
