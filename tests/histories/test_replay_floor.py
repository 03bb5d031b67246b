"""The SDK's floor (benchmarks/replay_floor.py): its echo replays the recorded histories
command for command and fails when it leaves one out, so the floor that
scripts/bench_speed.py prints is a real replay, not a no-op."""

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from benchmarks import replay_floor
from benchmarks.replay_speed import each_of
from settings.keys import configured_converter
from tests.support.history_parts import load, recorded


def plannable() -> list:
    histories = []
    for history in recorded():
        try:
            replay_floor.plan_of(history)
        except replay_floor.UnknownEvent:
            continue
        histories.append(history)
    return histories


async def failures(histories) -> list:
    replayer = Replayer(workflows=[replay_floor.RecordedCommands],
                        data_converter=configured_converter(),
                        workflow_runner=UnsandboxedWorkflowRunner())
    results = await replayer.replay_workflows(each_of(histories), raise_on_replay_failure=False)
    return [failure for failure in results.replay_failures.values() if failure is not None]


async def test_the_echo_replays_the_recorded_routine_histories():
    histories = plannable()
    assert len(histories) >= 3 and "routine-nantong" in [h.workflow_id for h in histories]
    replay_floor.prepare(histories)
    assert await failures(histories) == []


@pytest.mark.parametrize("left_out", [
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_MARKER_RECORDED,
    EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES])
async def test_an_echo_that_leaves_a_command_out_does_not_replay(left_out):
    history = next(h for h in plannable() if left_out in {e.event_type for e in h.events})
    replay_floor.prepare([history])
    plan = replay_floor.PLANS[history.workflow_id]
    task = next(t for t in plan.tasks if any(e.event_type == left_out for e in t.commands))
    task.commands = [e for e in task.commands if e.event_type != left_out]
    found = await failures([history])
    assert len(found) == 1 and "Nondeterminism" in type(found[0]).__name__


def test_a_history_the_echo_does_not_know_is_refused_by_name():
    refused = [h.workflow_id for h in recorded() if h not in plannable()]
    assert refused  # a patch's marker, a continue-as-new: the routine histories have neither
    with pytest.raises(replay_floor.UnknownEvent, match=refused[0]):
        replay_floor.plan_of(load(refused[0]))
