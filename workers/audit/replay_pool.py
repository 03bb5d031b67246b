"""Audit replay on every core (全核重放): histories split across replay processes.

Each history is read from its source (``workers.audit.history_sources``: an archived file
checked against its checksum, or bytes) only when a replayer asks for it. Each process
loads its own share and sends back one line per history; below the parallel threshold
three replayers share one process. Where a failing history diverged is searched
afterwards, in the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import multiprocessing
import os
import time
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from settings.keys import configured_converter
from workers.audit.history_sources import AlteredHistory, HistorySource
from workers.detached_start import DetachedStart, DetachedStartRunner, DetachedStartSandboxedRunner
from workflows import IncidentWorkflow

# Below this many events one process is quicker: starting the others costs about 1.5 s,
# which a second core repays from about 8,000 events (2,600 events/s per core).
PARALLEL_FROM_EVENTS = 10_000
BATCH = 50  # histories per task: small enough to even out, large enough to amortise
# Replayers side by side in one process: the SDK's replayer pushes one history and waits
# for it, so its core's work (off the GIL) and the workflow's Python never overlap; three
# over thirds of an audit overlap them (200 routine histories: 0-17% more events/s of the
# clock, noisy; `scripts/profile_replay.py FOLDER --in-flight 1,3`, which sets this).
IN_FLIGHT = 3
DEADLOCK_CODE = "[TMPRL1101]"  # the SDK's documented code for its deadlock detector
BROKEN_REPLAYER = "replayer failed:"  # how a share whose replayer broke fails its histories
MAX_NOTE_CHARS = 200
T = TypeVar("T")


@dataclass(frozen=True)
class Replayed:
    """What a replay process reports of one history (plain data: it crosses processes)."""

    index: int
    run_id: str = ""
    events: int = 0
    failure: str | None = None  # "Type: message" when the history does not replay
    failure_message: str = ""
    altered: str | None = None  # the file that failed its checksum
    note: str = ""  # a failure seen beside other replays that did not recur alone


def replayer(sandboxed: bool = False, interceptors: list | None = None) -> Replayer:
    """The audit replayer, running the workflow as the worker does. Unsandboxed by default,
    like the worker (README, 沙箱); the release guard in the tests replays in the sandbox too.

    Each workflow task runs on the SDK's own thread with its deadlock detector: running
    tasks inline (the SDK's ``debug_mode``) cost about 10% less CPU in an audit of 200
    routine histories, but a task that never returned would then hang the audit instead
    of failing its history after 2 s; an audit must end with a verdict, so it is not used."""
    runner = DetachedStartSandboxedRunner() if sandboxed else DetachedStartRunner()
    return Replayer(workflows=[IncidentWorkflow], data_converter=configured_converter(),
                    interceptors=[DetachedStart(), *(interceptors or [])], workflow_runner=runner)


async def each_of(histories: list[WorkflowHistory]) -> AsyncIterator[WorkflowHistory]:
    """The histories as the replayer's iterator takes them."""
    for history in histories:
        yield history


def run_id_of(history: WorkflowHistory) -> str:
    return history.events[0].workflow_execution_started_event_attributes.original_execution_run_id


async def replay_batch(batch: list[tuple[int, HistorySource]], sandboxed: bool) -> list[Replayed]:
    """One replayer over the batch in order, each history read only when the replayer asks
    for it; a history that fails or is altered is reported."""
    results: dict[int, Replayed] = {}
    handed: list[tuple[int, WorkflowHistory]] = []

    async def loaded() -> AsyncIterator[WorkflowHistory]:
        for index, source in batch:
            try:
                history = source.load()
            except AlteredHistory as error:
                results[index] = Replayed(index, altered=str(error))
                continue
            handed.append((index, history))
            yield history

    async with replayer(sandboxed).workflow_replay_iterator(loaded()) as replays:
        position = 0
        async for result in replays:
            index, history = handed[position]
            handed[position] = (index, None)  # type: ignore[assignment]  # replayed: let it go
            failure = result.replay_failure
            results[index] = Replayed(
                index, run_id_of(history), len(history.events),
                f"{type(failure).__name__}: {failure}" if failure else None,
                str(failure) if failure else "")
            position += 1
    return [results[index] for index, _ in batch]


def slices(items: list[T], size: int) -> list[list[T]]:
    """``items`` in consecutive slices of ``size`` (the last may be shorter)."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def split_in(items: list[T], parts: int) -> list[list[T]]:
    """``items`` in at most ``parts`` consecutive shares, as even as slices allow."""
    return slices(items, max(1, -(-len(items) // parts)))


async def replay_side_by_side(numbered: list[tuple[int, HistorySource]],
                              sandboxed: bool) -> list[Replayed]:
    """In this process, ``IN_FLIGHT`` replayers at once over consecutive shares, verdicts in
    order; a share whose replayer breaks fails its own histories only. A failure seen side
    by side is confirmed by one replayer alone: the replayers share the interpreter, so a
    heavy task (a flood of messages) could outlast the SDK's 2 s deadlock detector only
    there, and an audit must not fail a history for its neighbours' load."""
    shares = split_in(numbered, IN_FLIGHT)
    done = await asyncio.gather(*(replay_batch(part, sandboxed) for part in shares),
                                return_exceptions=True)
    replayed: list[Replayed] = []
    for part, result in zip(shares, done):
        if isinstance(result, Exception):  # reported per history, never raised
            replayed += _batch_failed(part, result, BROKEN_REPLAYER)
        elif isinstance(result, BaseException):
            raise result
        else:
            replayed += result
    failed = [at for at, result in enumerate(replayed) if _load_may_explain(result.failure)]
    if failed and len(shares) > 1:
        try:
            alone = await replay_batch([numbered[at] for at in failed], sandboxed)
        except Exception:  # noqa: BLE001 - broke again: the verdicts side by side stand
            return replayed
        for at, again in zip(failed, alone):
            if again.failure is None and again.altered is None:  # said, not hidden
                again = dataclasses.replace(again, note=(
                    f"beside other replays: {_in_short(replayed[at].failure)}; "
                    "alone: replayed"))
            replayed[at] = again
    return replayed


def _in_short(failure: str | None) -> str:
    """The deadlock detector's own sentence (the SDK wraps it in a dump of its completion,
    stack trace and all, some 2.7 KB), else the failure's first line, cut."""
    text = failure or ""
    if (start := text.find(DEADLOCK_CODE)) >= 0:
        return text[start:].split('"', 1)[0].split("\n", 1)[0][:MAX_NOTE_CHARS]
    return text.split("\n", 1)[0][:MAX_NOTE_CHARS]


def _load_may_explain(failure: str | None) -> bool:
    """Only what the neighbours' load can cause is tried again alone: the SDK's deadlock
    detector (its documented code TMPRL1101) or a replayer that broke. A nondeterminism
    error is the code's, and stands."""
    return failure is not None and (failure.startswith(BROKEN_REPLAYER)
                                    or DEADLOCK_CODE in failure)


def _replay_batch_in_process(batch: list[tuple[int, HistorySource]],
                             sandboxed: bool) -> tuple[list[Replayed], float]:
    """The batch's verdicts, and the CPU seconds this process spent on them (all threads)."""
    began = time.process_time()
    results = asyncio.run(replay_batch(batch, sandboxed))
    return results, time.process_time() - began


def _ready() -> None:
    """Each process of a warm pool, once: the SDK's runtime and a replayer built. A failure
    here (no keys) is left to each batch, which meets it again and reports it per history:
    a failing initializer would break the whole pool instead."""
    with contextlib.suppress(Exception):
        replayer()


def _batch_failed(batch: list[tuple[int, HistorySource]], error: BaseException,
                  broke: str = "replay process failed:") -> list[Replayed]:
    """A batch whose process (or replayer) broke (killed, out of memory): each of its
    histories fails with the reason, and every other batch's verdicts stand."""
    text = f"{type(error).__name__}: {error}"
    return [Replayed(index, failure=f"{broke} {text}") for index, _ in batch]


def cores() -> int:
    """The cores this process may use (a container's CPU set, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class WarmPool:
    """Replay processes started before any history is given to them (预热的重放进程).

    Below ``PARALLEL_FROM_EVENTS`` a pool started for one audit costs more (about 1.5 s of
    interpreter start-up) than a second core saves; a pool started ahead, by a process that
    audits more than once (or while a command reads its manifest), does not, so with one
    every audit is split across its processes, however small. ``cpu_seconds``: what its
    processes spent on histories, as each batch reports it: a measurement counts it too.
    """

    def __init__(self, processes: int | None = None) -> None:
        self.processes = processes or cores()
        self.cpu_seconds = 0.0
        # forkserver: a clean process with these modules loaded once, forked per worker
        # (a plain fork would copy the SDK's runtime threads half-alive).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        self.executor = ProcessPoolExecutor(max_workers=self.processes, mp_context=context,
                                            initializer=_ready)

    async def __aenter__(self) -> WarmPool:
        loop = asyncio.get_running_loop()  # one call per process: each is started and ready
        await asyncio.gather(*(loop.run_in_executor(self.executor, os.getpid)
                               for _ in range(self.processes)))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # waited for (off the loop): a process left behind would outlive a caller that
        # leaves by os._exit, holding its stdout open
        await asyncio.to_thread(self.executor.shutdown, wait=True, cancel_futures=True)

    async def replay(self, batches: list[list[tuple[int, HistorySource]]],
                     sandboxed: bool) -> list[Replayed]:
        loop = asyncio.get_running_loop()
        done = await asyncio.gather(*(loop.run_in_executor(
            self.executor, _replay_batch_in_process, batch, sandboxed) for batch in batches),
            return_exceptions=True)
        replayed: list[Replayed] = []
        for batch, result in zip(batches, done):
            if isinstance(result, BaseException):
                replayed += _batch_failed(batch, result)
            else:
                replayed += result[0]
                self.cpu_seconds += result[1]
        return replayed


async def replay_sources(sources: list[HistorySource], *, sandboxed: bool = False,
                         processes: int | None = None,
                         parallel_from: int = PARALLEL_FROM_EVENTS,
                         pool: WarmPool | None = None) -> list[Replayed]:
    """Every source replayed, in order: on all cores once there are enough events to repay
    starting the processes, or always on a warm ``pool``'s."""
    numbered = list(enumerate(sources))
    if pool is not None:
        share = max(1, min(BATCH, -(-len(numbered) // pool.processes)))
        return await pool.replay(slices(numbered, share), sandboxed)
    processes = processes or cores()
    if processes < 2 or sum(source.events for source in sources) < parallel_from:
        return await replay_side_by_side(numbered, sandboxed)
    async with WarmPool(processes) as started:
        return await started.replay(slices(numbered, BATCH), sandboxed)
