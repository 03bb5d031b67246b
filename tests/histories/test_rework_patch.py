"""A deliberate policy change behind workflow.patched: old histories keep the old path.

退回重办 without a new deadline after the handling deadline used to leave the unit
overdue at once; new incidents give it at least 24 hours from the review.
"""

from datetime import timedelta
from pathlib import Path

from temporalio.client import WorkflowHistory

from tests.support.markers import patches_recorded
from tests.support.recorded_scenarios import rework_after_deadline
from workers.audit.replay import replay_all, status_from_history
from domain.procedure.feedback import REWORK_PATCH

RECORDED = Path(__file__).parent / "rework-after-deadline-nantong.json"


def handling_window(status):
    return next(w for w in status.windows if w.id.value == "W-HANDLE")


def rework_review(status):
    return [e for e in status.timeline if e.action == "review_feedback"][0]


async def test_history_recorded_before_the_change_replays_the_old_path():
    history = WorkflowHistory.from_json("old", RECORDED.read_text("utf-8"))
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error
    status = await status_from_history(history)
    assert handling_window(status).state.value == "missed"  # overdue at once, as recorded
    assert any(e.action == "urge" for e in status.timeline)


async def test_new_incident_takes_the_new_path(env, worker):
    handle = await rework_after_deadline(env)
    status = await handle.result()
    window = handling_window(status)
    review = rework_review(status)
    assert window.deadline == review.at + timedelta(hours=24)
    assert window.state.value == "met" and not any(e.action == "urge" for e in status.timeline)
    history = await handle.fetch_history()
    assert REWORK_PATCH in patches_recorded(history)
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error
