"""Driving both workers: routine incidents start to end, and incidents left open."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path

from temporalio.client import Client, WorkflowHandle
from temporalio.converter import DataConverter

from benchmarks.raw_shape import RAW_TASK_QUEUE, UNSANDBOXED_TASK_QUEUE, RawShapeWorkflow
from domain.messages import IncidentStart
from starter.api import report_incident

ROOT = Path(__file__).resolve().parent.parent
ACTOR = {"actor": "基准测试"}


def rss_bytes(pid: int) -> int:
    """A process's resident memory, as Linux reports it."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


class WorkerProcess:
    """A benchmark worker (``benchmarks.worker_process``) and what can be read of it."""

    def __init__(self, kind: str, address: str, metrics_port: int, cache: int, outbox: Path,
                 wrapper: tuple[str, ...] = (), env: dict[str, str] | None = None):
        """``wrapper``: a command the worker runs under (a heap profiler)."""
        self.kind, self.metrics_port = kind, metrics_port
        self.process = subprocess.Popen(
            [*wrapper, sys.executable, "-m", "benchmarks.worker_process", kind, address,
             str(metrics_port), str(cache), str(outbox)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            stderr=(outbox.parent / f"{kind}-worker.log").open("a"),
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
        lines = []
        while (line := self.process.stdout.readline()) and line.strip() != "ready":
            lines.append(line)  # a wrapper's own notices come first
        if not line:
            raise RuntimeError(f"{kind} worker did not start: {''.join(lines)!r}")

    def rss_bytes(self) -> int:
        return rss_bytes(self.process.pid)

    def metrics(self) -> dict[str, float]:
        """The SDK's metrics, summed over labels: name → value."""
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        totals: dict[str, float] = {}
        for line in urllib.request.urlopen(url, timeout=10).read().decode().splitlines():
            if line and not line.startswith("#"):
                name = line.split("{", 1)[0].split(" ", 1)[0]
                totals[name] = totals.get(name, 0.0) + float(line.rsplit(" ", 1)[1])
        return totals

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def start_product(client: Client, tag: str) -> WorkflowHandle:
    """A routine Nantong incident (R2 一般, one unit), reported with its 研判."""
    start = IncidentStart.model_validate({
        "incident_id": f"BENCH-{tag}-{uuid.uuid4().hex[:8]}", "profile": "nantong-2017",
        "title": "基准测试 例行事件", **ACTOR,
        "report": {"platform": "留言板", "url": "https://example.org/bench",
                   "detected_at": datetime.now(timezone.utc).isoformat()},
        "analysis": {"category": "R2", "severity": "一般", "handling_hours": 72,
                     "units": [{"unit_id": "u1", "lead": True}]}})
    return await report_incident(client, start)


async def finish_product(handle: WorkflowHandle) -> None:
    """acknowledge → response → feedback → accepted, then the incident closes."""
    for name, fields in (("acknowledge", {}),
                         ("record_response", {"channel": "platform_reply", "summary": "已回复"}),
                         ("submit_feedback", {"summary": "已办理", "resolved": True}),
                         ("review_feedback", {"accepted": True})):
        await handle.signal(name, {**ACTOR, "unit_id": "u1", **fields})
    await handle.result()


def plain(client: Client) -> Client:
    """The same connection with the SDK's default converter: the raw workflow has no codec."""
    return Client(**{**client.config(), "data_converter": DataConverter.default})


async def start_raw(client: Client, tag: str, task_queue: str = RAW_TASK_QUEUE
                    ) -> WorkflowHandle:
    incident_id = f"RAW-{tag}-{uuid.uuid4().hex[:8]}"
    return await plain(client).start_workflow(RawShapeWorkflow.run, incident_id,
                                              id=incident_id, task_queue=task_queue)


async def start_raw_unsandboxed(client: Client, tag: str) -> WorkflowHandle:
    return await start_raw(client, f"u-{tag}", UNSANDBOXED_TASK_QUEUE)


async def finish_raw(handle: WorkflowHandle) -> None:
    for signal in (RawShapeWorkflow.acknowledge, RawShapeWorkflow.respond,
                   RawShapeWorkflow.feed_back):
        await handle.signal(signal)
    await handle.result()


# by worker kind (benchmarks.worker_process); the sandboxed product is driven like the product
STARTS = {"product": start_product, "product-sandboxed": start_product, "raw": start_raw,
          "raw-unsandboxed": start_raw_unsandboxed}
FINISHES = {"product": finish_product, "product-sandboxed": finish_product,
            "raw": finish_raw, "raw-unsandboxed": finish_raw}


async def _bounded(count: int, concurrency: int, one) -> list:
    gate = asyncio.Semaphore(concurrency)

    async def each(i: int):
        async with gate:
            return await one(i)

    return await asyncio.gather(*(each(i) for i in range(count)))


async def throughput_round(client: Client, kind: str, count: int, concurrency: int,
                           tag: str) -> tuple[float, list[str]]:
    """Incidents per second over ``count`` routine incidents run start to end."""
    start, finish = STARTS[kind], FINISHES[kind]

    async def one(i: int) -> str:
        handle = await start(client, f"{tag}-{i}")
        await finish(handle)
        return handle.id

    began = time.perf_counter()
    ids = await _bounded(count, concurrency, one)
    return count / (time.perf_counter() - began), ids


async def open_incidents(client: Client, kind: str, count: int, concurrency: int,
                         tag: str) -> None:
    """Start ``count`` incidents and leave them open (waiting for the acknowledgement)."""
    await _bounded(count, concurrency, lambda i: STARTS[kind](client, f"{tag}-{i}"))
