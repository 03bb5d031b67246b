"""Audit replay speed: yuqing's replay against the raw unsandboxed Replayer, same histories."""

from __future__ import annotations

import time
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from activities.archive import HistoryArchive
from workers.data_converter import configured_converter
from workers.replay_pool import each_of
from workflows import IncidentWorkflow


def events_in(histories: list[WorkflowHistory]) -> int:
    return sum(len(h.events) for h in histories)


async def raw_replayer(histories: list[WorkflowHistory]) -> float:
    """Events/s of a bare ``Replayer`` (unsandboxed, one process) over histories in memory."""
    replayer = Replayer(workflows=[IncidentWorkflow], data_converter=configured_converter(),
                        workflow_runner=UnsandboxedWorkflowRunner())
    began = time.perf_counter()
    results = await replayer.replay_workflows(each_of(histories), raise_on_replay_failure=False)
    elapsed = time.perf_counter() - began
    failed = [r for r in results.replay_failures.values() if r is not None]
    if failed:
        raise RuntimeError(f"the raw replayer failed {len(failed)} histories: {failed[0]}")
    return events_in(histories) / elapsed


async def product_audit_replay(archive_folder: Path) -> tuple[float, int]:
    """Events/s of ``yuqing audit replay --from-archive``: checksums, loading and replay."""
    from starter.audit_cli import replay_archive
    began = time.perf_counter()
    outcomes, events = await replay_archive(HistoryArchive(archive_folder))
    elapsed = time.perf_counter() - began
    if not all(o.ok for o in outcomes):
        raise RuntimeError("yuqing's replay failed a history")
    return events / elapsed, len(outcomes)
