"""Reading what arrived from a history's events: each message at the task that took it."""

import base64
import json
from datetime import datetime, timedelta, timezone

from domain.messages import UndecodablePayload
from domain.whatif.inputs import (
    Arrival, IncidentInputs, moment, opened_when_settings_read, read_incident,
)


def _payload(value) -> dict:
    return {"metadata": {"encoding": base64.b64encode(b"json/plain").decode()},
            "data": base64.b64encode(json.dumps(value).encode()).decode()}


def _event(number: int, time: str, kind: str, **attributes) -> dict:
    return {"eventId": str(number), "eventTime": time, "eventType": f"EVENT_TYPE_{kind}",
            **attributes}


START = {"incident_id": "T-1", "profile": "nantong-2017", "title": "测试", "actor": "平台",
         "report": {"platform": "留言板", "detected_at": "2026-11-21T09:00:00+08:00"}}


def test_messages_are_taken_at_their_task_and_updates_after_it():
    events = [
        _event(1, "2026-11-21T01:00:00.100Z", "WORKFLOW_EXECUTION_STARTED",
               workflowExecutionStartedEventAttributes={"input": {"payloads": [_payload(START)]}}),
        _event(2, "2026-11-21T01:00:00.200Z", "WORKFLOW_TASK_STARTED"),
        _event(3, "2026-11-21T01:00:00.300Z", "WORKFLOW_TASK_COMPLETED"),
        _event(4, "2026-11-21T02:00:00Z", "WORKFLOW_EXECUTION_SIGNALED",
               workflowExecutionSignaledEventAttributes={
                   "signalName": "acknowledge", "input": {"payloads": [_payload({"x": 1})]}}),
        _event(5, "2026-11-21T02:00:00.010Z", "WORKFLOW_TASK_STARTED"),
        _event(6, "2026-11-21T02:00:00.011Z", "WORKFLOW_EXECUTION_SIGNALED",
               workflowExecutionSignaledEventAttributes={"signalName": "late", "input": {
                   "payloads": [{"metadata": {}, "data": ""}]}}),
        _event(7, "2026-11-21T02:00:00.020Z", "WORKFLOW_TASK_COMPLETED"),
        _event(8, "2026-11-21T03:00:00.000Z", "TIMER_FIRED"),
        _event(9, "2026-11-21T03:00:00.005Z", "WORKFLOW_TASK_STARTED"),
        _event(10, "2026-11-21T03:00:00.009Z", "WORKFLOW_TASK_COMPLETED"),
        _event(11, "2026-11-21T03:00:00.010Z", "WORKFLOW_EXECUTION_UPDATE_ACCEPTED",
               workflowExecutionUpdateAcceptedEventAttributes={"acceptedRequest": {"input": {
                   "name": "review_feedback", "args": {"payloads": [_payload({"y": 2})]}}}}),
    ]
    inputs = read_incident("incident-T-1", [events])
    assert inputs.start.incident_id == "T-1" and inputs.problem == ""
    assert inputs.opened_at == moment("2026-11-21T01:00:00.200Z")
    ack, late, review = inputs.arrivals
    assert (ack.kind, ack.name, ack.payloads) == ("signal", "acknowledge", ({"x": 1},))
    assert ack.at == moment("2026-11-21T02:00:00.010Z")
    assert ack.arrived == moment("2026-11-21T02:00:00Z")
    assert ack.previous_task == inputs.opened_at
    # received while a task ran: taken by the next one, and undecodable (no encoding)
    assert late.at == moment("2026-11-21T03:00:00.005Z")
    assert isinstance(late.payloads[0], UndecodablePayload)
    assert (review.kind, review.at) == ("update", moment("2026-11-21T03:00:00.005Z"))
    assert review.previous_task == ack.at
    assert inputs.wakes == [moment("2026-11-21T03:00:00.005Z")]
    assert not inputs.closed and inputs.until == moment("2026-11-21T03:00:00.010Z")


def test_event_times_are_read_as_workflow_now_reads_them():
    # workflow.now() is the nanoseconds over 1e9 as a float, to the nearest microsecond
    assert moment("2026-11-21T01:00:00.123456789Z") == datetime(
        2026, 11, 21, 1, 0, 0, 123457, tzinfo=timezone.utc)
    assert moment("2026-11-21T01:00:00.560Z") == datetime(
        2026, 11, 21, 1, 0, 0, 560000, tzinfo=timezone.utc)
    assert moment("2026-11-21T01:00:00Z") == datetime(2026, 11, 21, 1, tzinfo=timezone.utc)


def test_what_came_before_a_slow_settings_read_is_taken_when_it_completes():
    # The read completed two tasks later: the workflow held the signals and took them at
    # the opening, in order, and then the update that waited for it; later ones as they came.
    t0 = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    t1, read, t2 = t0 + timedelta(seconds=4), t0 + timedelta(seconds=8.5), t0 + timedelta(seconds=9)
    into = IncidentInputs("incident-X", opened_at=t0, settings_read_at=read, arrivals=[
        Arrival("signal", "add_report", (), t0, t0, None),
        Arrival("update", "analyze", (), t0, t0, None),
        Arrival("signal", "acknowledge", (), t1, t1, t0),
        Arrival("signal", "backfill_form", (), t2, t2, t1)])
    opened_when_settings_read(into)
    assert into.opened_at == read
    assert [(a.name, a.at, a.previous_task) for a in into.arrivals] == [
        ("add_report", read, read), ("acknowledge", read, read), ("analyze", read, read),
        ("backfill_form", t2, t1)]
