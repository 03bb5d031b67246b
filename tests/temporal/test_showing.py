"""temporal/showing.py: the current details, on a plain event loop (Temporal's waits and the
details call stubbed). In a workflow: tests/workflows/test_flood.py (a flood of signals in
one task, rendered once)."""

import pytest

import temporal.showing
from temporal.showing import CurrentDetails
from tests.support.plain_loop import settled, wait_condition


class Stop(Exception):
    """Ends the details task when a test is done: a cancellation would not."""


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The details as the run sets them, one entry a render."""
    shown: list[str] = []
    monkeypatch.setattr(temporal.showing.workflow, "wait_condition", wait_condition)
    monkeypatch.setattr(temporal.showing.workflow, "set_current_details", shown.append)
    return shown


class Render:
    """What the details read: numbered versions, till the test stops the task."""

    def __init__(self) -> None:
        self.versions = 0
        self.stopping = False

    def __call__(self) -> str:
        if self.stopping:
            raise Stop
        self.versions += 1
        return f"第{self.versions}版"


async def stop(details: CurrentDetails, render: Render) -> None:
    render.stopping, details.stale = True, True
    assert details.task is not None
    with pytest.raises(Stop):
        await details.task


async def test_details_stale_many_times_before_the_task_runs_render_once(shown):
    details, render = CurrentDetails(), Render()
    details.keep_current(render)
    await settled()
    assert shown == []  # nothing stale yet
    for _ in range(3):  # three messages in one workflow task
        details.stale = True
    await settled()
    assert shown == ["第1版"] and not details.stale
    details.stale = True
    await settled()
    assert shown == ["第1版", "第2版"]
    await stop(details, render)


async def test_a_cancellation_request_does_not_end_the_details(shown):
    details, render = CurrentDetails(), Render()
    details.keep_current(render)
    await settled()
    assert details.task is not None
    for _ in range(2):
        details.task.cancel()  # a request to cancel the run, reaching what the task awaits
        await settled()
    assert not details.task.done()
    details.stale = True
    await settled()
    assert shown == ["第1版"]
    await stop(details, render)
