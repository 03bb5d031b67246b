"""Where ``yuqing audit replay``'s time goes (cProfile), on histories kept between runs.

The first run starts a dev server, runs N routine incidents on the product worker and N of
the raw workflow (unsandboxed), archives the product's histories as the archiver does and
keeps the raw ones as JSON, all in FOLDER. Later runs reuse them (no server), so a change
can be profiled and timed in seconds. Prints the marginal rates (as scripts/bench_speed.py
--replay-only computes them), the SDK's floor on the same histories (the Replayer with a
workflow that only echoes each history's recorded commands: ``benchmarks.replay_floor``)
and, with --profile, the functions the audit replay spends its CPU in.

``--in-flight 1,3`` instead times the one-process audit with each number of replayers side
by side (``workers.audit.replay_pool.IN_FLIGHT``), in turn, twice over.

Usage: .venv/bin/python scripts/profile_replay.py FOLDER [--count 200] [--profile]
       [--sort tottime|cumulative] [--top 40] [--in-flight 1,3]
"""

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from temporalio.client import WorkflowHistory  # noqa: E402

from activities.archive import HistoryArchive  # noqa: E402
from benchmarks.drive import WorkerProcess, throughput_round  # noqa: E402
from benchmarks.replay_speed import (  # noqa: E402
    against, events_in, floor_rates, product_audit_replay, product_replayer, raw_replayer,
)
from workers.dev_server import DevServer, DevServerSettings, free_ports  # noqa: E402
from workers.audit.replay_pool import WarmPool  # noqa: E402


async def record(folder: Path, count: int) -> None:
    """N routine incidents of each kind run to their end; the product's archived, the raw kept."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = DevServerSettings.on_free_ports(Path(scratch) / "temporal.db")
        async with DevServer(settings) as server:
            client, ids = server.client, {}
            for kind in ("product", "raw-unsandboxed"):
                worker = WorkerProcess(kind, settings.address, free_ports(1)[0], 2000,
                                       Path(scratch) / "outbox")
                try:
                    _, ids[kind] = await throughput_round(client, kind, count, 20, "profile")
                finally:
                    worker.close()
            product = [await client.get_workflow_handle(i).fetch_history()
                       for i in ids["product"]]
            raw = [await client.get_workflow_handle(i).fetch_history()
                   for i in ids["raw-unsandboxed"]]
    HistoryArchive(folder / "archive").save_all([(h, None) for h in product])
    (folder / "raw.json").write_text(json.dumps(
        [{"workflow_id": h.workflow_id, "history": json.loads(h.to_json())} for h in raw]))


def raw_histories(folder: Path) -> list[WorkflowHistory]:
    return [WorkflowHistory.from_json(item["workflow_id"], item["history"])
            for item in json.loads((folder / "raw.json").read_text())]


async def compare_in_flight(folder: Path, counts: list[int]) -> None:
    """The one-process audit's rate with each number of replayers side by side, in turn."""
    from workers.audit import replay_pool
    for count in counts * 2:
        replay_pool.IN_FLIGHT = count
        rate, histories, events = await product_audit_replay(folder / "archive")
        print(f"  {count} replayer(s) side by side, {histories} histories ({events:,} events): "
              f"{rate.wall:,.0f} | {rate.cpu:,.0f} events/s of the clock | of CPU", flush=True)


async def main(args) -> None:
    folder = args.folder
    if not (folder / "raw.json").exists():
        folder.mkdir(parents=True, exist_ok=True)
        await record(folder, args.count)
    if args.in_flight:
        await compare_in_flight(folder, [int(n) for n in args.in_flight.split(",")])
        return
    raw = raw_histories(folder)
    raw_rate = await raw_replayer(raw)
    audit, histories, events = await product_audit_replay(folder / "archive")
    in_memory_histories = HistoryArchive(folder / "archive").histories()
    in_memory = await product_replayer(in_memory_histories)
    floors = await floor_rates(in_memory_histories)
    async with WarmPool() as pool:
        pooled, _, _ = await product_audit_replay(folder / "archive", pool)
    print(f"load {os.getloadavg()[0]:.1f}; events/s of the clock | of CPU (marginal):\n"
          f"  raw Replayer, {len(raw)} raw histories ({events_in(raw):,} events): "
          f"{raw_rate.wall:,.0f} | {raw_rate.cpu:,.0f}\n"
          f"  audit replay --from-archive, {histories} histories ({events:,} events): "
          f"{against(audit, raw_rate)}\n"
          f"  … on a warm pool of {pool.processes} processes: {against(pooled, raw_rate)}\n"
          f"  yuqing's replayer alone, the same histories in memory: "
          f"{against(in_memory, raw_rate)}", flush=True)
    for replayers, floor in floors:
        print(f"  the SDK's floor on the same histories (an echo of their commands), "
              f"{replayers} replayer(s) side by side: {against(floor, raw_rate)}", flush=True)
    if args.profile:
        from starter.audit_cli import replay_archive
        profiler = cProfile.Profile()
        profiler.enable()
        await replay_archive(HistoryArchive(folder / "archive"))
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--in-flight", default="", help="e.g. 1,3: compare replayers side by side")
    asyncio.run(main(parser.parse_args()))
    sys.stdout.flush()
    os._exit(0)  # the SDK's Rust threads can abort CPython's finalization
