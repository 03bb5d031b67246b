"""Record an incident of workflow version 5 whose continued run the version 6 loop adopts.

Writes tests/histories/legacy-continued-v5-nantong.json (run 1: served by the release
before version 6; its 办理时限 is missed, 催办 starts the 催办宽限期 and sends a notice that
is not yet answered when the run continues as new) and
tests/histories/legacy-continued-adopted-v6-nantong.json (run 2: the current worker, whose
run loop takes both over, sends the notice again, lets the grace period fall due (督办) and
closes the case).

It needs a checkout of the release before workflow version 6, with a venv of its own:
    git worktree add --detach ../pre6 d5f64de~1
    python3 -m venv ../pre6/.venv && ../pre6/.venv/bin/pip install -e ../pre6
(or copy this repository's .venv there, ``pip install --no-deps -e .`` in it, and point
the scripts' shebangs at it). Usage:
    .venv/bin/python scripts/record_legacy_adoption.py [PRE6_CHECKOUT]   (default ../pre6)

Both workers share a local dev server (real time, so the handling time is short and the
deployment's grace periods are set short here) and a data directory of their own with a
fresh key. The 催办 notice cannot be written while run 1 lasts (its outbox folder is a file
then), so its activity is retrying when the run continues; the old worker (``scripts/
pre6_worker.py``) stops as its run continues, the outbox is repaired, the current worker
starts. Takes about four minutes.
"""

import asyncio
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from temporalio.api.enums.v1 import EventType, WorkflowExecutionStatus  # noqa: E402
from temporalio.client import WorkflowHandle  # noqa: E402

from settings.keys import throwaway_home  # noqa: E402
from temporal.data_converter import DATA_CONVERTER  # noqa: E402
from tests.support.recorded_scenarios import ACROSS_RELEASES  # noqa: E402
from tests.support.worker import incident_worker  # noqa: E402
from workers.local_server import start_local_server  # noqa: E402

HISTORIES = ROOT / "tests" / "histories"
RUN_1, RUN_2 = ACROSS_RELEASES
HANDLING_HOURS = 0.02  # W-HANDLE of 72 s: missed in run 1, 催办
GRACE_HOURS = 0.04  # 催办宽限期 (and 督办宽限期) of 144 s: it falls due in the adopted run
UNIT, ACTOR = "nt-zjj", "录制脚本"
RUNNING = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
CONTINUED = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW
MAX_SIGNALS = 10  # the least run budget (RunBudget): a flood of refusals hands over


def short_graces(home: Path) -> None:
    """Short grace periods in the deployment's settings."""
    (home / "yuqing.toml").write_text(
        f"[local_defaults]\nurge_grace_hours = {GRACE_HOURS}\n"
        f"supervise_grace_hours = {GRACE_HOURS}\n", encoding="utf-8")


def start_payload() -> dict:
    """The Nantong example (examples/nantong-routine.json), detected now, with a small budget."""
    start = json.loads((ROOT / "examples" / "nantong-routine.json").read_text("utf-8"))
    start["incident_id"] = f"NT-ADOPT-{datetime.now(timezone.utc):%Y%m%d%H%M%S}"
    start["report"]["detected_at"] = datetime.now(timezone.utc).isoformat()
    start["analysis"]["handling_hours"] = HANDLING_HOURS
    start["run_budget"] = {"max_signals": MAX_SIGNALS}
    return start


async def answered(handle: WorkflowHandle) -> None:
    """Every activity the run scheduled has answered (what it sent is on the record)."""
    for _ in range(120):
        described = await handle.describe()
        if not described.raw_description.pending_activities:
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("the run's deliveries did not answer")


async def retrying(handle: WorkflowHandle) -> None:
    """The 催办 notice's activity has failed once and waits for its next try."""
    for _ in range(360):
        pending = (await handle.describe()).raw_description.pending_activities
        if pending and all(a.attempt > 1 for a in pending):
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("no 催办 notice failed: is the outbox's folder still writable?")


async def taken(handle: WorkflowHandle) -> bool:
    """Whether the run is still open once it has taken every message sent: one at a time,
    or a message sent while the run hands over would fail its last task (unhandled)."""
    for _ in range(120):
        described = (await handle.describe()).raw_description
        if described.workflow_execution_info.status != RUNNING:
            return False
        if not described.HasField("pending_workflow_task"):
            return True
        await asyncio.sleep(0.2)
    raise RuntimeError("the old worker stopped taking messages")


async def send(handle: WorkflowHandle, name: str, **fields: object) -> None:
    await handle.signal(name, {"actor": ACTOR, **fields})
    await asyncio.sleep(1)


