"""The audit archive (审计归档): every incident history as replayable JSON, with a manifest.

Temporal keeps closed histories only for the namespace's retention, so the
archive is ours. Each history is ``<folder>/<workflow_id>/<run_id>.json`` in
the form ``WorkflowHistory.from_json`` reads, for people and other tools, and
beside it ``<run_id>.binpb``, the same history as protobuf's binary ``History``,
which ``yuqing audit replay`` reads (parsing the JSON cost as much as replaying it);
``manifest.json`` lists each file with its SHA-256, so an auditor can prove
neither was altered. Histories archived before the binary copy have the JSON alone.
"""

import hashlib
import json
import os
import tempfile
import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import structlog
from pydantic import BaseModel
from temporalio import activity
from temporalio.api.history.v1 import History
from temporalio.client import Client, WorkflowHistory

from domain.file_names import file_stem, inside
from domain.limits import INCIDENT_ID_PATTERN
from temporal.names import WORKFLOW_ID_PREFIX, WORKFLOW_TYPE

# Only an incident's ids are archived: nothing else can name a folder.
WORKFLOW_ID = re.compile(WORKFLOW_ID_PREFIX + INCIDENT_ID_PATTERN)
RUN_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
BINARY_SUFFIX = ".binpb"  # protobuf's binary encoding of the history (``History``)

from settings.home import home_path

log = structlog.get_logger(__name__)


class ArchiveEntry(BaseModel):
    path: str
    workflow_id: str
    run_id: str
    sha256: str
    events: int
    binary_path: str | None = None  # the same history as protobuf binary (archived since 2026-12)
    binary_sha256: str | None = None
    close_time: datetime | None = None
    archived_at: datetime


class Manifest(BaseModel):
    entries: dict[str, ArchiveEntry] = {}
    last_close_time: datetime | None = None


class ArchiveRun(BaseModel):
    archived: list[str]
    skipped: int
    last_close_time: datetime | None
    # IncidentWorkflow executions under an id without the ``incident-`` prefix (started by
    # hand or by a foreign tool): reported and left out, never a failed archive run.
    foreign: list[str] = []


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)


class HistoryArchive:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest_path = folder / "manifest.json"

    def manifest(self) -> Manifest:
        if not self.manifest_path.exists():
            return Manifest()
        return Manifest.model_validate_json(self.manifest_path.read_text("utf-8"))

    def save(self, history: WorkflowHistory, close_time: datetime | None) -> ArchiveEntry:
        return self.save_all([(history, close_time)])[0]

    def save_all(self, items: list[tuple[WorkflowHistory, datetime | None]]) -> list[ArchiveEntry]:
        """Write each history, then the manifest once (not once per history)."""
        manifest = self.manifest()
        entries = [self._write(history, close_time, manifest) for history, close_time in items]
        _write_atomically(self.manifest_path,
                          manifest.model_dump_json(indent=2).encode("utf-8"))
        return entries

    def _write(self, history: WorkflowHistory, close_time: datetime | None,
               manifest: "Manifest") -> ArchiveEntry:
        started = history.events[0].workflow_execution_started_event_attributes
        run_id = started.original_execution_run_id
        if not WORKFLOW_ID.fullmatch(history.workflow_id) or not RUN_ID.fullmatch(run_id):
            raise ValueError(f"not an incident's workflow or run id: {history.workflow_id!r}")
        relative = f"{file_stem(history.workflow_id)}/{run_id}.json"
        binary_relative = f"{file_stem(history.workflow_id)}/{run_id}{BINARY_SUFFIX}"
        data = history.to_json().encode("utf-8")
        binary = History(events=history.events).SerializeToString()
        _write_atomically(inside(self.folder, relative), data)
        _write_atomically(inside(self.folder, binary_relative), binary)
        entry = ArchiveEntry(path=relative, workflow_id=history.workflow_id, run_id=run_id,
                             sha256=_sha256(data), events=len(history.events),
                             binary_path=binary_relative, binary_sha256=_sha256(binary),
                             close_time=close_time, archived_at=datetime.now(timezone.utc))
        manifest.entries[relative] = entry
        if close_time and (manifest.last_close_time is None or close_time > manifest.last_close_time):
            manifest.last_close_time = close_time
        return entry

    def verify(self) -> list[str]:
        """Paths whose file is missing or no longer matches its checksum."""
        bad: list[str] = []
        for relative, entry in self.manifest().entries.items():
            for listed, sha256 in ((relative, entry.sha256),
                                   (entry.binary_path, entry.binary_sha256)):
                if not listed:  # archived before the binary copy
                    continue
                path = self.folder / listed
                if not path.exists() or _sha256(path.read_bytes()) != sha256:
                    bad.append(listed)
        return bad

    def histories(self) -> list[WorkflowHistory]:
        return [WorkflowHistory.from_json(entry.workflow_id,
                                          json.loads(inside(self.folder, relative).read_text("utf-8")))
                for relative, entry in self.manifest().entries.items()]


