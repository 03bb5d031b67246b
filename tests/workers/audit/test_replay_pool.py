"""Audit replay on every core: order kept, failures and altered files reported, not raised."""

import json
import time

from temporalio.client import WorkflowHistory
from temporalio.worker import (
    ExecuteWorkflowInput, Interceptor, WorkflowInboundInterceptor, WorkflowInterceptorClassInput,
)

from activities.archive import HistoryArchive
from tests.support.history_parts import HISTORIES, recorded
from workers.audit import replay_pool
from workers.audit.replay import outcomes_of, replay_all
from workers.audit.history_sources import HistorySource
from workers.audit.replay_pool import Replayed, replay_sources


def tampered() -> WorkflowHistory:
    data = json.loads((HISTORIES / "routine-nantong.json").read_text("utf-8"))
    scheduled = next(e for e in data["events"] if "activityTaskScheduledEventAttributes" in e)
    scheduled["activityTaskScheduledEventAttributes"]["activityType"]["name"] = "fax_the_form"
    return WorkflowHistory.from_json("tampered", data)


async def test_two_processes_replay_in_order_and_locate_the_divergence(monkeypatch):
    monkeypatch.setattr(replay_pool, "BATCH", 5)  # many batches across both processes
    histories = recorded() * 2 + [tampered()] + recorded()
    sources = [HistorySource.of(h) for h in histories]
    results = await replay_sources(sources, processes=2, parallel_from=1)
    assert [r.index for r in results] == list(range(len(histories)))
    assert [r.events for r in results] == [len(h.events) for h in histories]
    failed = [i for i, r in enumerate(results) if r.failure]
    assert failed == [len(recorded()) * 2]
    outcomes = await outcomes_of(sources, results)
    bad = outcomes[failed[0]]
    assert bad.workflow_id == "tampered" and "Nondeterminism" in bad.error
    assert bad.diverged_event_type == "ACTIVITY_TASK_SCHEDULED"


async def test_an_altered_archive_file_is_reported_by_the_process_that_read_it(tmp_path):
    archive = HistoryArchive(tmp_path)
    histories = [h for h in recorded() if h.workflow_id.startswith("routine")]
    for i, history in enumerate(histories * 3):  # archived under incident ids
        archive.save(WorkflowHistory(f"incident-T-{i}", history.events), None)
    entries = list(archive.manifest().entries.items())
    (tmp_path / entries[1][0]).write_text("{}", encoding="utf-8")
    sources = [HistorySource(e.workflow_id, path=str(tmp_path / rel), sha256=e.sha256,
                             events=e.events) for rel, e in entries]
    results = await replay_sources(sources, processes=2, parallel_from=1)
    assert [r.altered is not None for r in results] == [i == 1 for i in range(len(entries))]
    assert all(r.failure is None for r in results)


async def test_a_file_that_matches_its_checksum_but_is_no_history_is_reported(tmp_path):
    import hashlib
    sources = []
    for i, content in enumerate((b"{}", b"not json", b'{"events": []}')):
        path = tmp_path / f"bad-{i}.json"
        path.write_bytes(content)
        sources.append(HistorySource(f"incident-B-{i}", path=str(path),
                                     sha256=hashlib.sha256(content).hexdigest()))
    results = await replay_sources(sources)
    assert all(r.altered and "not a history" in r.altered for r in results)


async def test_a_history_without_its_start_never_passes_as_replayed():
    whole = next(h for h in recorded() if h.workflow_id == "routine-nantong")
    headless = WorkflowHistory("headless", whole.events[1:])
    empty = WorkflowHistory("empty", [])
    outcomes = await replay_all([headless, empty, whole])
    assert [o.ok for o in outcomes] == [False, False, True]
    assert all("not a history" in o.error for o in outcomes[:2])


