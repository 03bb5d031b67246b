"""Fault suite (故障演练): try to freeze, end, lose or duplicate incidents on a real server.

Usage: .venv/bin/python scripts/fault_suite.py [--quick | --full]

Starts the embedded dev server on a fresh SQLite file and a separate `yuqing worker`
process, then:
  hostile   every hostile message of issue #10, as a signal and as an update
  flood     thousands of signals and merged reports at one incident (continue-as-new)
  big       signals near the server's 2 MB payload cap, until past 50 MB of history
  cancel    a cancellation request from a client
  closed    a report for an incident that has closed
  kill -9   the worker killed mid-activity, then restarted
  restart   the dev server stopped and restarted on its SQLite file
  and the tester's cases of issue #20 (scripts/fault_cases.py): a burst at the payload
  cap, a 10,000-signal flood (--full), 1.9 MB updates, a reused message_id, 交办单 ids
  that read alike, key rotation in the wrong order (--full) and a kill -9 loop of 30
  kills during 1,000 messages (--full),
and prints a table: tried / survived / lost / stuck. An incident *survived* when it is
still running (or closed by the procedure), answers its query, shows the refusal and still
takes a legitimate message; *lost* when it ended some other way (terminated, failed,
cancelled) or a delivery never arrived; *stuck* when it does not answer or does not move.
Exit code 1 when anything was lost or stuck. Not a timed test: it takes a few minutes.
"""

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from temporalio.client import Client, WorkflowExecutionStatus  # noqa: E402

from temporal.names import workflow_id_for  # noqa: E402
from domain.messages import IncidentStart  # noqa: E402
from starter.api import IncidentClosed, MessageRefused, report_incident, send_message  # noqa: E402
from workers.connect import connect_client  # noqa: E402
from settings.keys import throwaway_home  # noqa: E402
from workers.dev_server import DevServer, DevServerSettings  # noqa: E402
from scripts.fault_cases import TesterCases  # noqa: E402

UNIT = "u-zjj"
LONG = "长" * 40_000


def hostile_messages() -> dict[str, tuple[str, Any]]:
    """Issue #10's cases and more: each must be refused, recorded, and change nothing else."""
    return {
        "unit_id of 3,000 characters": ("analyze", {"units": [{"unit_id": "u" * 3000}]}),
        "40 units of 60 characters": ("analyze", {"units": [{"unit_id": f"{i:02d}" + "x" * 58}
                                                            for i in range(40)]}),
        "500 units": ("analyze", {"units": [{"unit_id": f"u{i}"} for i in range(500)]}),
        "handling_hours 1e9": ("analyze", {"handling_hours": 1e9}),
        "handling_hours -1": ("analyze", {"handling_hours": -1}),
        "extension until 9999": ("request_extension", {"unit_id": UNIT, "reason": "r",
                                                       "until": "9999-12-31T23:59:59-12:00"}),
        "report dated year 1": ("add_report", {"report": {
            "platform": "p", "url": "https://x/1", "detected_at": "0001-01-01T00:00:00+00:00"}}),
        "time without zone": ("request_extension", {"unit_id": UNIT, "reason": "r",
                                                    "until": "2026-12-31T00:00:00"}),
        "text of 120 KB": ("leader_instruction", {"text": LONG}),
        "nested 200 deep": ("supervise", {"reason": "r", "x": _nested(200)}),
        "a list": ("acknowledge", ["u-zjj"]),
        "a number": ("acknowledge", 42),
        "null": ("acknowledge", None),
        "unknown field": ("acknowledge", {"unit_id": UNIT, "unti_id": UNIT}),
        "unknown name": ("drop_all_tables", {"unit_id": UNIT}),
        "unknown unit": ("acknowledge", {"unit_id": "nobody"}),
        "control characters": ("acknowledge", {"unit_id": "u\x00\x07"}),
    }


def _nested(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@dataclass
class Row:
    tried: int = 0
    survived: int = 0
    lost: int = 0
    stuck: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, outcome: str, note: str = "") -> None:
        self.tried += 1
        setattr(self, outcome, getattr(self, outcome) + 1)
        if note and outcome != "survived":
            self.notes.append(note)


