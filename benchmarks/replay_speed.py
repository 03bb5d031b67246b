"""Audit replay speed: ``yuqing audit replay --from-archive`` against the SDK's own Replayer.

The anchor is a bare unsandboxed ``Replayer`` over the raw workflow's histories
(``benchmarks.raw_shape``, the routine incident's shape written the plain way), already
in memory: the SDK's price per event. yuqing's figure includes everything the audit does:
each archived file read, checked against its SHA-256, parsed and replayed.

Both are marginal rates: each is run once to warm up (imports, type adapters, the file
cache), then timed three times, the best pass counting for each side alike, so neither
counts the interpreter's start-up. Each is given as events
per second of the clock and per second of CPU (all of the process's threads, and of a
replay pool's processes when one is used): on a shared machine the second moves less with
the neighbours' load. yuqing's audit is measured twice: as the command runs it on this
many events (one process), and on a warm pool (``workers.audit.replay_pool.WarmPool``) of one
process per core, started before the warm-up: what a process that audits repeatedly gets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NamedTuple

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from activities.archive import HistoryArchive
from benchmarks.raw_shape import RawShapeWorkflow
from benchmarks.replay_floor import RecordedCommands, prepare
from settings.keys import configured_converter
from workers.audit.replay_pool import IN_FLIGHT, WarmPool, each_of, replayer, split_in


def events_in(histories: list[WorkflowHistory]) -> int:
    return sum(len(h.events) for h in histories)


class Rate(NamedTuple):
    """Events per second of the clock and per second of the process's CPU."""

    wall: float
    cpu: float


PASSES = 3  # timed passes after the warm-up; each side's best counts (the machine is shared)


async def timed(events: int, replay: Callable[[], Awaitable[object]],
                other_cpu: Callable[[], float] = lambda: 0.0) -> Rate:
    """Run once to warm up, then time ``PASSES`` runs: the best rate of the clock and of
    CPU, so a neighbour's burst in one pass does not decide either side's figure.
    ``other_cpu``: CPU seconds spent so far by other processes doing the work (a replay
    pool's), counted with this one's."""
    await replay()
    rates = []
    for _ in range(PASSES):
        wall, cpu = time.perf_counter(), time.process_time() + other_cpu()
        await replay()
        rates.append(Rate(events / (time.perf_counter() - wall),
                          events / (time.process_time() + other_cpu() - cpu)))
    return Rate(max(r.wall for r in rates), max(r.cpu for r in rates))


async def replayed_all(replayer_: Replayer, histories: list[WorkflowHistory]) -> None:
    results = await replayer_.replay_workflows(each_of(histories), raise_on_replay_failure=False)
    failed = [r for r in results.replay_failures.values() if r is not None]
    if failed:
        raise RuntimeError(f"the replayer failed {len(failed)} histories: {failed[0]}")


async def raw_replayer(histories: list[WorkflowHistory]) -> Rate:
    """A bare unsandboxed ``Replayer`` (one process) over the raw workflow's histories in memory."""
    return await timed(events_in(histories), lambda: replayed_all(
        Replayer(workflows=[RawShapeWorkflow], workflow_runner=UnsandboxedWorkflowRunner()),
        histories))


async def product_replayer(histories: list[WorkflowHistory]) -> Rate:
    """yuqing's replayer alone over its histories in memory: the audit without reading files."""
    return await timed(events_in(histories), lambda: replayed_all(replayer(), histories))


async def floor_replayer(histories: list[WorkflowHistory], in_flight: int = 1) -> Rate:
    """The SDK's floor on yuqing's own histories: a ``Replayer`` with the audit's converter
    and codec over them, the workflow an echo of their recorded commands
    (``benchmarks.replay_floor``); ``in_flight`` replayers side by side over consecutive
    shares, as the audit runs them (``workers.audit.replay_pool.IN_FLIGHT``)."""
    prepare(histories)
    shares = split_in(histories, in_flight)

    def echo() -> Replayer:
        return Replayer(workflows=[RecordedCommands], data_converter=configured_converter(),
                        workflow_runner=UnsandboxedWorkflowRunner())

    return await timed(events_in(histories), lambda: asyncio.gather(
        *(replayed_all(echo(), part) for part in shares)))


async def floor_rates(histories: list[WorkflowHistory]) -> list[tuple[int, Rate]]:
    """The floor with one replayer, then with as many side by side as the audit runs."""
    return [(replayers, await floor_replayer(histories, replayers))
            for replayers in (1, IN_FLIGHT)]


def against(rate: Rate, raw: Rate) -> str:
    """A rate of the clock and of CPU, each as a ratio to the raw Replayer's."""
    return (f"{rate.wall:,.0f} | {rate.cpu:,.0f}: {rate.wall / raw.wall:.2f}× | "
            f"{rate.cpu / raw.cpu:.2f}× the raw Replayer")


async def product_audit_replay(archive_folder: Path, pool: WarmPool | None = None
                               ) -> tuple[Rate, int, int]:
    """``yuqing audit replay --from-archive`` as the command runs it: checksums, reading and
    replay; with ``pool``, on its processes, their CPU counted. (rate, histories, events)"""
    from starter.audit_cli import replay_archive
    counted: list[tuple[int, int]] = []

    async def audit() -> None:
        outcomes, events = await replay_archive(HistoryArchive(archive_folder), pool)
        if not all(o.ok for o in outcomes):
            raise RuntimeError("yuqing's replay failed a history")
        counted.append((len(outcomes), events))

    await audit()  # counts the events, and warms up like the others
    histories, events = counted[0]
    rate = await timed(events, audit, lambda: pool.cpu_seconds if pool else 0.0)
    return rate, histories, events
