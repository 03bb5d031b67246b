"""temporal/cancellation.py: what a run awaits goes on through cancellation requests. Here on a
plain event loop; in a workflow, tests/workflows/test_hostile_input.py (a request while the
deployment's settings are read, and one while the incident waits)."""

import asyncio

import pytest

import temporal.cancellation
from temporal.cancellation import result_through, wait_through
from tests.support.plain_loop import settled, wait_condition


async def test_each_request_is_handed_over_and_the_result_still_comes():
    requests: list[str] = []
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    waiting = asyncio.create_task(result_through(answer, lambda: requests.append("refused")))
    for _ in range(2):
        await asyncio.sleep(0)
        waiting.cancel()  # a request to cancel the run, reaching what it awaits
        await asyncio.sleep(0)
    answer.set_result("settings")
    assert await waiting == "settings"
    assert requests == ["refused", "refused"] and not answer.cancelled()


async def test_what_is_awaited_cancelled_itself_is_no_request_and_is_raised():
    requests: list[str] = []
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    waiting = asyncio.create_task(result_through(answer, lambda: requests.append("refused")))
    await asyncio.sleep(0)
    answer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert requests == []


async def test_a_wait_hands_each_request_over_and_goes_on_till_done(monkeypatch):
    monkeypatch.setattr(temporal.cancellation.workflow, "wait_condition", wait_condition)
    requests: list[str] = []
    done = False
    waiting = asyncio.create_task(wait_through(lambda: done, lambda: requests.append("refused")))
    for _ in range(2):
        await settled()
        waiting.cancel()  # a request to cancel the run, reaching the wait
    await settled()
    assert requests == ["refused", "refused"] and not waiting.done()
    done = True
    assert await waiting is None
