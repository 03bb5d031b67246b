"""Audit replay speed: ``yuqing audit replay --from-archive`` against the SDK's own Replayer.

The anchor is a bare unsandboxed ``Replayer`` over the raw workflow's histories
(``benchmarks.raw_shape``, the routine incident's shape written the plain way), already
in memory: the SDK's price per event. yuqing's figure includes everything the audit does:
each archived file read, checked against its SHA-256, parsed and replayed.

Both are marginal rates: each is run once to warm up (imports, type adapters, the file
cache), then timed, so neither counts the interpreter's start-up.
"""

from __future__ import annotations

import time
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from activities.archive import HistoryArchive
from benchmarks.raw_shape import RawShapeWorkflow
from workers.replay_pool import each_of


def events_in(histories: list[WorkflowHistory]) -> int:
    return sum(len(h.events) for h in histories)


async def raw_replayer(histories: list[WorkflowHistory]) -> float:
    """Events/s of a bare unsandboxed ``Replayer`` (one process) over the raw workflow's
    histories in memory, timed on its second pass."""
    async def one_pass() -> float:
        replayer = Replayer(workflows=[RawShapeWorkflow], workflow_runner=UnsandboxedWorkflowRunner())
        began = time.perf_counter()
        results = await replayer.replay_workflows(each_of(histories), raise_on_replay_failure=False)
        elapsed = time.perf_counter() - began
        failed = [r for r in results.replay_failures.values() if r is not None]
        if failed:
            raise RuntimeError(f"the raw replayer failed {len(failed)} histories: {failed[0]}")
        return events_in(histories) / elapsed

    await one_pass()
    return await one_pass()


async def product_audit_replay(archive_folder: Path) -> tuple[float, int, int]:
    """(events/s, histories, events) of ``yuqing audit replay --from-archive``: checksums,
    loading and replay, as the command runs them, timed on its second pass."""
    from starter.audit_cli import replay_archive

    async def one_pass() -> tuple[float, int, int]:
        began = time.perf_counter()
        outcomes, events = await replay_archive(HistoryArchive(archive_folder))
        elapsed = time.perf_counter() - began
        if not all(o.ok for o in outcomes):
            raise RuntimeError("yuqing's replay failed a history")
        return events / elapsed, len(outcomes), events

    await one_pass()
    return await one_pass()
