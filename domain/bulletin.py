"""定期通报 (004 二(六)): the monthly bulletin of assignment and supervision, from statuses.

Pure: the figures come only from the incidents' final (or current) statuses, which are
rebuilt from their histories, so any past month recomputes to the same bulletin. How
each figure counts is CONTRACT's "The monthly bulletin"; the owner of each window is the
one recorded with it (SPEC §4 "owed by"), so a statutory miss counts against the unit
that owed it and the office's own windows (W-BACKFILL, W-ANALYZE) against no unit.
"""

from datetime import datetime

from pydantic import BaseModel, Field

from domain.audit_report import OFFICE_ROW, owers
from domain.engine.standing import overdue_units
from domain.presentation import BEIJING
from domain.rules_version import rules_of
from domain.profiles import CLIMBING_WINDOWS as CLIMBING
from domain.profiles import RESPONSE_WINDOWS, WindowId
from domain.window_ids import window_order
from domain.status import OFFICE, AssignmentState, IncidentStatus, WindowState
from domain.vocabulary import FeedbackOutcome, SanctionKind

TREND_MONTHS = 6  # the month and the five before it, in the trend chart


class IncidentCounts(BaseModel):
    reported: int = 0
    closed: int = 0
    open: int = 0


class UnitFigures(BaseModel):
    unit_id: str
    name: str = ""
    assigned: int = 0
    acknowledged_on_time: int = 0
    responded_on_time: int = 0
    feedback_on_time: int = 0
    completed: int = 0
    completion_rate: float = 0.0
    explained: int = 0
    open: int = 0
    overdue_now: int = 0
    missed: int = Field(0, description="本行承担而超期的时限数（法定与本地默认）")
    urged: int = 0
    supervised: int = 0
    accountability: int = 0
    sanctions: dict[str, int] = {k.value: 0 for k in SanctionKind}
    disclosure: dict[str, int] = {k.value: 0 for k in FeedbackOutcome if k != FeedbackOutcome.OTHER}


class WindowFigures(BaseModel):
    id: str
    due: int = 0
    met: int = 0
    missed: int = 0
    local_default: int = Field(0, description="其中为本地默认（非法定）时限的个数")


class Bulletin(BaseModel):
    month: str
    generated_at: datetime
    timezone: str = "Asia/Shanghai"
    incidents: IncidentCounts
    units: list[UnitFigures]
    windows: list[WindowFigures]


def _row_order(unit: "UnitFigures") -> tuple[bool, str]:
    return unit.unit_id == OFFICE, unit.unit_id  # the offices' row last


