"""Windows as the procedure uses them: find one, meet one, re-plan them all after a change."""

from datetime import datetime

from domain.procedure.step import Step
from domain.profiles import WindowId
from domain.status import Assignment, IncidentStatus, Window, WindowState
from domain.windows import plan_windows, reconcile_windows


def window(status: IncidentStatus, window_id: WindowId, unit_id: str | None,
           seq: int = 1) -> Window | None:
    return next((w for w in status.windows if w.key == (window_id, unit_id, seq)), None)


def handle_deadline(status: IncidentStatus, assignment: Assignment, now: datetime) -> datetime:
    """The unit's current 办理期限 (W-HANDLE of its current round)."""
    found = window(status, WindowId.HANDLE, assignment.unit_id, assignment.round)
    return found.deadline if found else now


def meet(step: Step, window_id: WindowId, unit_id: str | None, action: str, at: datetime,
         seq: int | None = None) -> bool:
    """Record that ``action`` met the window; a missed one keeps its miss but gets met_at."""
    candidates = [w for w in step.status.windows
                  if w.id == window_id and w.unit_id == unit_id
                  and (seq is None or w.seq == seq) and w.met_at is None
                  and w.state in (WindowState.PENDING, WindowState.MISSED)]
    if not candidates:
        return False
    found = min(candidates, key=lambda w: w.seq)
    found.met_at, found.met_by = at, action
    if found.state == WindowState.PENDING or at <= found.deadline:
        found.state = WindowState.MET
    step.disarm(found)
    return True


def reconcile(step: Step, why: str) -> None:
    """Re-plan every window from the facts; re-arm only the timers whose deadline moved."""
    status = step.status
    changes = reconcile_windows(status, plan_windows(step.state.profile, status), step.now, why)
    for changed in changes.disarmed:
        step.disarm(changed)
    for changed in changes.armed:
        step.arm(changed)
    for assignment in status.assignments:
        found = window(status, WindowId.HANDLE, assignment.unit_id, assignment.round)
        if found is not None:
            assignment.handling_deadline = found.deadline
