"""No input, flood, retry or click can freeze, end or duplicate an incident (issue #10).

Each hostile message is refused with a recorded reason; afterwards the incident is still
running, still answers its query and still takes a legitimate message.
"""

import asyncio
from datetime import timedelta

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.common import RawValue

from domain import limits
from starter.api import send_message
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker
from tests.workflows.scenario import UNIT, entries, refusals, report, window

LONG_ID = "u" * 3000
HOSTILE = {
    "long-unit-id": ("analyze", {"units": [{"unit_id": LONG_ID}]}),
    "forty-units": ("analyze", {"units": [{"unit_id": f"unit-{i:02d}-{'x' * 50}"}
                                          for i in range(40)]}),
    "huge-hours": ("analyze", {"handling_hours": 1e9}),
    "year-9999": ("request_extension", {"unit_id": UNIT, "reason": "r",
                                        "until": "9999-12-31T23:59:59-12:00"}),
    "year-1": ("add_report", {"report": {"platform": "p", "url": "https://x/1",
                                         "detected_at": "0001-01-01T00:00:00+00:00"}}),
    "too-large": ("leader_instruction", {"text": "长" * 40_000}),
    "deeply-nested": ("supervise", {"reason": "r", "x": {"a": [[[[[[[[[[{}]]]]]]]]]]}}),
    "not-an-object": ("acknowledge", ["u-zjj"]),
    "a-number": ("acknowledge", 42),
    "unknown-name": ("drop_all_tables", {"unit_id": UNIT}),
}


async def still_works(incident) -> None:
    """Running, answering, and taking a legitimate message."""
    assert await incident.running()
    await incident.send("leader_instruction", text="请抓紧办理")
    assert entries(await incident.status(), "leader_instruction")


@pytest.mark.parametrize("case", list(HOSTILE))
async def test_a_hostile_message_is_refused_and_recorded(env, worker, incident_id, case):
    name, payload = HOSTILE[case]
    incident = await report(env, incident_id, analysed=case != "year-1")
    if not isinstance(payload, dict):
        await incident.send_raw(name, payload)
    else:
        await incident.send_raw(name, {"actor": "攻击者", **payload})
    status = await incident.status()
    assert status.refused_total == 1 and status.rejected_inputs[-1].message == name
    if isinstance(payload, dict):  # a misspelled name too is recorded with who sent it
        assert status.rejected_inputs[-1].actor == "攻击者"
    await still_works(incident)


@pytest.mark.parametrize("encoding", [b"binary/plain", b"text/made-up"])
async def test_a_payload_that_is_not_json_is_refused_and_recorded(env, worker, incident_id,
                                                                  encoding):
    incident = await report(env, incident_id)
    raw = RawValue(Payload(metadata={"encoding": encoding}, data=b"\x00\xff not json"))
    await incident.handle.signal("acknowledge", raw)
    [reason] = refusals(await incident.status(), "acknowledge")
    assert "JSON" in reason
    await still_works(incident)


async def test_a_flood_of_the_same_bad_message_is_one_entry_with_a_count(env, worker, incident_id):
    incident = await report(env, incident_id)
    for _ in range(30):
        await incident.send_raw("acknowledge", {"actor": "脚本", "unit_id": "nobody"})
    status = await incident.status()
    assert len(status.rejected_inputs) == 1 and status.rejected_inputs[0].repeated == 30
    assert status.refused_total == 30
    await still_works(incident)


async def test_a_cancellation_request_is_refused_and_recorded(env, worker, incident_id):
    incident = await report(env, incident_id, key_criteria=["K2"])
    await incident.handle.cancel()
    status = await incident.status()
    assert "cancel" in [r.message for r in status.rejected_inputs]
    assert entries(status, "cancel_refused")
    await still_works(incident)


async def test_a_retried_update_is_applied_once_with_the_first_receipt(env, worker, incident_id):
    incident = await report(env, incident_id)
    await incident.send("acknowledge", unit_id=UNIT)
    message = {"actor": "住建局", "unit_id": UNIT, "channel": "platform_reply",
               "summary": "已回复", "message_id": "resp-001"}
    first = await send_message(env.client, incident_id, "record_response", message)
    again = await send_message(env.client, incident_id, "record_response", message)
    await incident.handle.signal("record_response", message)  # the same retry as a signal
    status = await incident.status()
    assert len(status.responses) == 1 and len(entries(status, "record_response")) == 1
    assert again == first


