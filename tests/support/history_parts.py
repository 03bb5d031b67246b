"""The recorded histories (tests/histories), whole or in part: for tests that replay them
(an audit, a replay pool) or an open incident."""

from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

HISTORIES = Path(__file__).resolve().parents[1] / "histories"


def load(name: str) -> WorkflowHistory:
    """One recorded history, by its name (the file's, without ``.json``)."""
    return WorkflowHistory.from_json(name, (HISTORIES / f"{name}.json").read_text("utf-8"))


def recorded() -> list[WorkflowHistory]:
    """Every recorded history, in name order."""
    return [load(p.stem) for p in sorted(HISTORIES.glob("*.json"))]


def middle_of(name: str) -> WorkflowHistory:
    """A recorded history up to a task in the middle: the incident is still open."""
    recorded = HISTORIES / f"{name}.json"
    history = WorkflowHistory.from_json("resting", recorded.read_text("utf-8"))
    tasks = [i + 1 for i, e in enumerate(history.events)
             if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED]
    return WorkflowHistory("resting", history.events[:tasks[len(tasks) // 2]])
