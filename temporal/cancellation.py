"""Waits a cancellation request does not end (取消请求). Temporal delivers a request to cancel
a workflow (the UI's button, ``temporal workflow cancel``) as ``CancelledError`` at whatever
the run awaits; a workflow that must go on hands each request to ``requested`` (to refuse and
record it) and waits on. Workflow code: awaited on the workflow's thread.
"""

import asyncio
from collections.abc import Callable
from typing import TypeVar

from temporalio import workflow

T = TypeVar("T")


async def wait_through(done: Callable[[], bool], requested: Callable[[], None]) -> None:
    """``workflow.wait_condition(done)``, through any cancellation request meanwhile."""
    while True:
        try:
            return await workflow.wait_condition(done)
        except asyncio.CancelledError:
            requested()


async def result_through(running: "asyncio.Future[T]", requested: Callable[[], None]) -> T:
    """What ``running`` (an activity, say) comes to, through any cancellation request
    meanwhile: shielded, so the request never reaches it. Should ``running`` itself be
    cancelled, that is no request: it is raised."""
    while True:
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            if running.cancelled():
                raise
            requested()
