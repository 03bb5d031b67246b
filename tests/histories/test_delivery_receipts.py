"""Workflow version 4 (domain/workflow_versions.py): the delivery activity's result becomes receipts
on the timeline, riding on the activity's own completion: no signal, marker or extra action."""

import json

from temporalio.client import WorkflowHistory

from tests.support.action_count import count_actions
from tests.support.history_parts import load
from workers.audit.replay import replay_all


def result_of(history: WorkflowHistory) -> dict:
    result = history.events[-1].workflow_execution_completed_event_attributes.result
    return json.loads(result.payloads[0].data)


async def test_version_3_records_receipts_at_no_extra_cost():
    receipts, earlier = load("delivery-receipts-routine-nantong"), load("nearest-deadline-routine-nantong")
    timeline = result_of(receipts)["timeline"]
    assert [e["detail"].split("（")[0] for e in timeline if e["action"] == "notice_receipt"] == \
        ["交办单 已存入发件箱 u1"]  # no channel configured when recorded: the outbox is the record
    assert not any(e["action"] == "notice_receipt" for e in result_of(earlier)["timeline"])
    assert count_actions(receipts) == count_actions(earlier)
    outcomes = await replay_all([receipts, load("delivery-receipts-ladder-liuzhou")])
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
