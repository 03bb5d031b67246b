"""Worker memory per cached open incident: RSS growth over N incidents left open."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from temporalio.client import Client

from benchmarks.drive import WorkerProcess, open_incidents, throughput_round

CACHE_GAUGE = "temporal_sticky_cache_size"
SETTLE_SECONDS = 2.0


async def _cached(worker: WorkerProcess) -> float:
    return (await asyncio.to_thread(worker.metrics)).get(CACHE_GAUGE, 0.0)


async def until_cached(worker: WorkerProcess, count: int) -> int:
    """Wait (at most half an hour: 10,000 incidents on a busy 2-core machine) until the worker caches ``count`` incidents and the last
    tasks' deliveries have finished; how many it caches then."""
    deadline = time.monotonic() + 1800
    while await _cached(worker) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await asyncio.sleep(SETTLE_SECONDS)
    return int(await _cached(worker))


async def per_open_incident(client: Client, address: str, kind: str, count: int,
                            metrics_port: int, outbox: Path) -> tuple[int, float]:
    """(bytes per cached open incident, incidents cached) on a fresh worker process."""
    worker = WorkerProcess(kind, address, metrics_port, count + 100, outbox)
    try:
        await throughput_round(client, kind, 20, 10, f"warm-{kind}-{count}")
        await asyncio.sleep(SETTLE_SECONDS)
        before = worker.rss_bytes()
        await open_incidents(client, kind, count, 50, f"open-{kind}-{count}")
        cached = await until_cached(worker, count)
        return (worker.rss_bytes() - before) // max(cached, 1), cached
    finally:
        worker.close()