async def said(worker: asyncio.subprocess.Process, key: str) -> dict:
    """The next line of the old worker's that says ``key`` (its log lines are passed over)."""
    assert worker.stdout is not None
    while line := await worker.stdout.readline():
        if line.startswith(b"{") and key in (told := json.loads(line)):
            return told
    raise RuntimeError(f"the pre-v6 worker ended without saying {key}")


async def run_1(pre6: Path, target: str, outbox: Path, client) -> tuple[str, str]:
    """The old release's worker serves run 1 until it continues as new."""
    worker = await asyncio.create_subprocess_exec(
        str(pre6 / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "pre6_worker.py"),
        target, json.dumps(start_payload(), ensure_ascii=False), str(outbox),
        cwd=pre6, stdout=asyncio.subprocess.PIPE)
    try:
        started = await said(worker, "workflow_id")
        handle = client.get_workflow_handle(started["workflow_id"], run_id=started["run_id"])
        await send(handle, "acknowledge", unit_id=UNIT)
        await answered(handle)  # the form and the opening notices are written
        notices = outbox / "notifications"
        notices.mkdir(parents=True, exist_ok=True)
        notices.rename(outbox / "notifications.held")
        notices.write_text("not a folder: the outbox cannot take a notice\n", encoding="utf-8")
        await retrying(handle)  # W-HANDLE missed: 催办, its notice and its grace period
        while await taken(handle):  # refused messages until the run's budget is spent
            await handle.signal("acknowledge", {"actor": "洪水", "unit_id": "x"})
        await said(worker, "stood_down")
        if (await handle.describe()).raw_description.workflow_execution_info.status != CONTINUED:
            raise RuntimeError("run 1 did not continue as new")
        if await worker.wait():
            raise RuntimeError(f"the pre-v6 worker exited with {worker.returncode}")
    finally:
        if worker.returncode is None:  # a failed recording leaves no worker behind
            worker.kill()
    notices.unlink()  # repaired: the adopted run's try is written
    (outbox / "notifications.held").rename(notices)
    return started["workflow_id"], started["run_id"]


async def run_2(handle: WorkflowHandle) -> None:
    """The current worker takes the continued run: the grace period falls due in it, then
    the unit answers and the case closes."""
    described = await handle.describe()
    history = await handle.fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    carried = json.loads(started.input.payloads[0].data)
    from domain.engine.continuation import continued_from
    graces = continued_from(carried).graces
    grace_ends = max(g.ends_at for g in graces)
    wait = (grace_ends - datetime.now(timezone.utc)).total_seconds() + 5
    print(f"run {described.run_id}: waiting {wait:.0f} s for the grace period to fall due",
          flush=True)
    await asyncio.sleep(max(wait, 0))
    await send(handle, "record_response", unit_id=UNIT, channel="platform_reply",
               summary="已在留言板回复")
    await send(handle, "submit_feedback", unit_id=UNIT, summary="电梯已修复", resolved=True)
    await send(handle, "review_feedback", unit_id=UNIT, accepted=True)
    await handle.result()


def fired(events: list, kind: int) -> int:
    return sum(1 for e in events if e.event_type == kind)


async def main(pre6: Path) -> None:
    if not (pre6 / ".venv" / "bin" / "python").exists():
        raise SystemExit(f"no pre-v6 checkout with a venv at {pre6}: see this script's docstring")
    with throwaway_home(prefix="yuqing-adoption-") as home:  # deleted after, the key with it
        short_graces(home)
        outbox = home / "outbox"
        outbox.mkdir()
        async with await start_local_server(data_converter=DATA_CONVERTER) as env:
            target = env.client.service_client.config.target_host
            workflow_id, first_run = await run_1(pre6, target, outbox, env.client)
            print(f"{workflow_id}: run {first_run} continued as new; the old worker stopped",
                  flush=True)
            async with incident_worker(env.client, outbox):
                latest = env.client.get_workflow_handle(workflow_id)
                await run_2(latest)
                continued = await latest.fetch_history()
            legacy = await env.client.get_workflow_handle(
                workflow_id, run_id=first_run).fetch_history()
    for name, history in ((RUN_1, legacy), (RUN_2, continued)):
        failed = fired(history.events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) + fired(
            history.events, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)
        if failed:  # the old worker took a task of run 2 after all: not a clean hand-over
            raise SystemExit(f"{name}: {failed} failed workflow tasks; nothing written, run again")
    for name, history in ((RUN_1, legacy), (RUN_2, continued)):
        (HISTORIES / f"{name}.json").write_text(history.to_json(), encoding="utf-8")
        print(f"{name}: {len(history.events)} events")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "pre6"))
    sys.stdout.flush()
    os._exit(0)  # the SDK's Rust threads can abort CPython's finalization (scripts/count_actions.py)
