"""Windows as the procedure uses them: find one, meet one, re-plan them all after a change."""

from datetime import datetime

from domain.channel_windows import windows_met_by_v2
from domain.presentation import local_time
from domain.engine.step import SYSTEM_ACTOR, Step
from domain.profiles import WindowId
from domain.rules_version import rules_of
from domain.status import OFFICE, Assignment, IncidentStatus, Window, WindowState
from domain.windows import plan_windows, reconcile_windows


def window(status: IncidentStatus, window_id: WindowId, unit_id: str | None,
           seq: int = 1) -> Window | None:
    for found in status.windows:  # (a plain loop: asked many times at every step)
        if found.id == window_id and found.unit_id == unit_id and found.seq == seq:
            return found
    return None


def handle_deadline(status: IncidentStatus, assignment: Assignment, now: datetime) -> datetime:
    """The unit's current 办理期限 (W-HANDLE of its current round)."""
    found = window(status, WindowId.HANDLE, assignment.unit_id, assignment.round)
    return found.deadline if found else now


def _settle(found: Window, at: datetime, action: str) -> None:
    """Met on time, or (after its deadline) a miss that was made good late (补办)."""
    found.met_at, found.met_by = at, action
    if found.state == WindowState.PENDING and at <= found.deadline:
        found.state = WindowState.MET
    elif found.state == WindowState.PENDING:
        found.state = WindowState.MISSED


def meet(step: Step, window_id: WindowId, unit_id: str | None, action: str, at: datetime,
         seq: int | None = None, by: list[str] | None = None) -> Window | None:
    """Record that ``action`` met the window; a missed one keeps its miss but gets met_at.

    ``by``: the units that acted (A-EACH); the window is met only if it is theirs.
    """
    candidates = [w for w in step.status.windows
                  if w.id == window_id and w.unit_id == unit_id
                  and (seq is None or w.seq == seq) and w.met_at is None
                  and w.state in (WindowState.PENDING, WindowState.MISSED)
                  and (by is None or answers_for(w, by))]
    if not candidates:
        return None
    found = min(candidates, key=lambda w: w.seq)
    late_is_miss = rules_of(step.status).late_action_is_miss
    if late_is_miss and at < _opens_at(step.status, found):
        return None  # a back-dated release cannot meet a W-CONT cycle that began after it
    if late_is_miss:
        # A late action (its timer not yet fired in this activation) is a miss made good.
        was_pending = found.state == WindowState.PENDING
        _settle(found, at, action)
        if was_pending and found.state == WindowState.MISSED:
            # A-LOCAL (rules version 3): a local-default window's miss says so.
            local = rules_of(step.status).marks_each_local_default and not found.statutory
            step.record(SYSTEM_ACTOR, "window_missed",
                        f"{found.id.value}「{found.label}」超期（截止 {local_time(found.deadline)}），"
                        f"{local_time(at)} 补办" + ("（本地默认时限，非法定）" if local else ""),
                        rule=found.id.value, unit_id=found.unit_id, local_default=local)
    else:
        found.met_at, found.met_by = at, action
        if found.state == WindowState.PENDING or at <= found.deadline:
            found.state = WindowState.MET
    step.stop_waiting(found)
    return found


def met_by_entries(step: Step, name: str, message: object) -> None:
    """Meet the windows whose profile entry says this message meets them (``met_by``).

    SPEC §4's windows are met where their paragraph says; a profile's own window is
    met here, as its entry's functions decide, so no paragraph changes for it.
    """
    for rule in step.state.profile.met_by_messages:
        for found in [w for w in step.status.windows if w.id == rule.window
                      and w.met_at is None and w.state != WindowState.NOT_APPLICABLE]:
            if any(meets(found, message) for meets in rule.met_by):
                meet(step, found.id, found.unit_id, name, step.now, found.seq)


def answers_for(found: Window, units: list[str]) -> bool:
    """A-EACH: an action by ``units`` meets only their windows (and makes good the office's)."""
    owners = [found.unit_id] if found.unit_id else found.owed_by
    return OFFICE in owners or any(u in owners for u in units)


def _opens_at(status: IncidentStatus, found: Window) -> datetime:
    """When a window began: W-CONT's later cycles at the release that met the one before."""
    if found.id == WindowId.CONT and found.seq > 1:
        previous = window(status, WindowId.CONT, None, found.seq - 1)
        if previous is not None and previous.met_at is not None:
            return previous.met_at
    return status.first_detected_at


def _earlier_action(status: IncidentStatus, found: Window) -> tuple[datetime, str] | None:
    """What already happened that meets a window created just now (SPEC §4)."""
    if found.id == WindowId.ACK:
        assignment = status.assignment(found.unit_id or "")
        if assignment and assignment.round == found.seq and assignment.acknowledged_at:
            return assignment.acknowledged_at, "acknowledge"
        return None
    per_unit = rules_of(status).response_per_unit
    if found.unit_id is not None and not per_unit:
        return None
    after = _opens_at(status, found) if found.id == WindowId.CONT and found.seq > 1 else None
    for response in sorted(status.responses, key=lambda r: r.published_at):
        if after is not None and response.published_at <= after:
            continue
        if per_unit and not answers_for(found, response.units):
            continue
        if found.id in windows_met_by_v2(response.channel,
                                         response.head_or_spokesperson_attended):
            return response.published_at, f"record_response:{response.channel.value}"
    return None


def _credit_earlier(step: Step, found: Window) -> bool:
    """A window that appears later (severity raised, K4 added) counts what already happened."""
    earlier = _earlier_action(step.status, found)
    if earlier is None:
        return False
    at, action = earlier
    _settle(found, at, action)
    unit = f"{found.unit_id} " if found.unit_id else ""
    outcome = "按时完成" if found.state == WindowState.MET else "超期后补办"
    step.record(SYSTEM_ACTOR, "window_credited",
                f"{unit}{found.id.value}「{found.label}」由此前的 {action}"
                f"（{local_time(at)}）满足：{outcome}", rule=found.id.value, unit_id=found.unit_id)
    return True


def reconcile(step: Step, why: str) -> None:
    """Re-plan every window from the facts; re-arm only the timers whose deadline moved."""
    status = step.status
    credits = rules_of(status).credits_earlier_actions
    credited_release = True
    while credited_release:  # each credited release may open the next W-CONT cycle
        changes = reconcile_windows(status, plan_windows(step.state.profile, status, step.now),
                                    step.now, why)
        for changed in changes.disarmed:
            step.stop_waiting(changed)
        credited_release = False
        for changed in changes.armed:
            if credits and _credit_earlier(step, changed):
                credited_release |= changed.id == WindowId.CONT
            else:
                step.wait_for(changed)
    for assignment in status.assignments:
        found = window(status, WindowId.HANDLE, assignment.unit_id, assignment.round)
        if found is not None:
            assignment.handling_deadline = found.deadline
