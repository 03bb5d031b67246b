"""A probe for what a waiting workflow costs the worker, piece by piece.

One activity (a tiny or a 2,000-character payload), then waits for ever, holding 0 or 3
timers armed in one of three ways. ``scripts/probe_memory.py`` starts 1,000 of each
variant and reads the worker's resident growth: the differences price each piece.
"""

import asyncio
from datetime import timedelta

from temporalio import activity, workflow

PROBE_TASK_QUEUE = "memory-probe"
VARIANTS = ("small", "small-timers-nosummary", "small-timers-calllater", "small-timers",
            "big-timers")


@activity.defn(name="probe_noop")
async def noop(payload: str) -> str:
    return "ok"


@workflow.defn(name="MemoryProbe")
class MemoryProbe:
    @workflow.run
    async def run(self, variant: str) -> None:
        payload = "交" * 2000 if variant.startswith("big") else "x"
        await workflow.execute_activity(noop, payload, start_to_close_timeout=timedelta(seconds=30))
        hours = [3600 * (i + 1) for i in range(3 if "timers" in variant else 0)]
        if "nosummary" in variant:  # a sleeping task per timer, no summary for the UI
            armed = [asyncio.create_task(workflow.sleep(h)) for h in hours]
        elif "calllater" in variant:  # no task: the loop's timer handle alone
            loop = asyncio.get_running_loop()
            armed = [loop.call_later(h, lambda: None) for h in hours]
        else:  # as the incident arms its windows: a task and a summary each
            armed = [asyncio.create_task(workflow.sleep(h, summary=f"W-{i} 时限 单位"))
                     for i, h in enumerate(hours)]
        await workflow.wait_condition(lambda: False)
        del armed