def load_history(path: Path) -> WorkflowHistory:
    """A history file given by path; its workflow id from the folder it was archived in."""
    data = json.loads(path.read_text("utf-8"))
    folder = path.parent.name.split("~", 1)[0]
    workflow_id = folder if folder.startswith(WORKFLOW_ID_PREFIX) else path.stem
    return WorkflowHistory.from_json(workflow_id, data)


async def export_histories(client: Client, archive: HistoryArchive, *,
                           workflow_ids: Sequence[str] = (), query: str | None = None,
                           skip_archived: bool = False) -> ArchiveRun:
    """Archive the latest run of each id and every execution the visibility query finds."""
    targets: list[tuple[str, str | None, datetime | None]] = []
    for workflow_id in workflow_ids:
        description = await client.get_workflow_handle(workflow_id).describe()
        targets.append((workflow_id, description.run_id, description.close_time))
        # An incident that continued as new has earlier runs: archive the whole chain.
        run_id: str | None = description.run_id
        while run_id:
            history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
            started = history.events[0].workflow_execution_started_event_attributes
            run_id = started.continued_execution_run_id or None
            if run_id:
                targets.append((workflow_id, run_id, None))
    if query:
        async for execution in client.list_workflows(query):
            targets.append((execution.id, execution.run_id, execution.close_time))
    known = {(e.workflow_id, e.run_id) for e in archive.manifest().entries.values()}
    fetched, skipped, foreign = [], 0, []
    for workflow_id, run_id, close_time in targets:
        if not WORKFLOW_ID.fullmatch(workflow_id):
            foreign.append(workflow_id[:200])
            continue
        if skip_archived and (workflow_id, run_id) in known:
            skipped += 1
            continue
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        fetched.append((history, close_time))
    archived = [entry.path for entry in archive.save_all(fetched)] if fetched else []
    if foreign:
        log.warning("archive_skipped_foreign_ids", count=len(foreign), workflow_ids=foreign[:20])
    return ArchiveRun(archived=archived, skipped=skipped, foreign=foreign,
                      last_close_time=archive.manifest().last_close_time)


# The scheduled archiver looks back this far before the last archived close, so an
# incident whose close became visible late is still picked up (duplicates are skipped).
ARCHIVE_OVERLAP = timedelta(hours=1)


class ArchiveActivities:
    def __init__(self, client: Client, archive: HistoryArchive) -> None:
        self.client, self.archive = client, archive

    @activity.defn
    async def archive_closed_incidents(self) -> ArchiveRun:
        """归档: every incident that closed since the last archived one."""
        since = self.archive.manifest().last_close_time
        query = f'WorkflowType="{WORKFLOW_TYPE}" AND ExecutionStatus!="Running"'
        if since is not None:
            query += f' AND CloseTime > "{(since - ARCHIVE_OVERLAP).isoformat()}"'
        return await export_histories(self.client, self.archive, query=query,
                                      skip_archived=True)


def default_archive_dir() -> Path:
    return home_path("archive", "YUQING_ARCHIVE")
