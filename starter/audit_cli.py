"""`yuqing audit export | replay | report`: the archive, the release guard, the compliance report."""

import argparse
import dataclasses
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from temporalio.client import Client, WorkflowHistory

from activities.archive import HistoryArchive, default_archive_dir, export_histories, load_history
from temporal.names import WORKFLOW_TYPE, workflow_id_for
from domain.file_names import file_stem, inside
from domain.audit_report import (
    incident_html, incident_markdown, summarise, summary_html, summary_markdown,
)
from starter.cli_support import print_json
from workers.audit.request_records import requests_of
from workers.audit.replay import ReplayOutcome, outcomes_of, replay_all, statuses_from_histories
from workers.audit.history_sources import AlteredHistory, HistorySource
from workers.audit.replay_pool import WarmPool, replay_sources

Connect = Callable[[], Awaitable[Client]]


def _archive(args: argparse.Namespace) -> HistoryArchive:
    return HistoryArchive(args.archive or default_archive_dir())


class AuditInputError(Exception):
    """The user named no histories, or ones that cannot be read."""


async def _histories(args: argparse.Namespace, connect: Connect) -> list[WorkflowHistory]:
    histories = [load_history(path) for path in args.files]
    if args.from_archive:
        altered = []
        for relative, source in archived_sources(_archive(args)).items():
            try:  # each file read once, for its checksum and its history
                histories.append(source.load())
            except AlteredHistory:
                altered.append(relative)
        _refuse_altered(altered)
    if args.query:
        client = await connect()
        async for execution in client.list_workflows(args.query):
            handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
            histories.append(await handle.fetch_history())
    if not histories:
        raise AuditInputError("没有要处理的历史 / no histories: name files, --from-archive or --query")
    return histories


async def run_audit(args: argparse.Namespace, connect: Connect) -> int:
    if args.audit_command == "export":
        if not args.id and not args.query:
            raise AuditInputError("请给出 --id 或 --query / name --id or --query")
        archive = HistoryArchive(args.archive or default_archive_dir())
        workflow_ids = [i if i.startswith(workflow_id_for("")) else workflow_id_for(i)
                        for i in args.id]
        run = await export_histories(await connect(), archive, workflow_ids=workflow_ids,
                                     query=args.query)
        if _as_json(args):
            print_json({"archived": [str(archive.folder / p) for p in run.archived],
                        "manifest": str(archive.manifest_path)})
            return 0
        for path in run.archived:
            print(f"已归档 / archived: {archive.folder / path}")
        print(f"manifest: {archive.manifest_path}（{len(run.archived)} 份历史 / histories）")
        for workflow_id in run.foreign:
            print(f"未归档（非事件编号）/ skipped, not an incident's id: {workflow_id}")
        return 0
    if args.audit_command == "replay" and args.from_archive and not args.files and not args.query:
        return print_replay((await replay_archive(_archive(args)))[0], _as_json(args))
    histories = incidents_only(await _histories(args, connect))
    if args.audit_command == "replay":
        return print_replay(await replay_all(histories), _as_json(args))
    return await write_reports(histories, args.out)


async def replay_archive(archive: HistoryArchive, pool: WarmPool | None = None
                         ) -> tuple[list[ReplayOutcome], int]:
    """Every archived history checked against its checksum and replayed, on every core
    (always, on a warm ``pool``'s processes): each file is read once, for both.
    Returns (outcomes, events replayed)."""
    archived = archived_sources(archive)
    if not archived:
        raise AuditInputError(f"归档为空 / the archive holds no histories: {archive.folder}")
    sources = list(archived.values())
    results = await replay_sources(sources, pool=pool)
    _refuse_altered([relative for relative, r in zip(archived, results) if r.altered])
    return await outcomes_of(sources, results), sum(r.events for r in results)


def archived_sources(archive: HistoryArchive) -> dict[str, HistorySource]:
    """Each archived history by its path in the archive, with the checksum it must match."""
    return {relative: HistorySource(
        entry.workflow_id, sha256=entry.sha256, events=entry.events,
        path=str(inside(archive.folder, relative)), binary_sha256=entry.binary_sha256,
        binary_path=str(inside(archive.folder, entry.binary_path)) if entry.binary_path else None)
        for relative, entry in archive.manifest().entries.items()}


def _refuse_altered(altered: list[str]) -> None:
    if altered:
        raise AuditInputError(f"归档文件校验失败 / archive files fail their checksum: {altered}")


def _as_json(args: argparse.Namespace) -> bool:
    return getattr(args, "output", "text") == "json"


def print_replay(outcomes, as_json: bool = False) -> int:
    failed = sum(not o.ok for o in outcomes)
    if as_json:
        print_json([dataclasses.asdict(o) for o in outcomes])
        return 1 if failed else 0
    for o in outcomes:
        if o.ok:
            print(f"OK    {o.workflow_id} {o.run_id}" + (f"\n      注 / note: {o.note}"
                                                        if o.note else ""))
        else:
            where = (f"event {o.diverged_at_event} {o.diverged_event_type}"
                     if o.diverged_at_event else "event unknown")
            print(f"FAIL  {o.workflow_id} {o.run_id}: diverged at {where}\n      {o.error}")
    print(f"{len(outcomes) - failed} replayed, {failed} failed")
    return 1 if failed else 0


def incidents_only(histories: list[WorkflowHistory]) -> list[WorkflowHistory]:
    """Audits are of incidents: the archive and bulletin workflows are left out, said once."""
    kept = [h for h in histories
            if h.events and h.events[0].workflow_execution_started_event_attributes
            .workflow_type.name == WORKFLOW_TYPE]
    if len(kept) < len(histories):
        print(f"（跳过 {len(histories) - len(kept)} 份非舆情事件的历史 / skipped "
              f"{len(histories) - len(kept)} histories of other workflows）")
    return kept


def latest_runs(histories: list[WorkflowHistory]) -> list[WorkflowHistory]:
    """One history per incident: a run that continued as new is superseded by the run
    after it, which carries the whole incident (kept only when that run is missing)."""
    continued = {h.events[0].workflow_execution_started_event_attributes
                 .continued_execution_run_id for h in histories}
    return [h for h in histories
            if h.events[0].workflow_execution_started_event_attributes
            .original_execution_run_id not in continued]


def write_private(path: Path, text: str) -> None:
    """Written for the owner only (0600): audit reports name people and units."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file left by an earlier run keeps no wider mode
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


async def write_reports(histories: list[WorkflowHistory], out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    latest = latest_runs(histories)
    statuses = await statuses_from_histories(latest)
    for status, history in zip(statuses, latest):
        # Suffixes appended, never swapped: with_suffix would cut "RPT.1~hash" to "RPT".
        stem = out / file_stem(status.incident_id)
        requests = requests_of(history)  # declared actor beside the identity the server saw
        write_private(Path(f"{stem}.md"), incident_markdown(status, requests))
        write_private(Path(f"{stem}.html"), incident_html(status, requests))
        write_private(Path(f"{stem}.json"), status.model_dump_json(indent=2))
        print(f"报告 / report: {stem}.md .html .json")
    summary = summarise(statuses)
    write_private(out / "summary.md", summary_markdown(summary))
    write_private(out / "summary.html", summary_html(summary))
    write_private(out / "summary.json", json.dumps(summary.model_dump(), ensure_ascii=False,
                                                   indent=2))
    print(f"汇总 / summary: {out / 'summary.md'} .html .json（{len(statuses)} 个事件）")
    return 0
