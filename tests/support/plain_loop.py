"""Workflow waits on a plain asyncio loop, for unit tests of workflow code (no server)."""

import asyncio
from collections.abc import Callable


async def wait_condition(done: Callable[[], bool]) -> None:
    """``workflow.wait_condition`` without a workflow: ``done`` asked each time the loop runs
    the waiter (a workflow asks it once all else in the task has run)."""
    while not done():
        await asyncio.sleep(0)


async def settled() -> None:
    """Every task that is ready ran, and ran on till it waits again."""
    for _ in range(5):
        await asyncio.sleep(0)
