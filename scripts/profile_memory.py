"""Where a cached open incident's Python memory goes (tracemalloc), beside its resident size.

Runs one dev server and the product worker in this process, opens N routine incidents
(reported with their 研判, left waiting for the acknowledgement), and prints the Python
allocations still live per incident, grouped by the innermost line of yuqing (or of the
SDK) that made them. What the resident figure of scripts/bench_speed.py holds beyond this
is outside Python's heap: the SDK's Rust core and protobuf messages.

Usage: .venv/bin/python scripts/profile_memory.py [N]   (default 300; about a minute)
"""

import asyncio
import collections
import gc
import os
import sys
import tempfile
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.drive import open_incidents, throughput_round  # noqa: E402
from workers.dev_server import DevServer, DevServerSettings  # noqa: E402
from workers.run import build_worker  # noqa: E402
from workers.tuning import WorkerTuning  # noqa: E402



PRODUCT = tuple(str(ROOT / package) for package in
                ("domain", "workflows", "activities", "workers", "starter"))


def place(trace: tracemalloc.Traceback) -> str:
    """The innermost line of the product that allocated it, else the SDK's own line."""
    ours = [f for f in trace if f.filename.startswith(PRODUCT)]
    if ours:
        return f"{Path(ours[-1].filename).relative_to(ROOT)}:{ours[-1].lineno}"
    return f"(SDK, asyncio) {Path(trace[-1].filename).name}:{trace[-1].lineno}"


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        settings = DevServerSettings.on_free_ports(folder / "temporal.db")
        async with DevServer(settings) as server:
            client = server.client
            worker = build_worker(client, folder / "outbox", ThreadPoolExecutor(8),
                                  folder / "archive", WorkerTuning())
            async with worker:
                await throughput_round(client, "product", 10, 5, "warm")
                await asyncio.sleep(1)
                gc.collect()
                tracemalloc.start(25)
                before = tracemalloc.take_snapshot()
                await open_incidents(client, "product", count, 20, "open")
                await asyncio.sleep(max(20.0, count / 10))  # the worker opens ~20 a second
                gc.collect()
                after = tracemalloc.take_snapshot()
                tracemalloc.stop()
    places: collections.Counter[str] = collections.Counter()
    for stat in after.compare_to(before, "traceback"):
        places[place(stat.traceback)] += stat.size_diff
    total = sum(places.values())
    print(f"Python allocations live per open incident: {total / count / 1024:.1f} KB "
          f"({count} incidents; includes the client's handles in this process)")
    for where, size in places.most_common(15):
        print(f"  {size / count / 1024:6.1f} KB  {where}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
    sys.stdout.flush()
    os._exit(0)