async def test_a_broken_replayer_fails_its_share_of_histories_not_the_others(monkeypatch):
    """In one process the histories are shared among replayers side by side (IN_FLIGHT);
    one that breaks fails its own share (confirmed alone, where it breaks again), and the
    others' verdicts stand."""
    histories = recorded()[:2 * replay_pool.IN_FLIGHT]
    sources = [HistorySource.of(h) for h in histories]
    calls = []

    async def breaking(batch, sandboxed):
        calls.append([index for index, _ in batch])
        if any(source is sources[0] for _, source in batch):
            raise RuntimeError("killed")
        return await original(batch, sandboxed)

    original = replay_pool.replay_batch
    monkeypatch.setattr(replay_pool, "replay_batch", breaking)
    results = await replay_sources(sources)
    shares = [[2 * i, 2 * i + 1] for i in range(replay_pool.IN_FLIGHT)]
    assert calls == [*shares, [0, 1]]  # consecutive shares, then the failed ones alone
    assert [r.index for r in results] == list(range(len(histories)))
    assert [r.failure for r in results[:2]] == ["replayer failed: RuntimeError: killed"] * 2
    assert all(r.failure is None and r.events for r in results[2:])


class FirstReplayStalls(Interceptor):
    """The first workflow it sees blocks past the SDK's 2 s deadlock detector, as a heavy
    task could beside other replays; every later one runs as usual."""

    def __init__(self) -> None:
        self.stalled = False

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput):
        outer = self

        class Inbound(WorkflowInboundInterceptor):
            async def execute_workflow(self, input: ExecuteWorkflowInput):
                if not outer.stalled:
                    outer.stalled = True
                    time.sleep(2.5)  # blocks the workflow's thread: the detector fires
                return await super().execute_workflow(input)

        return Inbound


async def test_a_real_deadlock_seen_side_by_side_is_replayed_alone_and_said(monkeypatch):
    """A history whose task outlasted the SDK's deadlock detector (here: made to stall once)
    and replays cleanly alone is reported as replayed, with a short note saying what
    happened (the detector's sentence, not the SDK's 2.7 KB dump)."""
    sources = [HistorySource.of(h) for h in recorded()[:2 * replay_pool.IN_FLIGHT]]
    stalls = FirstReplayStalls()
    original = replay_pool.replayer
    monkeypatch.setattr(replay_pool, "replayer",
                        lambda sandboxed=False, interceptors=None: original(sandboxed, [stalls]))
    results = await replay_sources(sources)
    assert stalls.stalled
    assert all(r.failure is None and r.events for r in results)
    [noted] = [r for r in results if r.note]
    assert noted.note.startswith("beside other replays: [TMPRL1101] Potential deadlock detected")
    assert noted.note.endswith("; alone: replayed") and len(noted.note) < 300
    [outcome] = await outcomes_of([sources[noted.index]], [noted])
    assert outcome.ok and outcome.note == noted.note


async def test_a_nondeterminism_error_seen_side_by_side_stands(monkeypatch):
    """A failure that is the code's (not the neighbours' load) is never tried again."""
    sources = [HistorySource.of(h) for h in recorded()[:2 * replay_pool.IN_FLIGHT]]
    nondeterminism = "RuntimeError: [TMPRL1100] Nondeterminism error: …"
    calls = []

    async def failing_first(batch, sandboxed):
        calls.append([index for index, _ in batch])
        results = await original(batch, sandboxed)
        if batch[0][0] == 0:
            results[0] = Replayed(0, failure=nondeterminism)
        return results

    original = replay_pool.replay_batch
    monkeypatch.setattr(replay_pool, "replay_batch", failing_first)
    results = await replay_sources(sources)
    assert len(calls) == replay_pool.IN_FLIGHT  # nothing replayed again
    assert results[0].failure == nondeterminism and not results[0].note


async def test_a_warm_pool_splits_even_a_few_histories_and_counts_its_cpu():
    histories = recorded()[:3] + [tampered()]
    sources = [HistorySource.of(h) for h in histories]
    async with replay_pool.WarmPool(2) as pool:
        results = await replay_sources(sources, pool=pool)
        again = await replay_sources(sources, pool=pool)  # the same processes, still warm
    assert [r.index for r in results] == list(range(len(histories)))
    assert [bool(r.failure) for r in results] == [False, False, False, True]
    assert [r.events for r in again] == [r.events for r in results]
    assert pool.cpu_seconds > 0
