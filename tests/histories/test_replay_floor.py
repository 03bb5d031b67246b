"""The SDK's floor (benchmarks/replay_floor.py): its echo replays the recorded histories
command for command and fails when it leaves one out or changes their order, so the floor
that scripts/bench_speed.py prints is a real replay, not a no-op."""

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from benchmarks import replay_floor
from benchmarks.replay_speed import each_of
from settings.keys import configured_converter
from tests.support.history_parts import load, middle_of, recorded

# Recorded histories the echo refuses: a patch's marker, or a run that continued as new.
REFUSED = {
    "emergency-office-duties-nantong": "marker core_patch",
    "explained-late-analysis-nantong": "marker core_patch",
    "legacy-continued-adopted-v6-nantong": "marker core_patch",
    "upgrade-consultation-liuzhou": "marker core_patch",
    "legacy-continued-v5-nantong": "EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW",
}


def plannable() -> list:
    return [h for h in recorded() if h.workflow_id not in REFUSED]


async def failures(histories) -> list:
    replayer = Replayer(workflows=[replay_floor.RecordedCommands],
                        data_converter=configured_converter(),
                        workflow_runner=UnsandboxedWorkflowRunner())
    results = await replayer.replay_workflows(each_of(histories), raise_on_replay_failure=False)
    return [failure for failure in results.replay_failures.values() if failure is not None]


async def test_the_echo_replays_every_recorded_history_it_does_not_refuse():
    histories = plannable()
    assert len(histories) == len(recorded()) - len(REFUSED) == 24
    replay_floor.prepare(histories)
    assert await failures(histories) == []


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_history_the_echo_cannot_reproduce_is_refused_by_name(name):
    with pytest.raises(replay_floor.UnknownEvent, match=f"{name}: {REFUSED[name]}"):
        replay_floor.plan_of(load(name))


def test_a_history_without_its_result_is_refused():
    with pytest.raises(replay_floor.UnknownEvent, match="no result"):
        replay_floor.plan_of(middle_of("routine-nantong"))


def one_with(kind: EventType.ValueType):
    history = next(h for h in plannable() if kind in {e.event_type for e in h.events})
    replay_floor.prepare([history])
    plan = replay_floor.PLANS[history.run_id]
    task = next(t for t in plan.tasks if any(e.event_type == kind for e in t.commands))
    return history, task


@pytest.mark.parametrize("left_out", [
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_MARKER_RECORDED,
    EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, EventType.EVENT_TYPE_TIMER_STARTED,
    EventType.EVENT_TYPE_TIMER_CANCELED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED],
    ids=EventType.Name)
async def test_an_echo_that_leaves_a_command_out_does_not_replay(left_out):
    history, task = one_with(left_out)
    at = next(i for i, e in enumerate(task.commands) if e.event_type == left_out)
    del task.commands[at]
    found = await failures([history])
    assert len(found) == 1
    if left_out == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        assert "the history has no result" in str(found[0])  # the echo has nothing to return
    else:
        assert "Nondeterminism" in type(found[0]).__name__


async def test_an_echo_that_swaps_two_commands_does_not_replay():
    history, task = one_with(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    at = next(i for i, e in enumerate(task.commands)
              if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    other = next(i for i, e in enumerate(task.commands)
                 if e.event_type != EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    task.commands[at], task.commands[other] = task.commands[other], task.commands[at]
    found = await failures([history])
    assert len(found) == 1 and "Nondeterminism" in type(found[0]).__name__
