"""How long the `yuqing` command takes, as an operator runs it (a fresh process each time).

Usage: .venv/bin/python scripts/bench_cli.py [--runs 10] [--baseline OTHER_CHECKOUT]
Starts `yuqing dev` on free ports in a temporary folder, reports the example incident, then
times `yuqing --help`, `yuqing status ID` (a connect, a query and the JSON), `yuqing overdue
-o json` and `yuqing report` (already reported: a merge): the median wall-clock and CPU time.
``--baseline`` runs another checkout's CLI (e.g. a worktree of main) the same way, its runs
interleaved with these, so both see the same machine load.
"""

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workers.dev_server import free_ports  # noqa: E402

YUQING = str(Path(sys.executable).parent / "yuqing")


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(commands: list[tuple[list[str], dict[str, str], Path]],
          runs: int) -> list[tuple[float, float]]:
    """Median wall-clock and median CPU seconds (user + system) of one run of each command,
    their runs taken in turn: on a loaded machine the wall clock includes the wait for a
    core, the CPU time does not."""
    wall: list[list[float]] = [[] for _ in commands]
    cpu: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, (command, env, cwd) in enumerate(commands):
            started, cpu_before = time.perf_counter(), _cpu()
            result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                                    stdin=subprocess.DEVNULL)
            wall[index].append(time.perf_counter() - started)
            cpu[index].append(_cpu() - cpu_before)
            if result.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu)]


def until_ok(args: list[str], env: dict[str, str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while subprocess.run([YUQING, *args], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise SystemExit(f"yuqing {' '.join(args)} never succeeded")
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--baseline", type=Path, help="another checkout whose CLI to time too")
    options = parser.parse_args()
    runs = options.runs
    with tempfile.TemporaryDirectory(prefix="yuqing-bench-cli-") as folder:
        work = Path(folder)
        port, ui_port = free_ports(2)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "YUQING_"))}
        env.update(TEMPORAL_CONFIG_FILE=os.devnull, TEMPORAL_ADDRESS=f"127.0.0.1:{port}",
                   YUQING_KEYS_FILE=str(work / "var" / "keys.json"))
        dev = subprocess.Popen(
            [YUQING, "dev", "--port", str(port), "--ui-port", str(ui_port),
             "--db-filename", str(work / "temporal.db"), "--outbox", str(work / "outbox")],
            cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            start = json.loads((ROOT / "examples" / "nantong-routine.json").read_text("utf-8"))
            start["report"]["detected_at"] = (datetime.now(timezone(timedelta(hours=8)))
                                              - timedelta(minutes=5)).isoformat()
            report = work / "incident.json"
            report.write_text(json.dumps(start, ensure_ascii=False), encoding="utf-8")
            until_ok(["report", str(report)], env)
            until_ok(["status", start["incident_id"]], env)
            load = os.getloadavg()[0]
            print(f"yuqing CLI, {runs} runs each, a fresh process per run, load {load:.1f} on "
                  f"{os.cpu_count()} cores (median wall clock / median CPU time):")
            trees = {"this checkout": ([YUQING], env, work)}
            if options.baseline:  # run in the other tree: its sources come first on the path
                trees[str(options.baseline)] = ([sys.executable, "-m", "starter.cli"], env,
                                                options.baseline.resolve())
            for args in (["--help"], ["status", start["incident_id"]],
                         ["overdue", "-o", "json"], ["report", str(report)]):
                shown = " ".join(args).replace(str(report), "incident.json")
                results = timed([([*program, *args], tree_env, cwd)
                                 for program, tree_env, cwd in trees.values()], runs)
                for name, (wall, cpu) in zip(trees, results):
                    print(f"  yuqing {shown:<30}{wall:.3f} s / {cpu:.3f} s  ({name})")
        finally:
            os.killpg(dev.pid, signal.SIGTERM)
            dev.wait(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
