"""Where a cached open incident's native memory goes: the SDK's Rust core, protobuf, Python.

Runs the product worker under heaptrack twice (warmed up with no incident left open, then
with N left open, waiting for the acknowledgement) and prints, per open incident, what the
worker still holds by who allocated it. Python's small objects live in its own arenas, which
heaptrack does not see: scripts/profile_memory.py counts those. A measurement, not a test.

Usage: .venv/bin/python scripts/heap_profile.py [N]   (default 500; about two minutes;
needs heaptrack and heaptrack_print on the PATH)
"""

import asyncio
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.drive import WorkerProcess, open_incidents, throughput_round  # noqa: E402
from benchmarks.memory import until_cached  # noqa: E402
from benchmarks.worker_process import KEEP_MEMORY_AT_EXIT  # noqa: E402
from workers.dev_server import DevServer, DevServerSettings, free_ports  # noqa: E402

CATEGORIES = (  # the first that a frame of the stack (innermost first) names
    ("protobuf messages (upb)", re.compile(r"upb", re.I)),
    ("SDK core (Rust)", re.compile(r"temporalio_sdk_core|temporal_sdk_bridge|temporalio_common")),
    ("Python objects over 512 B", re.compile(r"^(_?PyObject_(Malloc|Realloc|Calloc)|_?PyMem_)")),
)


def category(frames: list[str]) -> tuple[str, str]:
    """(category, the first frame outside the allocator) of one allocation stack."""
    for depth, frame in enumerate(reversed(frames)):
        for name, pattern in CATEGORIES:
            if pattern.search(frame):
                caller = frames[-depth - 2] if depth + 1 < len(frames) else frame
                return name, (caller if name.startswith("Python") else frame)
    return "other", frames[-1] if frames else ""


def kept(stacks: Path) -> tuple[collections.Counter, collections.Counter]:
    by_category: collections.Counter[str] = collections.Counter()
    by_site: collections.Counter[tuple[str, str]] = collections.Counter()
    for line in stacks.read_text(errors="replace").splitlines():
        stack, _, cost = line.rpartition(" ")
        if not cost.isdigit() or not int(cost):
            continue
        name, site = category(stack.split(";"))
        by_category[name] += int(cost)
        by_site[(name, site.split(" (")[0])] += int(cost)
    return by_category, by_site


def demangled(names: list[str]) -> list[str]:
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True)
    cleaned = []
    for name in (out.stdout.splitlines() if out.returncode == 0 else names):
        name = re.sub(r"\[[0-9a-f]+\]|::h[0-9a-f]{16}", "", name)
        while re.search(r"<[^<>]*>", name):
            name = re.sub(r"<[^<>]*>", "", name)
        cleaned.append(name[-90:])
    return cleaned


async def profile(client, address: str, count: int, folder: Path) -> Path:
    """heaptrack's kept-memory stacks of a worker that cached ``count`` open incidents."""
    output = folder / f"heap-{count}"
    worker = WorkerProcess("product", address, free_ports(1)[0], count + 100, folder / "outbox",
                           wrapper=("heaptrack", "-o", str(output)),
                           env={KEEP_MEMORY_AT_EXIT: "1"})
    try:
        await throughput_round(client, "product", 20, 10, f"warm-{count}")
        await open_incidents(client, "product", count, 50, f"open-{count}")
        await until_cached(worker, count)
    finally:
        worker.close()
    [recorded] = folder.glob(f"heap-{count}.*")
    stacks = folder / f"stacks-{count}.txt"
    subprocess.run(["heaptrack_print", "-f", str(recorded), "--flamegraph-cost-type", "leaked",
                    "-F", str(stacks)], check=True, capture_output=True)
    return stacks


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        settings = DevServerSettings.on_free_ports(folder / "temporal.db")
        async with DevServer(settings) as server:
            base = kept(await profile(server.client, settings.address, 0, folder))
            full = kept(await profile(server.client, settings.address, count, folder))
    print(f"\nkept by the worker per open incident ({count} open, less a worker with none):")
    for name in [*(c for c, _ in CATEGORIES), "other"]:
        print(f"  {(full[0][name] - base[0][name]) / count / 1024:6.1f} KB  {name}")
    sites = sorted(((full[1][key] - base[1].get(key, 0), key) for key in full[1]), reverse=True)
    top = [(size, key) for size, key in sites if size / count >= 512][:12]
    print("\nthe largest sites (allocating function):")
    for (size, (name, _)), site in zip(top, demangled([key[1] for _, key in top])):
        print(f"  {size / count / 1024:6.1f} KB  {name:<26} {site}")


if __name__ == "__main__":
    if not (shutil.which("heaptrack") and shutil.which("heaptrack_print")):
        sys.exit("heap_profile.py needs heaptrack and heaptrack_print (apt install heaptrack)")
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
    sys.stdout.flush()
    os._exit(0)
