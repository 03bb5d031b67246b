"""The run loop keeps the state at rest between tasks (``domain.engine.resting``), and
nothing else holds it meanwhile (no server: a recorded history replayed in part)."""

import gc
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from domain.engine.resting import Kept
from domain.engine.step import IncidentState
from workers.replay import _StatusCapture, replayer


def middle_of(name: str) -> WorkflowHistory:
    """A recorded history up to a task in the middle: the incident is still open."""
    recorded = Path(__file__).parents[1] / "histories" / f"{name}.json"
    history = WorkflowHistory.from_json("resting", recorded.read_text("utf-8"))
    tasks = [i + 1 for i, e in enumerate(history.events)
             if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED]
    return WorkflowHistory("resting", history.events[:tasks[len(tasks) // 2]])


async def test_in_the_workflow_nothing_holds_the_state_once_it_rests(monkeypatch):
    """As the worker runs new work (not a replay): after the task the state rests, and no
    sleeping coroutine still names it (a local in a frame would keep it all in memory)."""
    keep = Kept.__init__
    monkeypatch.setattr(Kept, "__init__", lambda self, start, state, noted, replaying:
                        keep(self, start, state, noted, replaying=lambda: False))
    capture = _StatusCapture()
    result = await replayer(interceptors=[capture]).replay_workflow(
        middle_of("one-run-loop-routine-nantong"))
    assert result.replay_failure is None
    kept = capture.latest.shell.kept
    assert kept.awake == {} and set(kept.resting) == {"start", "state"}
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, IncidentState)
            and o.status.incident_id.startswith("REC-routine")] == []
    assert not capture.latest.shell.closed and kept.state.status.stage.value != "closed"
