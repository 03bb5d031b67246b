"""Messages sent to an incident in a scenario test as updates, and the bad input every
way of sending must refuse (as a signal: test_malformed_messages.py; as an update:
test_updates.py)."""

from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.status import MessageReceipt
from tests.workflows.scenario import ACTOR, UNIT, Incident

ACK = {"unit_id": UNIT, "actor": ACTOR}
RESPONSE = {"unit_id": UNIT, "actor": ACTOR, "channel": "platform_reply", "summary": "已回复"}

# (message, payloads as sent, a fragment the reason must contain)
BAD_INPUT = {
    "no-payload": ("acknowledge", [], "0 个"),
    "two-payloads": ("acknowledge", [ACK, ACK], "2 个"),
    "string": ("acknowledge", ["签收"], "str"),
    "list": ("acknowledge", [[ACK]], "list"),
    "number": ("acknowledge", [7], "int"),
    "null": ("acknowledge", [None], "JSON"),
    "missing-unit-id": ("acknowledge", [{"actor": ACTOR}], "unit_id"),
    "missing-actor": ("acknowledge", [{"unit_id": UNIT}], "actor"),
    "blank-actor": ("acknowledge", [{"unit_id": UNIT, "actor": "   "}], "actor"),
    "unknown-field": ("acknowledge", [{**ACK, "signed_by": "李四"}], "signed_by"),
    "misspelt-field": ("analyze", [{"actor": ACTOR, "severty": "重大"}], "severty"),
    "wrong-type-str": ("acknowledge", [{"unit_id": 42, "actor": ACTOR}], "unit_id"),
    "wrong-type-number": ("analyze", [{"actor": ACTOR, "handling_hours": "三天"}],
                          "handling_hours"),
    "non-positive-hours": ("analyze", [{"actor": ACTOR, "handling_hours": -5}],
                           "handling_hours"),
    "bad-enum-channel": ("record_response", [{**RESPONSE, "channel": "tweet"}], "channel"),
    "bad-enum-severity": ("analyze", [{"actor": ACTOR, "severity": "严重"}], "severity"),
    "bad-enum-category": ("analyze", [{"actor": ACTOR, "category": "R9"}], "category"),
    "naive-datetime": ("request_extension", [{**ACK, "reason": "需核查",
                                              "until": "2030-01-01T09:00:00"}], "until"),
    "unknown-unit": ("acknowledge", [{"unit_id": "u-nobody", "actor": ACTOR}], "u-nobody"),
    "unknown-message-unit": ("record_response", [{**RESPONSE, "unit_id": "u-nobody"}],
                             "u-nobody"),
    "feedback-before-signing": ("submit_feedback", [{**ACK, "summary": "已处理",
                                                     "resolved": True}], "待签收"),
    "duplicate-units": ("analyze", [{"actor": ACTOR, "units": [{"unit_id": "u-b"},
                                                               {"unit_id": "u-b"}]}], "units"),
}


async def update(incident: Incident, name: str, *payloads: Any) -> MessageReceipt:
    return await incident.handle.execute_update(name, args=list(payloads),
                                                result_type=MessageReceipt)


async def refused(incident: Incident, name: str, *payloads: Any) -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await update(incident, name, *payloads)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "MessageRefused"
    # the sender reads the reason alone, not the worker's stack trace (temporal/data_converter.py)
    assert cause.failure is not None and cause.failure.stack_trace == ""
    return cause


async def update_events(incident: Incident) -> list[str]:
    wanted = {EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
              EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED}
    return [EventType.Name(event.event_type) async for event in incident.handle.fetch_history_events()
            if event.event_type in wanted]
