"""Deadline arithmetic (时限计算): which windows apply to an incident, and when they end.

``plan_windows`` turns the incident's facts into the windows that should exist
now; ``reconcile_windows`` compares them with the windows the incident already
has. Met and missed windows are history and never move; pending ones follow
the facts (a severity change, an approved extension, a returned assignment).
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from domain.profiles import Applicability, PolicyProfile, WindowId, WindowRule
from domain.rules_version import rules_of
from domain.status import OFFICE, Assignment, AssignmentState, IncidentStatus, Window, WindowState


@dataclass(frozen=True)
class PlannedWindow:
    id: WindowId
    unit_id: str | None
    seq: int
    hours: float
    deadline: datetime
    statutory: bool
    source: str
    owed_by: tuple[str, ...] = ()
    label: str = ""

    @property
    def key(self) -> tuple[WindowId, str | None, int]:
        return (self.id, self.unit_id, self.seq)


def _planned(rule: WindowRule, start: datetime, *, unit_id: str | None = None, seq: int = 1,
             hours: float | None = None, statutory: bool | None = None,
             source: str | None = None, owed_by: tuple[str, ...] = ()) -> PlannedWindow:
    hours = rule.hours if hours is None else hours
    return PlannedWindow(
        id=rule.window, unit_id=unit_id, seq=seq, hours=hours,
        deadline=start + timedelta(hours=hours),
        statutory=rule.statutory if statutory is None else statutory,
        source=rule.source if source is None else source, owed_by=owed_by,
        label=rule.shown_as,
    )


def _incident_rule_applies(rule: WindowRule, incident: IncidentStatus) -> bool:
    analyzed = incident.analyzed_at is not None  # (major_emergency asked only where it counts)
    match rule.applies_to:
        case Applicability.UNANALYZED:
            return not analyzed
        case Applicability.MAJOR_INCIDENT:
            return analyzed and incident.severity is not None and incident.severity.is_major
        case Applicability.MAJOR_EMERGENCY:
            return analyzed and incident.major_emergency
        case Applicability.MAJOR_EMERGENCY_HIGH_IMPACT:
            # Liuzhou: only where there are major casualties or large social
            # impact; a major emergency is presumed so unless 研判 says otherwise.
            return analyzed and incident.major_emergency and incident.high_impact is not False
        case Applicability.OTHER_INCIDENTS:
            return analyzed and not incident.major_emergency
    return False


def _assignment_windows(profile: PolicyProfile, rules: dict[WindowId, WindowRule],
                        incident: IncidentStatus, assignment: Assignment) -> list[PlannedWindow]:
    start, unit, seq = assignment.windows_from, assignment.unit_id, assignment.round
    planned = []
    version_rules = rules_of(incident)
    if not version_rules.ack_from_written_form:
        planned.append(_planned(rules[WindowId.ACK], start, unit_id=unit, seq=seq, owed_by=(unit,)))
    elif assignment.form_issued_at is not None:
        # The unit signs for the written form after receiving it (004 二(二)).
        planned.append(_planned(rules[WindowId.ACK], assignment.form_issued_at, unit_id=unit,
                                seq=seq, owed_by=(unit,)))

    handle = rules[WindowId.HANDLE]
    hours = assignment.handling_hours or incident.handling_hours
    set_by_office = hours is not None and profile.handling_set_at_assignment
    source = "南通 2017-12-22 二(二)3（交办时按轻重缓急设置）" if set_by_office else None
    window = _planned(handle, start, unit_id=unit, seq=seq, hours=hours,
                      statutory=True if set_by_office else None, source=source, owed_by=(unit,))
    if assignment.deadline_override is not None:
        window = replace(window, deadline=assignment.deadline_override)
    if assignment.deadline_override is not None and assignment.override_local_default:
        window = replace(window, statutory=False, source=REWORK_DEFAULT_SOURCE)
    planned.append(window)

    if assignment.emergency and WindowId.BACKFILL in rules:
        # The assigning office files the written form, never the unit (004 二(二)2).
        owner = (OFFICE,) if version_rules.backfill_owed_by_office else (unit,)
        planned.append(_planned(rules[WindowId.BACKFILL], start, unit_id=unit, seq=seq,
                                owed_by=owner))
    return planned


REWORK_DEFAULT_SOURCE = "本地默认（退回重办未定期限；004 二(四) 未规定重办期限）"


def held_when_due(incident: IncidentStatus, window: PlannedWindow, *, per_unit: bool,
                  now: datetime | None = None) -> list[PlannedWindow]:
    """A-HOLD, A-EACH: a public window is owed by whoever held the duty when it fell due.

    Units told of it by the deadline owe it (each its own W-RESP with ``per_unit``);
    with none, the office held the case and owes it. A unit told after the deadline
    (assigned late, or 研判调整 created the window after it passed) owes its form's
    答复时间: from being told, the same hours, a local default.
    """
    owners = window.owed_by
    known = _known_since(incident, window, now)
    told = {u: max(_assigned_at(incident, u), known) for u in owners}
    held = [u for u in owners if told[u] <= window.deadline]
    planned = ([replace(window, unit_id=u, owed_by=(u,)) for u in held] if per_unit
               else [replace(window, owed_by=tuple(held))] if held else [])
    if not held and not _held_by_a_returned_unit(incident, window):
        planned.append(replace(window, owed_by=(OFFICE,)))
    for unit in owners:
        if unit in held:
            continue
        start = told[unit]
        planned.append(replace(
            window, unit_id=unit, owed_by=(unit,), deadline=start + timedelta(hours=window.hours),
            statutory=False,
            source=f"本地默认：交办单答复时间（交办后 {window.hours:g} 小时；"
                   f"{window.source} 时限届满时尚未交办）"))
    return planned


def _known_since(incident: IncidentStatus, window: PlannedWindow,
                 now: datetime | None) -> datetime:
    """When the window first applied: recorded on its windows, else now (it is new)."""
    same = [w for w in incident.windows if w.id == window.id and w.seq == window.seq
            and w.state != WindowState.NOT_APPLICABLE]
    opened = [w.opened_at for w in same if w.opened_at is not None]
    if opened:
        return min(opened)
    if same or now is None:  # recorded before opened_at was kept
        return incident.first_detected_at
    return now


def _held_by_a_returned_unit(incident: IncidentStatus, window: PlannedWindow) -> bool:
    """A unit held the window when it fell due and has returned its assignment since:
    the miss stays that unit's record, and the office never owes it a second time."""
    return any(w.id == window.id and w.seq == window.seq and w.deadline == window.deadline
               and w.state == WindowState.MISSED and OFFICE not in w.owed_by
               for w in incident.windows)


