"""The deployment owns the roster and local defaults (issue #22).

Attack: a report carrying ``"roster": {"units": {"nt-zjj": ["Mallory"]}}`` made the real
staff's acknowledge refused and Mallory's accepted. Now the worker reads the roster from
its own configuration, records it with its digest, and refuses a start that brings one.
"""

import uuid

import pytest
from temporalio.client import WorkflowFailureError

from starter.api import send_message, MessageRefused
from tests.workflows.scenario import UNIT, report, start_payload, status

ROSTER_TOML = f'''
[roster]
administrators = ["部署管理员"]
[roster.units]
"{UNIT}" = ["住建局 王五"]
[roster.offices]
cyberspace_office = ["网信办 测试员"]
[local_defaults]
ack_hours = 5
'''


@pytest.fixture
def deployment(tmp_path, monkeypatch):
    config = tmp_path / "yuqing.toml"
    config.write_text(ROSTER_TOML, encoding="utf-8")
    monkeypatch.setenv("YUQING_CONFIG", str(config))  # read by the worker's local activity
    return config


async def test_the_workers_roster_applies_and_is_recorded(env, worker, deployment):
    incident = await report(env, f"R-{uuid.uuid4().hex[:8]}")
    opened = await incident.status()
    assert opened.roster.units == {UNIT: ["住建局 王五"]}
    assert opened.local_defaults.ack_hours == 5
    recorded = next(e for e in opened.timeline if e.action == "deployment_settings")
    assert str(deployment) in recorded.detail and "sha256:" in recorded.detail
    with pytest.raises(MessageRefused, match="不在单位"):
        await send_message(env.client, incident.incident_id, "acknowledge",
                           {"actor": "Mallory", "unit_id": UNIT})
    await send_message(env.client, incident.incident_id, "acknowledge",
                       {"actor": "住建局 王五", "unit_id": UNIT})


@pytest.mark.parametrize("version", [None, 2, 3, 4])  # older versions are caught by a marker
async def test_a_start_carrying_its_own_roster_is_refused(env, worker, deployment, version):
    incident_id = f"R-{uuid.uuid4().hex[:8]}"
    now = await env.get_current_time()
    start = start_payload(incident_id, now).model_dump(mode="json")
    start["roster"], start["workflow_version"] = {"units": {UNIT: ["Mallory"]}}, version
    handle = await env.client.start_workflow(  # around the starter, as an attacker would
        "IncidentWorkflow", start, id=f"incident-{incident_id}", task_queue="yuqing")
    with pytest.raises(WorkflowFailureError) as failure:
        await handle.result()
    assert "部署配置决定" in str(failure.value.cause)


async def test_only_an_administrator_updates_a_running_incidents_roster(env, worker, deployment):
    incident = await report(env, f"R-{uuid.uuid4().hex[:8]}")
    new = {"units": {UNIT: ["住建局 赵六"]}, "administrators": ["部署管理员"]}
    with pytest.raises(MessageRefused, match="不是部署管理员"):
        await send_message(env.client, incident.incident_id, "update_roster",
                           {"actor": "住建局 王五", "roster": new})
    await send_message(env.client, incident.incident_id, "update_roster",
                       {"actor": "部署管理员", "roster": new})
    after = await status(env, incident.incident_id)
    assert after.roster.units == {UNIT: ["住建局 赵六"]}
    assert any(e.action == "update_roster" and "sha256:" in e.detail for e in after.timeline)