async def test_send_message_gives_every_message_an_id(env, worker, incident_id):
    await report(env, incident_id)
    receipt = await send_message(env.client, incident_id, "leader_instruction",
                                 {"actor": "市领导", "text": "妥善处置"})
    assert receipt.effects and receipt.message == "leader_instruction"


@pytest.fixture
async def own_env(tmp_path):
    """A time-skipping server of its own: after a hand-over raced by pending signals, the Java
    test server stops skipping time (a test-server fault; the dev server and production do
    not share it), so this test must not share the session's server."""
    async with await start_time_skipping_server() as environment:
        async with incident_worker(environment.client, tmp_path):
            yield environment


async def test_the_incident_continues_as_new_and_keeps_everything(own_env, incident_id):
    """A flood past the per-run signal budget: the incident continues as a new run of the
    same workflow id, with its timeline, its refusals and its pending windows (their timers
    re-armed), and keeps taking messages (Temporal would refuse signals after 10,000 a run)."""
    env = own_env
    incident = await report(env, incident_id, run_budget={"max_signals": 10})
    first_run = (await incident.handle.describe()).run_id
    flood = 25  # two hand-overs
    for _ in range(flood):
        await incident.send_raw("acknowledge", {"actor": "脚本", "unit_id": "x"})
    await incident.send("leader_instruction", text="批示")
    latest = env.client.get_workflow_handle(incident.handle.id)
    for _ in range(50):  # the hand-over completes once no new signal is pending
        if (await latest.describe()).run_id != first_run:
            break
        await asyncio.sleep(0.1)
    assert (await latest.describe()).run_id != first_run
    await asyncio.sleep(1)  # let the new run take its first task before skipping time
    status = await incident.status()
    assert status.refused_total == flood and status.rejected_inputs[0].repeated == flood and entries(status, "leader_instruction")
    assert entries(status, "report") and status.assignment(UNIT) is not None
    attributes = await incident.search_attributes()  # the same list filters find it
    assert attributes["IncidentStage"] == "assignment" and attributes["ResponsibleUnits"] == [UNIT]
    # The new run re-armed the durable timer of the nearest pending deadline (it falls
    # first; the loop waits for the next one when it is met or falls).
    pending = [w for w in status.windows if w.state.value == "pending"]
    assert window(status, "W-RESP") in pending
    nearest = min(pending, key=lambda w: w.deadline)
    history = await latest.fetch_history()
    timed = [e.user_metadata.summary.data.decode("utf-8") for e in history.events
             if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED]
    assert any(nearest.id.value in summary for summary in timed), timed
    await still_works(incident)


def test_the_limits_keep_responsible_units_under_the_search_attribute_cap():
    worst = limits.MAX_ACTIVE_UNITS * (limits.MAX_UNIT_ID_BYTES + 3)
    assert worst < 2048
    assert timedelta(hours=limits.MAX_HOURS) <= limits.MAX_HORIZON + timedelta(days=1)


async def test_a_cancellation_request_while_the_incident_opens_is_refused(env, tmp_path,
                                                                          incident_id):
    """Requested before the first workflow task (no worker on its queue yet): it reaches the
    run while the deployment's settings are read (workflow version 5), and is refused there too."""
    from starter.api import initial_search_attributes, with_current_versions
    from tests.workflows.scenario import Incident, start_payload
    from workflows.incident import IncidentWorkflow
    queue = f"opening-{incident_id}"
    now = await env.get_current_time()
    start = with_current_versions(start_payload(incident_id, now, key_criteria=["K2"]))
    handle = await env.client.start_workflow(
        IncidentWorkflow.run, start, id=f"incident-{incident_id}", task_queue=queue,
        search_attributes=initial_search_attributes(start, now))
    await handle.cancel()
    async with incident_worker(env.client, tmp_path, task_queue=queue):
        incident = Incident(env, incident_id, now, handle)
        status = await incident.status()
        assert "cancel" in [r.message for r in status.rejected_inputs]
        assert entries(status, "cancel_refused")
        assert (await handle.describe()).status.name == "RUNNING"
        # no worker will serve its queue again: a task left there would stop the shared
        # time-skipping server from skipping for the tests after this one
        await handle.terminate("test over")
