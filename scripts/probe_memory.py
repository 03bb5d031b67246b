"""What each piece of a waiting workflow costs the worker: timers, their summaries, payloads.

For each variant of ``benchmarks/probe_workflow.py``, a fresh unsandboxed worker process,
N workflows started and left waiting, and the growth of the worker's resident memory per
workflow. A measurement, not a test. Usage: .venv/bin/python scripts/probe_memory.py [N]
"""

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.drive import rss_bytes  # noqa: E402
from benchmarks.probe_workflow import PROBE_TASK_QUEUE, VARIANTS, MemoryProbe  # noqa: E402
from workers.dev_server import DevServer, DevServerSettings  # noqa: E402

SETTLE_SECONDS = 45  # the worker opens ~30 workflows a second on 2 cores



async def measure(client, address: str, variant: str, count: int) -> float:
    worker = subprocess.Popen([sys.executable, "-m", "benchmarks.probe_worker", address],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    worker.stdout.readline()
    try:
        for i in range(20):  # warm-up
            await client.start_workflow(MemoryProbe.run, variant, id=f"warm-{variant}-{i}",
                                        task_queue=PROBE_TASK_QUEUE)
        await asyncio.sleep(5)
        before = rss_bytes(worker.pid) // 1024
        gate = asyncio.Semaphore(50)

        async def one(i: int) -> None:
            async with gate:
                await client.start_workflow(MemoryProbe.run, variant, id=f"{variant}-{i}",
                                            task_queue=PROBE_TASK_QUEUE)
        await asyncio.gather(*(one(i) for i in range(count)))
        await asyncio.sleep(max(SETTLE_SECONDS, count / 25))
        return (rss_bytes(worker.pid) // 1024 - before) / count
    finally:
        worker.stdin.close()
        worker.wait()


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = DevServerSettings.on_free_ports(Path(scratch) / "temporal.db")
        async with DevServer(settings) as server:
            print(f"{count} waiting workflows per variant; resident growth per workflow:")
            for variant in VARIANTS:
                per = await measure(server.client, settings.address, variant, count)
                print(f"  {variant:<24} {per:6.1f} KB", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
    sys.stdout.flush()
    os._exit(0)