def _assigned_at(incident: IncidentStatus, unit_id: str) -> datetime:
    assignment = incident.assignment(unit_id)
    assert assignment is not None  # owners are active assignments
    return assignment.assigned_at


def plan_windows(profile: PolicyProfile, incident: IncidentStatus,
                 now: datetime | None = None) -> list[PlannedWindow]:
    """Every window that applies to the incident as it stands ``now``."""
    if incident.stage.is_final:
        return []
    rules = {r.window: r for r in profile.rules(incident.local_defaults)}
    version_rules = rules_of(incident)
    planned: list[PlannedWindow] = []
    for rule in rules.values():
        if rule.applies_to in (Applicability.EVERY_ASSIGNMENT, Applicability.EMERGENCY_ASSIGNMENT):
            continue
        if not _incident_rule_applies(rule, incident):
            continue
        assert rule.runs_from.start and rule.owed_by.owners, f"{rule.window}: not an incident's"
        seq, start = rule.runs_from.start(incident)
        owner = rule.owed_by.owners(incident)
        if rule.window == WindowId.RESP and incident.response_hours is not None:
            planned.append(_planned(rule, start, hours=min(rule.hours, incident.response_hours),
                                    owed_by=owner))  # set shorter at 研判 (交办时可按轻重缓急)
        else:
            planned.append(_planned(rule, start, seq=seq, owed_by=owner))
        if version_rules.office_holds_unassigned and rule.owed_by.held:
            planned.extend(held_when_due(incident, planned.pop(), now=now,
                                         per_unit=version_rules.response_per_unit
                                         and rule.owed_by.per_unit))
    for assignment in incident.active_assignments:
        planned.extend(_assignment_windows(profile, rules, incident, assignment))
    return planned


