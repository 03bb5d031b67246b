"""`yuqing dev` for real: embedded server + worker, then `yuqing report/status/outbox` against it.

Uses the start example of the README (Reporting an incident; detected now). The last test stops the process.
"""

import asyncio
import json
import re
import socket
import urllib.request
import uuid
from datetime import timedelta

import pytest
from temporalio.client import Client
from temporalio.service import RPCError

from tests.runtime.cli_helpers import ROOT, contract_example, run_yuqing
from tests.runtime.dev_process import DevProcess, stop_process_group
from workers.namespace_setup import namespace_retention

pytestmark = pytest.mark.timeout(240)

INCIDENT_ID = f"NT-E2E-{uuid.uuid4().hex[:8]}"


def report(dev: DevProcess, start: dict, name: str):
    path = dev.workdir / name
    path.write_text(json.dumps(start, ensure_ascii=False), encoding="utf-8")
    return run_yuqing("report", str(path), env=dev.env())


async def eventually(check, seconds: float = 30):
    """Visibility and activities are asynchronous: retry ``check`` until it returns truthy."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        result = await check()
        if result or asyncio.get_running_loop().time() > deadline:
            return result
        await asyncio.sleep(0.5)


@pytest.fixture(scope="module")
def reported(running_dev: DevProcess):
    return report(running_dev, contract_example(INCIDENT_ID), "incident.json")


def test_report_prints_workflow_id_and_ui_link(running_dev: DevProcess, reported) -> None:
    assert reported.returncode == 0, reported.stderr
    assert f"incident-{INCIDENT_ID}" in reported.stdout
    assert f"http://127.0.0.1:{running_dev.ui_port}/namespaces/default/workflows/incident-{INCIDENT_ID}" in reported.stdout


async def test_personal_data_never_rests_in_clear(running_dev: DevProcess) -> None:
    """Issue #13: `yuqing dev` encrypts every payload; the server's SQLite file, searched
    byte by byte, holds no trace of a reporter's name and phone number, while `yuqing
    status` (which has the key) reads them."""
    start = contract_example(INCIDENT_ID)
    start["incident_id"] = "NT-PII-0001"
    start["report"]["content"] = "举报人王小明，电话13800138000"
    start["report"]["url"] = "https://example.org/pii/13800138000"
    start["actor"] = "监测员 李秘密"
    assert report(running_dev, start, "pii.json").returncode == 0

    def status():
        result = run_yuqing("status", "NT-PII-0001", env=running_dev.env())
        return json.loads(result.stdout) if result.returncode == 0 else None
    shown = await eventually(lambda: asyncio.sleep(0, status()))
    assert "13800138000" in shown["reports"][0]["content"]
    stored = b"".join(p.read_bytes() for p in running_dev.workdir.glob("temporal.db*"))
    assert len(stored) > 100_000 and b"IncidentWorkflow" in stored  # the real storage
    for secret in ("13800138000", "王小明", "李秘密"):
        assert secret.encode() not in stored, secret


async def test_incident_found_by_list_filters(dev_client: Client, reported) -> None:
    query = (
        f'WorkflowId = "incident-{INCIDENT_ID}" AND IncidentStage = "assignment" '
        'AND PolicyProfile = "nantong-2017" AND ResponsibleUnits = "nt-zjj" '
        'AND IncidentCategory = "R2" AND Overdue = false'
    )

    async def listed():
        return [wf.id async for wf in dev_client.list_workflows(query)]

    assert await eventually(listed) == [f"incident-{INCIDENT_ID}"]


def readme_filters() -> dict[str, str]:
    """The ready-made filters of README's "Finding incidents in the UI" table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Finding incidents in the UI", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| ([^|`]+?) \| `([^`]+)` \|$", section, flags=re.M))


async def test_every_readme_filter_is_a_valid_list_query(dev_client: Client, reported) -> None:
    filters = readme_filters()
    assert {"超期未反馈", "待签收", "督办中（督查室）", "本单位待办"} <= set(filters)
    for purpose, query in filters.items():
        try:
            await dev_client.count_workflows(query)
        except RPCError as err:
            pytest.fail(f"README filter {purpose} is not a valid query: {query}: {err.message}")


async def test_readme_filter_for_pending_signature_finds_the_new_incident(
        dev_client: Client, reported) -> None:
    query = f'{readme_filters()["待签收"]} AND WorkflowId = "incident-{INCIDENT_ID}"'

    async def listed():
        return [wf.id async for wf in dev_client.list_workflows(query)]

    assert await eventually(listed) == [f"incident-{INCIDENT_ID}"]


async def test_status_prints_incident_as_json(running_dev: DevProcess, reported) -> None:
    result = run_yuqing("status", INCIDENT_ID, env=running_dev.env())
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["incident_id"] == INCIDENT_ID
    assert status["stage"] == "assignment"
    assert "某小区电梯频繁故障无人维修" in result.stdout  # not \u-escaped


async def test_second_report_merges_into_running_incident(running_dev: DevProcess, reported) -> None:
    again = report(running_dev, contract_example(INCIDENT_ID, "https://example.org/thread/456"), "again.json")
    assert again.returncode == 0, again.stderr

    async def two_reports():
        result = run_yuqing("status", INCIDENT_ID, env=running_dev.env())
        return len(json.loads(result.stdout)["reports"]) == 2

    assert await eventually(two_reports)


def test_status_of_unknown_incident_is_explained(running_dev: DevProcess) -> None:
    result = run_yuqing("status", "NT-NO-SUCH-INCIDENT", env=running_dev.env())
    assert result.returncode == 1
    assert "no incident" in result.stderr and "Traceback" not in result.stderr


async def test_outbox_shows_the_assignment_form(running_dev: DevProcess, reported) -> None:
    async def delivered():
        result = run_yuqing("outbox", "--outbox", str(running_dev.outbox), env=running_dev.env())
        return INCIDENT_ID in result.stdout and "南通市住房和城乡建设局" in result.stdout

    assert await eventually(delivered)


def test_send_prints_the_receipt_of_an_accepted_message(running_dev: DevProcess, reported) -> None:
    """`yuqing send` is a validated update: the receipt comes back at once."""
    ack = json.dumps({"unit_id": "nt-zjj", "actor": "南通市住建局 张三"}, ensure_ascii=False)
    result = run_yuqing("send", INCIDENT_ID, "acknowledge", ack, env=running_dev.env())
    assert result.returncode == 0, result.stderr
    receipt = json.loads(result.stdout)
    assert receipt["message"] == "acknowledge" and receipt["stage"] == "handling"
    assert [e["action"] for e in receipt["effects"]] == ["acknowledge"]


def test_send_explains_a_refused_message(running_dev: DevProcess, reported) -> None:
    """Refused with the workflow's reason and exit 2; a bad JSON argument never leaves the CLI."""
    feedback = json.dumps({"unit_id": "nt-nobody", "actor": "张三", "summary": "已处理",
                           "resolved": True})
    result = run_yuqing("send", INCIDENT_ID, "submit_feedback", feedback, env=running_dev.env())
    assert result.returncode == 2
    assert "已拒绝 / refused" in result.stderr and "nt-nobody" in result.stderr
    assert "Traceback" not in result.stderr

    result = run_yuqing("send", INCIDENT_ID, "acknowledge", "{unit_id: nt-zjj}", env=running_dev.env())
    assert result.returncode == 2 and "not valid JSON" in result.stderr

    result = run_yuqing("send", INCIDENT_ID, "sign", "{}", env=running_dev.env())
    assert result.returncode == 2 and "acknowledge" in result.stderr


def test_web_ui_answers(running_dev: DevProcess) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{running_dev.ui_port}/", timeout=10) as page:
        assert page.status == 200


async def test_retention_is_long_enough_for_audits(dev_client: Client) -> None:
    retention = await namespace_retention(dev_client, "default")
    assert retention > timedelta(hours=24)
    assert retention >= timedelta(days=365)


def test_sigterm_stops_worker_and_server(running_dev: DevProcess) -> None:
    """Runs last in this module: the server must not outlive `yuqing dev`."""
    assert stop_process_group(running_dev.process) == 0, running_dev.output()
    assert "worker stopped" in running_dev.output()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", running_dev.port)) != 0, "server still listening"