class Suite(TesterCases):
    def __init__(self, workdir: Path, quick: bool) -> None:
        self.workdir, self.quick = workdir, quick
        self.rows: dict[str, Row] = {}
        self.settings = DevServerSettings.on_free_ports(workdir / "temporal.db")
        self.server = DevServer(self.settings)
        self.worker: subprocess.Popen | None = None
        self.client: Client | None = None

    # ----------------------------------------------------------- processes

    def start_worker(self, keys: str | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "YUQING_"))}
        env.update(TEMPORAL_ADDRESS=self.settings.address, TEMPORAL_NAMESPACE="default",
                   TEMPORAL_CONFIG_FILE=os.devnull, YUQING_OUTBOX=str(self.workdir / "outbox"),
                   YUQING_HOME=str(self.workdir))  # its own keys and settings (fail closed)
        if keys:
            env["YUQING_KEYS"] = keys
        log_path = self.workdir / "worker.log"
        self.worker_log_from = log_path.stat().st_size if log_path.exists() else 0
        log = (self.workdir / "worker.log").open("a")
        self.worker = subprocess.Popen([str(Path(sys.executable).parent / "yuqing"), "worker"],
                                       env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)

    def kill_worker(self) -> None:
        if self.worker and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait()

    async def connect(self) -> None:
        self.client = await connect_client(target_host=self.settings.address, namespace="default")

    # ------------------------------------------------------------- helpers

    async def report(self, incident_id: str | None = None, unit: str = UNIT,
                     **analysis: Any) -> str:
        incident_id = incident_id or f"F-{uuid.uuid4().hex[:10]}"
        payload = {
            "incident_id": incident_id, "profile": "nantong-2017", "title": "故障演练",
            "actor": "演练", "report": {"platform": "留言板", "url": f"https://x/{incident_id}",
                                        "detected_at": datetime.now(timezone.utc).isoformat()},
            "analysis": {"category": "R2", "severity": "一般",
                         "units": [{"unit_id": unit, "lead": True}], **analysis}}
        await report_incident(self.client, IncidentStart.model_validate(payload))
        return incident_id

    async def judge(self, incident_id: str, *, expect_refusals: int = 0,
                    timeout: float = 30) -> tuple[str, str]:
        """survived / lost / stuck, with a note."""
        handle = self.client.get_workflow_handle(workflow_id_for(incident_id))
        try:
            description = await asyncio.wait_for(handle.describe(), timeout)
        except Exception as error:
            return "stuck", f"{incident_id}: describe failed ({error})"
        if description.status not in (WorkflowExecutionStatus.RUNNING,
                                       WorkflowExecutionStatus.COMPLETED):
            return "lost", f"{incident_id}: {description.status.name}"
        try:
            before = await asyncio.wait_for(handle.query("status"), timeout)
        except Exception as error:
            return "stuck", f"{incident_id}: query failed ({str(error)[:120]})"
        if before["refused_total"] < expect_refusals:
            return "stuck", f"{incident_id}: refusal not recorded"
        if description.status == WorkflowExecutionStatus.COMPLETED:
            return "survived", ""
        try:
            await asyncio.wait_for(send_message(self.client, incident_id, "leader_instruction",
                                                {"actor": "演练", "text": "仍可办理"}), timeout)
        except Exception as error:
            return "stuck", f"{incident_id}: a legitimate message failed ({str(error)[:120]})"
        return "survived", ""

    def row(self, name: str) -> Row:
        return self.rows.setdefault(name, Row())

    # ------------------------------------------------------------ scenarios

    async def hostile(self) -> None:
        for case, (name, payload) in hostile_messages().items():
            incident_id = await self.report()
            handle = self.client.get_workflow_handle(workflow_id_for(incident_id))
            wrapped = {"actor": "攻击者", **payload} if isinstance(payload, dict) else payload
            await handle.signal(name, wrapped)
            await asyncio.sleep(0.3)
            self.row("hostile signal").add(*await self.judge(incident_id, expect_refusals=1))
            try:
                await send_message(self.client, incident_id, name, wrapped)
                outcome = ("stuck", f"{case}: the update was accepted")
            except (MessageRefused, ValueError):
                outcome = await self.judge(incident_id)
            except Exception as error:  # an update the workflow rejects as unknown
                outcome = (await self.judge(incident_id)) if "未知消息" in str(error) else (
                    "stuck", f"{case}: {str(error)[:120]}")
            self.row("hostile update").add(*outcome)

    async def flood(self) -> None:
        incident_id = await self.report()
        handle = self.client.get_workflow_handle(workflow_id_for(incident_id))
        first_run = (await handle.describe()).run_id
        signals = 2_100 if self.quick else 10_000  # past the run budget: continue-as-new
        landed = 0

        async def one() -> int:
            try:
                await handle.signal("acknowledge", {"actor": "洪水", "unit_id": "x"})
                return 1
            except Exception:  # the server's own signal cap: refused to the sender
                return 0
        for start in range(0, signals, 50):
            landed += sum(await asyncio.gather(*(one() for _ in range(
                start, min(signals, start + 50)))))
        reports = 100 if self.quick else 400
        for i in range(reports):
            await handle.signal("add_report", {"actor": "洪水", "report": {
                "platform": "微博", "url": f"https://weibo/{i}",
                "detected_at": datetime.now(timezone.utc).isoformat()}})
        await asyncio.sleep(2)
        outcome, note = await self.judge(incident_id, expect_refusals=landed, timeout=120)
        if outcome == "survived" and (await handle.describe()).run_id == first_run:
            outcome, note = "stuck", f"{incident_id}: never continued as new"
        self.row(f"flood ({landed} of {signals} signals landed, {reports} reports)").add(
            outcome, note)

    async def big(self) -> None:
        await self.big_flood("1.9 MB", 620_000, 8 if self.quick else 30)
        # Just under the server's payload cap: the history passes 50 MB unless the
        # incident hands over to a new run in time.
        await self.big_flood("240 KB", 80_000, 60 if self.quick else 260)

    async def big_flood(self, size: str, characters: int, count: int) -> None:
        """``count`` instructions of ``characters`` Chinese characters (3 bytes each)."""
        incident_id = await self.report()
        handle = self.client.get_workflow_handle(workflow_id_for(incident_id))
        for _ in range(count):
            try:
                await handle.signal("leader_instruction", {"actor": "x", "text": "大" * characters})
            except Exception:
                pass  # the server may refuse a payload outright; that loses nothing
        await asyncio.sleep(2)
        self.row(f"big ({count} × {size})").add(*await self.judge(incident_id, timeout=60))

    async def cancel(self) -> None:
        incident_id = await self.report(key_criteria=["K2"])
        await self.client.get_workflow_handle(workflow_id_for(incident_id)).cancel()
        await asyncio.sleep(1)
        self.row("cancel request").add(*await self.judge(incident_id, expect_refusals=1))

    async def closed(self) -> None:
        incident_id = await self.report(category="R4")
        await send_message(self.client, incident_id, "withdraw", {"actor": "x", "reason": "重复"})
        await self.client.get_workflow_handle(workflow_id_for(incident_id)).result()
        payload = {"incident_id": incident_id, "profile": "nantong-2017", "title": "再报",
                   "actor": "x", "report": {"platform": "p", "url": "https://x/again",
                                            "detected_at": datetime.now(timezone.utc).isoformat()}}
        try:
            await report_incident(self.client, IncidentStart.model_validate(payload))
            self.row("report for a closed id").add("lost", "a second run was started")
        except IncidentClosed:
            self.row("report for a closed id").add("survived")

    async def kill_worker_mid_activity(self) -> None:
        ids = [await self.report() for _ in range(5)]
        self.kill_worker()  # forms and notices may be in flight
        ids += [await self.report() for _ in range(5)]
        self.start_worker()
        folder = self.workdir / "outbox" / "assignment_forms"
        for _ in range(120):  # an attempt cut off by the kill is retried after its timeout
            forms = list(folder.glob("*.json")) if folder.exists() else []
            if all(any(p.name.startswith(i) for p in forms) for i in ids):
                break
            await asyncio.sleep(1)
        for incident_id in ids:
            outcome, note = await self.judge(incident_id, timeout=60)
            if outcome == "survived" and not any(p.name.startswith(incident_id) for p in forms):
                outcome, note = "lost", f"{incident_id}: its 交办单 never reached the outbox"
            self.row("worker kill -9").add(outcome, note)

    async def restart_server(self) -> None:
        ids = [await self.report() for _ in range(3)]
        self.kill_worker()
        await self.server.stop()
        await self.server.start()
        await self.connect()
        self.start_worker()
        await asyncio.sleep(5)
        for incident_id in ids:
            self.row("dev server restart").add(*await self.judge(incident_id, timeout=60))

    def scenarios(self) -> list:
        quick = [self.hostile, self.cancel, self.closed, self.flood, self.big,
                 lambda: self.burst_at_the_cap(40 if self.quick else 260),
                 lambda: self.big_updates(1 if self.quick else 10),
                 self.reused_message_id, self.alike_ids,
                 self.kill_worker_mid_activity, self.restart_server]
        return quick if self.quick else [*quick, self.key_rotation_out_of_order, self.kill_loop]

    # ---------------------------------------------------------------- run

    async def run(self) -> int:
        async with self.server:
            await self.connect()
            self.start_worker()
            await asyncio.sleep(3)
            try:
                for scenario in self.scenarios():
                    await scenario()
                    for name, row in self.rows.items():  # progress, in case a later one hangs
                        print(f"  {name}: {row.tried} tried, {row.survived} survived, "
                              f"{row.lost} lost, {row.stuck} stuck", file=sys.stderr, flush=True)
            finally:
                self.kill_worker()
        return self.print_table()

    def print_table(self) -> int:
        print("\n| scenario | tried | survived | lost | stuck |\n|---|---|---|---|---|")
        total = Row()
        for name, row in self.rows.items():
            print(f"| {name} | {row.tried} | {row.survived} | {row.lost} | {row.stuck} |")
            for attr in ("tried", "survived", "lost", "stuck"):
                setattr(total, attr, getattr(total, attr) + getattr(row, attr))
        print(f"| **total** | {total.tried} | {total.survived} | {total.lost} | {total.stuck} |")
        for name, row in self.rows.items():
            for note in row.notes[:20]:
                print(f"- {name}: {note}")
        if not self.quick:
            print(self.kill_loop_line())
        return 1 if total.lost or total.stuck else 0



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="smaller floods, no kill loop (CI)")
    mode.add_argument("--full", action="store_true",
                      help="every case, the tester's included (the default)")
    parser.add_argument("--only", nargs="+", metavar="SCENARIO",
                        help="run only these scenarios (method names, e.g. kill_loop)")
    args = parser.parse_args()
    # the suite's own data directory and key, for its client and its workers alike
    with throwaway_home(prefix="yuqing-faults-") as workdir:
        suite = Suite(workdir, args.quick)
        if args.only:
            suite.scenarios = lambda: [getattr(suite, name) for name in args.only]
        return asyncio.run(suite.run())


if __name__ == "__main__":
    sys.exit(main())