@dataclass
class WindowChanges:
    """What the workflow must do to its timers after a reconcile."""

    armed: list[Window] = field(default_factory=list)  # start a timer for each
    disarmed: list[Window] = field(default_factory=list)  # cancel each timer


def reconcile_windows(incident: IncidentStatus, planned: list[PlannedWindow],
                      now: datetime, why: str) -> WindowChanges:
    """Bring ``incident.windows`` in line with ``planned``; say which timers change.

    A pending window whose deadline moved is re-armed; one that no longer
    applies becomes not_applicable with ``why``; a new one is armed even if
    its deadline has passed (the timer then fires at once and records the miss).
    """
    changes = WindowChanges()
    wanted = {p.key: p for p in planned}
    existing = {w.key: w for w in incident.windows}
    for window in incident.windows:
        if window.state != WindowState.PENDING:
            continue
        plan = wanted.get(window.key)
        if plan is not None:
            window.owed_by = list(plan.owed_by)
        if plan is None:
            window.state = WindowState.NOT_APPLICABLE
            window.note = why
            changes.disarmed.append(window)
        elif plan.deadline != window.deadline or plan.hours != window.hours:
            changes.disarmed.append(window)
            window.original_deadline = window.original_deadline or window.deadline
            window.deadline, window.hours = plan.deadline, plan.hours
            window.statutory, window.source = plan.statutory, plan.source
            window.note = f"时限重算：{why}"
            changes.armed.append(window)
    for key, plan in wanted.items():
        if key in existing and existing[key].state == WindowState.PENDING:
            continue
        if key in existing and existing[key].state != WindowState.NOT_APPLICABLE:
            continue  # met or missed: history, never re-opened here
        window = Window(
            id=plan.id, unit_id=plan.unit_id, seq=plan.seq, label=plan.label,
            hours=plan.hours, deadline=plan.deadline, statutory=plan.statutory,
            source=plan.source, owed_by=list(plan.owed_by),
            opened_at=now if rules_of(incident).office_holds_unassigned else None,
        )
        if key in existing:
            incident.windows[incident.windows.index(existing[key])] = window
        else:
            incident.windows.append(window)
        changes.armed.append(window)
    return changes


def next_deadline(incident: IncidentStatus) -> datetime | None:
    pending = [w.deadline for w in incident.windows if w.state == WindowState.PENDING]
    return min(pending) if pending else None


def is_overdue(incident: IncidentStatus) -> bool:
    """Some unit is late now; the office's own misses (W-BACKFILL) never make a unit overdue."""
    if incident.stage.is_final:
        return False
    office_too = rules_of(incident).office_misses_make_overdue
    return any(_late_now(incident, w) and (office_too or OFFICE not in w.owed_by)
               for w in incident.windows)


def overdue_windows(incident: IncidentStatus) -> list[str]:
    """The ids of the windows overdue now, the office's own included (OverdueWindows)."""
    if incident.stage.is_final:
        return []
    return sorted({w.id.value for w in incident.windows if _late_now(incident, w)})


def _late_now(incident: IncidentStatus, window: Window) -> bool:
    """An unresolved miss someone still owes; rules version 3: a unit that returned its
    assignment stops owing from the return (SPEC §8), as ``OverdueUnits`` says."""
    if not window.unresolved_miss:
        return False
    if not rules_of(incident).publishes_overdue_windows or OFFICE in window.owed_by \
            or not window.owed_by:
        return True
    return any(a is not None and a.state != AssignmentState.RETURNED
               for a in map(incident.assignment, window.owed_by))
