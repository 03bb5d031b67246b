"""One benchmark worker in its own process, so its memory is read alone (``/proc/PID``).

``python -m benchmarks.worker_process product|product-sandboxed|raw|raw-unsandboxed ADDRESS METRICS_PORT CACHE OUTBOX``:
the product worker is ``workers.run.build_worker`` as shipped (the ``[worker]`` tuning of
``yuqing.toml`` or ``$YUQING_CONFIG``, with the cache sized for the run); the raw worker is a default ``Worker`` with that cache size.
Both export the SDK's metrics on ``METRICS_PORT`` (Prometheus text) for the cache size
and the task latencies. Runs until its standard input closes.
"""

import asyncio
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from benchmarks.raw_shape import RAW_TASK_QUEUE, UNSANDBOXED_TASK_QUEUE, RawShapeWorkflow, noop
from starter.settings import load_worker_tuning
from settings.keys import configured_converter
from workers.logging import configure_logging
from workers.run import build_worker

# Set by scripts/heap_profile.py: leave without freeing what the cached incidents hold.
KEEP_MEMORY_AT_EXIT = "YUQING_BENCH_KEEP_MEMORY_AT_EXIT"


async def main(kind: str, address: str, metrics_port: int, cache: int, outbox: Path) -> None:
    configure_logging()  # as in production: logfmt lines on stderr (the parent's log file)
    runtime = Runtime(telemetry=TelemetryConfig(
        metrics=PrometheusConfig(bind_address=f"127.0.0.1:{metrics_port}")))
    if kind.startswith("product"):
        client = await Client.connect(address, runtime=runtime,
                                      data_converter=configured_converter())
        executor = ThreadPoolExecutor(max_workers=8)
        worker = build_worker(client, outbox, executor, archive_dir=outbox / "archive",
                              tuning=load_worker_tuning().model_copy(update={
                                  "max_cached_workflows": cache,
                                  "sandbox": kind == "product-sandboxed"}))
    else:
        client = await Client.connect(address, runtime=runtime)
        unsandboxed = {"workflow_runner": UnsandboxedWorkflowRunner()} \
            if kind == "raw-unsandboxed" else {}
        queue = UNSANDBOXED_TASK_QUEUE if unsandboxed else RAW_TASK_QUEUE
        worker = Worker(client, task_queue=queue, workflows=[RawShapeWorkflow],
                        activities=[noop], max_cached_workflows=cache, **unsandboxed)
    async with worker:
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        if os.environ.get(KEEP_MEMORY_AT_EXIT):  # a heap profiler then sees it all as kept
            os._exit(0)


if __name__ == "__main__":
    kind, address, port, cache, outbox = sys.argv[1:6]
    asyncio.run(main(kind, address, int(port), int(cache), Path(outbox)))
