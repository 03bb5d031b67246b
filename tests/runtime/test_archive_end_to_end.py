"""The audit archive on a real dev server (visibility queries need one; time does not skip).

A closed incident is archived by the scheduled ArchiveWorkflow, replays from the
archive, exports by visibility query, and a tampered archive file is refused.
"""

import argparse
import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from activities.archive import HistoryArchive, export_histories
from starter.audit_cli import AuditInputError, run_audit
from temporal.names import ARCHIVE_SCHEDULE_ID
from tests.support.live_server import close_an_incident, eventually
from workers.run import build_worker
from workers.schedule import apply_schedule, archive_schedule

pytestmark = pytest.mark.timeout(180)


def audit_args(**fields) -> argparse.Namespace:
    base = {"files": [], "query": None, "from_archive": False, "archive": None}
    return argparse.Namespace(**{**base, **fields})


async def test_schedule_archives_closed_incidents_and_they_replay(dev_env, tmp_path: Path):
    archive = HistoryArchive(tmp_path / "archive")
    with ThreadPoolExecutor(max_workers=4) as executor:
        async with build_worker(dev_env.client, tmp_path / "outbox", executor,
                                archive_dir=archive.folder):
            workflow_id = await close_an_incident(dev_env)
            for _ in range(2):  # idempotent on a reused database
                await apply_schedule(dev_env.client, ARCHIVE_SCHEDULE_ID, archive_schedule())

            async def archived():
                await dev_env.client.get_schedule_handle(ARCHIVE_SCHEDULE_ID).trigger()
                await asyncio.sleep(1)
                return any(e.workflow_id == workflow_id
                           for e in archive.manifest().entries.values())
            await eventually(archived)

    assert archive.verify() == []
    code = await run_audit(audit_args(audit_command="replay", from_archive=True,
                                      archive=archive.folder), lambda: None)
    assert code == 0

    entry = next(e for e in archive.manifest().entries.values() if e.workflow_id == workflow_id)
    (archive.folder / entry.path).write_text("{}", encoding="utf-8")
    with pytest.raises(AuditInputError, match="checksum"):
        await run_audit(audit_args(audit_command="replay", from_archive=True,
                                   archive=archive.folder), lambda: None)


async def test_export_by_visibility_query(dev_env, tmp_path: Path):
    with ThreadPoolExecutor(max_workers=4) as executor:
        async with build_worker(dev_env.client, tmp_path / "outbox", executor,
                                archive_dir=tmp_path / "unused"):
            workflow_id = await close_an_incident(dev_env)
    archive = HistoryArchive(tmp_path / "export")
    query = f'WorkflowId="{workflow_id}" AND PolicyProfile="nantong-2017"'

    async def exported():
        return (await export_histories(dev_env.client, archive, query=query)).archived
    [path] = await eventually(exported)
    assert path.startswith(f"{workflow_id}~") and archive.verify() == []


def test_file_names_are_injective_and_stay_in_their_folder(tmp_path: Path):
    """COL:1 and COL_1 never share a file; no id reaches outside the folder (issue #10)."""
    from activities.outbox import Outbox
    from domain.file_names import file_stem, inside

    assert file_stem("COL:1") != file_stem("COL_1")
    assert file_stem("summary") != "summary" and "/" not in file_stem("../../x")
    outbox = Outbox(tmp_path / "outbox")
    first = outbox.deliver("notifications", "COL:1", ["message"], {"body": "a"})
    second = outbox.deliver("notifications", "COL_1", ["message"], {"body": "b"})
    assert first.location != second.location and not second.already_delivered
    assert not list((tmp_path / "outbox").rglob("*.tmp"))
    with pytest.raises(ValueError):
        inside(tmp_path, "../escape.json")
    with pytest.raises(ValueError):
        HistoryArchive(tmp_path / "archive").save(_history_named("incident-../../x"), None)


def _history_named(workflow_id: str):
    from temporalio.api.history.v1 import HistoryEvent
    from temporalio.client import WorkflowHistory
    event = HistoryEvent(event_id=1)
    event.workflow_execution_started_event_attributes.original_execution_run_id = "r1"
    return WorkflowHistory(workflow_id, [event])
