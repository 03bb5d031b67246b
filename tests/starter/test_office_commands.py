"""`yuqing bulletin` and `yuqing overdue` against a real dev server (workflow listing)."""

import argparse
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from domain.presentation import BEIJING
from domain.messages import IncidentStart
from starter.api import report_incident
from starter.office_cli import run_bulletin, run_overdue
from tests.support.live_server import close_an_incident, eventually
from workers.run import build_worker
from settings.sealed_files import unseal

pytestmark = pytest.mark.timeout(180)


async def an_overdue_incident(env) -> str:
    """First seen 49 hours ago, assigned only now: W-RESP is missed at once, by the office.

    Rules version 3 (A-HOLD): no unit held the case when W-RESP fell due; nt-late owes
    its own answer time, 48 hours from its assignment.
    """
    now = await env.get_current_time()
    incident_id = f"OVD-{uuid.uuid4().hex[:8]}"
    await report_incident(env.client, IncidentStart.model_validate({
        "incident_id": incident_id, "profile": "nantong-2017", "title": "超期", "actor": "平台",
        "report": {"platform": "p", "detected_at": (now - timedelta(hours=49)).isoformat()},
        "analysis": {"category": "R2", "severity": "一般",
                     "units": [{"unit_id": "nt-late", "name": "迟办局", "lead": True}]}}),
        now=now)
    return incident_id


async def test_bulletin_and_overdue_from_the_live_server(dev_env, tmp_path, capsys):
    with ThreadPoolExecutor(max_workers=4) as executor:
        async with build_worker(dev_env.client, tmp_path / "outbox", executor,
                                archive_dir=tmp_path / "archive"):
            await close_an_incident(dev_env)
            late = await an_overdue_incident(dev_env)

            async def connect():
                return dev_env.client

            async def listed():
                capsys.readouterr()
                await run_overdue(argparse.Namespace(output="json"), connect)
                rows = json.loads(capsys.readouterr().out)
                return [r for r in rows if r["incident_id"] == late]
            [row] = await eventually(listed)
            assert (row["unit_id"], row["window"]) == ("office", "W-RESP")
            # durations as numbers, times at +08:00 (issue #24)
            assert isinstance(row["overdue_by_seconds"], int) and row["overdue_by_seconds"] > 0
            assert row["overdue_by_hours"] == round(row["overdue_by_seconds"] / 3600, 2)
            assert row["deadline"].endswith("+08:00")

            # 超期未回应 is one exact filter, the office's own miss included (README, "Who
            # answers for what")
            query = ('WorkflowType="IncidentWorkflow" AND OverdueWindows="W-RESP" '
                     'AND Overdue=true')
            listed_ids = [e.id async for e in dev_env.client.list_workflows(query)]
            assert f"incident-{late}" in listed_ids

            now = datetime.now(timezone.utc)
            figures = {}
            for incident, unit, moment in (("closed", "u1", now),
                                           ("late", "office", now - timedelta(hours=49))):
                month = moment.astimezone(BEIJING).strftime("%Y-%m")
                args = argparse.Namespace(month=month, out=tmp_path / "bulletins",
                                          from_archive=None)

                async def counted(month=month, args=args, unit=unit):
                    await run_bulletin(args, connect)
                    path = tmp_path / "bulletins" / f"bulletin-{month}.json"
                    units = {u["unit_id"]: u for u in json.loads(path.read_text())["units"]}
                    return units.get(unit)
                figures[incident] = await eventually(counted)
    assert figures["late"]["overdue_now"] == 1 and figures["late"]["missed"] == 1
    assert figures["closed"]["completed"] >= 1


async def test_the_scheduled_bulletin_workflow_issues_files_and_a_notice(dev_env, tmp_path):
    """BulletinWorkflow (what the monthly schedule starts): pages, merge, files, notice."""
    from workflows.bulletin import BulletinWorkflow
    with ThreadPoolExecutor(max_workers=4) as executor:
        async with build_worker(dev_env.client, tmp_path / "outbox", executor,
                                archive_dir=tmp_path / "archive"):
            await close_an_incident(dev_env)
            month = datetime.now(timezone.utc).astimezone(BEIJING).strftime("%Y-%m")

            async def issued():
                result = await dev_env.client.execute_workflow(
                    BulletinWorkflow.run, month, id=f"bulletin-test-{uuid.uuid4().hex[:6]}",
                    task_queue="yuqing")
                return result if result.reported >= 1 else None
            result = await eventually(issued)
    folder = tmp_path / "archive" / "bulletins"
    assert (folder / f"bulletin-{month}.xlsx").exists() and result.files
    notices = list((tmp_path / "outbox" / "notifications").glob("bulletin*.json"))
    assert notices and "月度通报" in json.dumps(unseal(notices[0].read_text("utf-8")),
                                             ensure_ascii=False)


async def test_schedules_apply_creates_then_updates_keeping_a_pause(dev_env):
    """`yuqing schedules apply` (deployment): created once, brought up to date on every
    re-run, an operator's pause kept."""
    from workers.schedule import apply_schedules
    from temporal.names import BULLETIN_SCHEDULE_ID
    from workflows.bulletin import previous_month
    first = {a.schedule_id: a.outcome for a in await apply_schedules(dev_env.client)}
    handle = dev_env.client.get_schedule_handle(BULLETIN_SCHEDULE_ID)
    await handle.pause(note="节假日暂停")
    again = {a.schedule_id: a.outcome for a in await apply_schedules(dev_env.client)}
    assert set(first.values()) <= {"created", "updated"} and set(again.values()) == {"updated"}
    description = await handle.describe()
    assert description.schedule.state.paused
    await handle.unpause()
    spec = description.schedule.spec
    [calendar] = spec.calendars
    assert spec.time_zone_name == "Asia/Shanghai"
    assert ([r.start for r in calendar.day_of_month], [r.start for r in calendar.hour]) == ([1], [9])
    assert previous_month(datetime(2026, 12, 1, 1, tzinfo=BEIJING)) == "2026-11"
    assert previous_month(datetime(2026, 1, 1, 9, tzinfo=BEIJING)) == "2025-12"
