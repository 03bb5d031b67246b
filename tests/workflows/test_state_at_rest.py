"""The run loop keeps the state at rest between tasks (``domain.engine.resting``), and
nothing else holds it meanwhile (no server: a recorded history replayed in part)."""

import gc

from domain.engine.resting import Kept
from domain.engine.step import IncidentState
from tests.support.history_parts import middle_of
from workers.audit.replay import StatusCapture, replayer


async def test_in_the_workflow_nothing_holds_the_state_once_it_rests(monkeypatch):
    """As the worker runs new work (not a replay): after the task the state rests, and no
    sleeping coroutine still names it (a local in a frame would keep it all in memory)."""
    keep = Kept.__init__
    monkeypatch.setattr(Kept, "__init__", lambda self, start, state, noted, replaying:
                        keep(self, start, state, noted, replaying=lambda: False))
    capture = StatusCapture()
    result = await replayer(interceptors=[capture]).replay_workflow(
        middle_of("one-run-loop-routine-nantong"))
    assert result.replay_failure is None
    kept = capture.latest.shell.kept
    assert kept.awake == {} and set(kept.resting) == {"start", "state"}
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, IncidentState)
            and o.status.incident_id.startswith("REC-routine")] == []
    assert not capture.latest.shell.closed and kept.state.status.stage.value != "closed"