def month_of(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m")


def previous_months(month: str, count: int) -> list[str]:
    """``count`` months up to and including ``month``, oldest first."""
    year, number = (int(part) for part in month.split("-"))
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return months[::-1]


def _escalated_units(status: IncidentStatus, action: str) -> set[str]:
    """Units reached by 督办 / 问责: the one named, else every unit unfinished at that moment."""
    completed_at: dict[str, datetime] = {}
    for entry in status.timeline:
        if entry.action == "review_feedback" and entry.unit_id and "办结" in entry.detail \
                and "未办结" not in entry.detail:
            completed_at[entry.unit_id] = entry.at
    reached: set[str] = set()
    for entry in status.timeline:
        if entry.action != action:
            continue
        if entry.unit_id:
            reached.add(entry.unit_id)
            continue
        for a in status.assignments:
            done = completed_at.get(a.unit_id)
            if a.assigned_at <= entry.at and (done is None or done > entry.at):
                reached.add(a.unit_id)
    return reached


def _unit_windows(status: IncidentStatus, unit_id: str) -> list:
    return [w for w in status.windows if unit_id in owers(status, w)]


def _reached(status: IncidentStatus) -> tuple[set[str], set[str], set[str] | None]:
    """Units urged, supervised and held accountable: those each step named (rules version 3)."""
    if rules_of(status).named_escalation:
        return ({a.unit_id for a in status.assignments if a.supervised_at},
                {a.unit_id for a in status.assignments if a.accountability_at},
                {a.unit_id for a in status.assignments if a.urged_at})
    return (_escalated_units(status, "supervise"),
            _escalated_units(status, "start_accountability"), None)


def _missed(window) -> bool:
    return window.state == WindowState.MISSED or bool(window.missed_deadlines)


def _add_office(units: dict[str, UnitFigures], status: IncidentStatus) -> None:
    """The offices' own duties (W-ANALYZE, W-BACKFILL, windows missed before assignment)."""
    owed = [w for w in status.windows if OFFICE in w.owed_by]
    if not owed:
        return
    figures = units.setdefault(OFFICE, UnitFigures(unit_id=OFFICE, name=OFFICE_ROW))
    figures.missed += sum(_missed(w) for w in owed)
    figures.overdue_now += (not status.stage.is_final
                            and any(w.unresolved_miss for w in owed))


def _fell_due_before(window, moment: datetime) -> bool:
    due = list(window.missed_deadlines) + ([window.deadline] if window.state == WindowState.MISSED
                                            else [])
    return any(d <= moment for d in due)


def _add_returned(units: dict[str, UnitFigures], status: IncidentStatus, assignment,
                  reached: tuple[set[str], set[str], set[str]]) -> None:
    """A returned unit stops owing from the return (SPEC §8), but a miss that fell due while
    it held the duty stays its miss (A-HOLD), with the 催办 / 督办 / 问责 that named it."""
    unit = assignment.unit_id
    returned_at = max((e.at for e in status.timeline
                       if e.action == "return_assignment" and e.unit_id == unit), default=None)
    if returned_at is None:
        return
    missed = sum(_fell_due_before(w, returned_at) for w in _unit_windows(status, unit))
    rungs = [unit in named for named in reached]
    if not missed and not any(rungs):
        return
    figures = units.setdefault(unit, UnitFigures(unit_id=unit, name=assignment.name))
    figures.name = figures.name or assignment.name
    figures.missed += missed
    figures.urged += rungs[0]
    figures.supervised += rungs[1]
    figures.accountability += rungs[2]


def _add_incident(units: dict[str, UnitFigures], status: IncidentStatus) -> None:
    supervised, accountable, urged = _reached(status)
    _add_office(units, status)
    late_now = set(overdue_units(status)) if not status.stage.is_final else set()
    for a in status.assignments:
        if a.state == AssignmentState.RETURNED:  # not this unit's duty: not assigned to it
            if rules_of(status).returned_keeps_misses:
                _add_returned(units, status, a, (urged or set(), supervised, accountable))
            continue
        figures = units.setdefault(a.unit_id, UnitFigures(unit_id=a.unit_id, name=a.name))
        figures.name = figures.name or a.name
        owed = _unit_windows(status, a.unit_id)
        figures.assigned += 1
        figures.acknowledged_on_time += any(
            w.id == WindowId.ACK and w.state == WindowState.MET and not w.missed_deadlines
            for w in owed)
        responses = [w for w in owed if w.id in RESPONSE_WINDOWS
                     and w.state != WindowState.NOT_APPLICABLE]
        figures.responded_on_time += bool(responses) and all(
            w.state == WindowState.MET and not w.missed_deadlines for w in responses)
        figures.feedback_on_time += any(
            w.id == WindowId.HANDLE and w.state == WindowState.MET and not w.missed_deadlines
            for w in owed)
        last = a.feedback[-1] if a.feedback else None
        done = a.state == AssignmentState.COMPLETED and last is not None and last.resolved
        figures.completed += done
        figures.explained += a.state == AssignmentState.EXPLAINED
        figures.missed += sum(_missed(w) for w in owed)
        figures.urged += (a.unit_id in urged if urged is not None else any(
            w.id in CLIMBING and _missed(w) for w in owed))
        figures.supervised += a.unit_id in supervised
        figures.accountability += a.unit_id in accountable
        figures.overdue_now += a.unit_id in late_now
        if done and last is not None and last.outcome and last.outcome.value in figures.disclosure:
            figures.disclosure[last.outcome.value] += 1
    for sanction in status.sanctions:
        if sanction.unit_id in units:
            units[sanction.unit_id].sanctions[sanction.kind.value] += 1


def _add_windows(windows: dict[str, WindowFigures], status: IncidentStatus) -> None:
    for w in status.windows:
        if w.state == WindowState.NOT_APPLICABLE and not w.missed_deadlines:
            continue
        figures = windows.setdefault(w.id.value, WindowFigures(id=w.id.value))
        figures.due += 1
        figures.met += w.state == WindowState.MET and not w.missed_deadlines
        figures.missed += _missed(w)
        figures.local_default += not w.statutory


def compute(statuses: list[IncidentStatus], month: str, generated_at: datetime) -> Bulletin:
    """The bulletin of ``month``: the incidents first detected in it (Beijing time)."""
    of_month = [s for s in statuses if month_of(s.first_detected_at) == month]
    units: dict[str, UnitFigures] = {}
    windows: dict[str, WindowFigures] = {}
    counts = IncidentCounts(reported=len(of_month))
    for status in of_month:
        counts.closed += status.stage.is_final
        _add_incident(units, status)
        _add_windows(windows, status)
    counts.open = counts.reported - counts.closed
    for figures in units.values():
        figures.open = figures.assigned - figures.completed
        figures.completion_rate = (round(figures.completed / figures.assigned, 4)
                                   if figures.assigned else 0.0)
    return Bulletin(
        month=month, generated_at=generated_at, incidents=counts,
        units=sorted(units.values(), key=_row_order),
        windows=sorted(windows.values(), key=lambda w: window_order(w.id)))


def on_time_rate(unit: UnitFigures) -> float:
    """Share of the unit's assignments signed, answered and fed back on time (all three)."""
    if not unit.assigned:
        return 0.0
    return round((unit.acknowledged_on_time + unit.responded_on_time + unit.feedback_on_time)
                 / (3 * unit.assigned), 4)


__all__ = ["Bulletin", "UnitFigures", "WindowFigures", "compute", "month_of",
           "previous_months", "on_time_rate", "OFFICE"]


def merge(month: str, parts: list[Bulletin], generated_at: datetime) -> Bulletin:
    """One bulletin from bulletins of disjoint sets of incidents (pages), figure by figure."""
    counts = IncidentCounts()
    units: dict[str, UnitFigures] = {}
    windows: dict[str, WindowFigures] = {}
    for part in parts:
        for field in ("reported", "closed", "open"):
            setattr(counts, field, getattr(counts, field) + getattr(part.incidents, field))
        for unit in part.units:
            into = units.setdefault(unit.unit_id, UnitFigures(unit_id=unit.unit_id, name=unit.name))
            into.name = into.name or unit.name
            for field, value in unit.model_dump().items():
                if isinstance(value, int) and not isinstance(value, bool):
                    setattr(into, field, getattr(into, field) + value)
                elif isinstance(value, dict):
                    for key, count in value.items():
                        getattr(into, field)[key] += count
        for window in part.windows:
            sums = windows.setdefault(window.id, WindowFigures(id=window.id))
            for field in ("due", "met", "missed", "local_default"):
                setattr(sums, field, getattr(sums, field) + getattr(window, field))
    for figures in units.values():
        figures.completion_rate = (round(figures.completed / figures.assigned, 4)
                                   if figures.assigned else 0.0)
    return Bulletin(month=month, generated_at=generated_at, incidents=counts,
                    units=sorted(units.values(), key=_row_order),
                    windows=sorted(windows.values(), key=lambda w: window_order(w.id)))


def headline(bulletin: Bulletin) -> Bulletin:
    """A month reduced to its totals (for the trend chart): one row for all units."""
    total = merge(bulletin.month, [bulletin.model_copy(update={"units": [
        u.model_copy(update={"unit_id": "*", "name": "全部"}) for u in bulletin.units]})],
        bulletin.generated_at)
    return total.model_copy(update={"windows": []})
