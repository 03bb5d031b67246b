"""Both 通报 of the month, side by side: as issued and as the proposal would have made it.

Incidents are added one at a time (``WhatIf.add``) and kept only as figures, so a month of
any size takes bounded memory; accumulations of separate processes combine
(``WhatIf.combine``). The bulletin itself is ``domain.bulletin``'s, computed per incident
and merged as the bulletin workflow merges its pages, so every row the bulletin has (the
offices' own included) appears here too.
"""

from dataclasses import dataclass, field
from datetime import datetime

from domain.bulletin import Bulletin, IncidentCounts, compute, merge, month_of
from domain.status import IncidentStatus, TimelineEntry, WindowState
from domain.whatif.driver import Replay
from domain.whatif.settings import Proposal

MERGE_EVERY = 200  # incidents' figures held before they are merged into the running total
# the shell's records, not the rules': delivery receipts (workflow version 4) and failures
# ride on activity results, which the replay does not re-run (nor does the bulletin count them)
IGNORED_ACTIONS = {"delivery_failed", "notice_receipt", "cancel_refused"}


@dataclass
class IncidentRun:
    """One incident: its status as recorded, and the replays (None: it could not be)."""

    incident_id: str
    actual: IncidentStatus
    proposed: Replay | None = None
    baseline: Replay | None = None  # unchanged settings (only replayed when there is a proposal)
    problem: str = ""
    parts: tuple[Bulletin, Bulletin] | None = None  # its figures, actual and proposed


@dataclass
class Changed:
    incident_id: str
    first_difference: str
    units: list[str]
    open: bool  # still running when the record was read
    refused_now: int
    late_now: int

    def as_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class WhatIf:
    month: str
    generated_at: datetime
    proposal: Proposal
    actual_parts: list[Bulletin] = field(default_factory=list)
    proposed_parts: list[Bulletin] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("incidents", "replayed", "not_replayed", "not_reproduced", "refused_now_incidents",
         "refused_now_messages", "late_now_incidents", "late_now_windows",
         "accepted_now_messages", "open_changed"), 0))
    problems: list[str] = field(default_factory=list)

    # ------------------------------------------------------------- adding

    def differs(self, run: IncidentRun) -> bool:
        """Whether the proposal changes the incident's figures or refuses other messages
        (then it is replayed unchanged too, to say message by message what changed)."""
        if run.proposed is None:
            return False
        actual, proposed = self._parts(run)
        return (run.proposed.status.refused_total != run.actual.refused_total
                or _figures(actual) != _figures(proposed))

    def _parts(self, run: IncidentRun) -> tuple[Bulletin, Bulletin]:
        if run.parts is None:
            proposed = run.proposed.status if run.proposed is not None else run.actual
            run.parts = (compute([run.actual], self.month, self.generated_at),
                         compute([proposed], self.month, self.generated_at))
        return run.parts

    def add(self, run: IncidentRun) -> None:
        if month_of(run.actual.first_detected_at) != self.month:
            return
        self.counts["incidents"] += 1
        if run.proposed is None:  # shown as it was in both bulletins, and counted
            self.counts["not_replayed"] += 1
            if len(self.problems) < 20:
                self.problems.append(f"{run.incident_id}: {run.problem}")
        else:
            self.counts["replayed"] += 1
        actual_part, proposed_part = self._parts(run)
        self.actual_parts.append(actual_part)
        self.proposed_parts.append(proposed_part)
        if len(self.actual_parts) >= MERGE_EVERY:
            self._merge_parts()
        baseline = run.baseline.status if run.baseline is not None else None
        if baseline is not None and _figures(
                compute([baseline], self.month, self.generated_at)) != _figures(actual_part):
            self.counts["not_reproduced"] += 1
        if _figures(actual_part) != _figures(proposed_part):
            self._add_changed(run, actual_part, proposed_part)

    def _add_changed(self, run: IncidentRun, actual: Bulletin, proposed: Bulletin) -> None:
        before, after = _unit_figures(actual), _unit_figures(proposed)
        units = sorted(u for u in before.keys() | after.keys() if before.get(u) != after.get(u))
        refused, accepted, late = _message_changes(run)
        reference = run.baseline.status if run.baseline is not None else run.actual
        assert run.proposed is not None
        change = Changed(run.incident_id, first_difference(reference, run.proposed.status),
                         units, not run.actual.stage.is_final, refused, late)
        self.changed.append(change)
        self.counts["refused_now_incidents"] += refused > 0
        self.counts["refused_now_messages"] += refused
        self.counts["accepted_now_messages"] += accepted
        self.counts["late_now_incidents"] += late > 0
        self.counts["late_now_windows"] += late
        self.counts["open_changed"] += change.open

    def _merge_parts(self) -> None:
        self.actual_parts = [merge(self.month, self.actual_parts, self.generated_at)]
        self.proposed_parts = [merge(self.month, self.proposed_parts, self.generated_at)]

    def combine(self, other: "WhatIf") -> None:
        """Add another accumulation of the same month (another process's share)."""
        self.actual_parts += other.actual_parts
        self.proposed_parts += other.proposed_parts
        self.changed += other.changed
        for key, value in other.counts.items():
            self.counts[key] += value
        self.problems = (self.problems + other.problems)[:20]
        self._merge_parts()

    # ---------------------------------------------------------- results

    def bulletins(self) -> tuple[Bulletin, Bulletin]:
        if not self.actual_parts:
            empty = Bulletin(month=self.month, generated_at=self.generated_at,
                             incidents=IncidentCounts(), units=[], windows=[])
            return empty, empty
        self._merge_parts()
        return self.actual_parts[0], self.proposed_parts[0]


def _unit_figures(part: Bulletin) -> dict[str, dict]:
    """Each row's figures; a row of zeros (e.g. the offices' row where the office met its
    duties) is the same as no row."""
    rows = {}
    for unit in part.units:
        figures = unit.model_dump(exclude={"name"})
        figures.pop("unit_id")
        if any(_counts(value) for value in figures.values()):
            rows[unit.unit_id] = figures
    return rows


def _counts(value) -> bool:
    return any(value.values()) if isinstance(value, dict) else bool(value)


def _figures(part: Bulletin) -> dict:
    """What one incident adds to the bulletin."""
    return {"incidents": part.incidents.model_dump(), "units": _unit_figures(part),
            "windows": [w.model_dump() for w in part.windows]}


def _message_changes(run: IncidentRun) -> tuple[int, int, int]:
    """Messages taken before and refused now, refused before and taken now, and windows
    met on time before that a message now meets after the proposed deadline."""
    refused = accepted = late = 0
    if run.baseline is not None and run.proposed is not None:
        for before, now in zip(run.baseline.outcomes, run.proposed.outcomes):
            refused += before.refused is None and now.refused is not None
            accepted += before.refused is not None and now.refused is None
    reference = run.baseline.status if run.baseline is not None else run.actual
    if run.proposed is not None:
        on_time = {w.key for w in reference.windows
                   if w.state == WindowState.MET and not w.missed_deadlines}
        late = sum(1 for w in run.proposed.status.windows
                   if w.key in on_time and w.met_at is not None
                   and (w.state == WindowState.MISSED or w.missed_deadlines))
    return refused, accepted, late


def _entry(entry: TimelineEntry) -> tuple:
    return (entry.at.replace(microsecond=0), entry.action, entry.unit_id, entry.detail)


def _said(entry: TimelineEntry | None) -> str:
    if entry is None:
        return "（无）"
    unit = f"{entry.unit_id} " if entry.unit_id and entry.unit_id not in entry.detail else ""
    return f"{unit}{entry.detail}"


def first_difference(actual: IncidentStatus, proposed: IncidentStatus) -> str:
    """The first step of the timeline that the proposal changes, in Beijing time."""
    from domain.presentation import local_time
    before = [e for e in actual.timeline if e.action not in IGNORED_ACTIONS]
    after = [e for e in proposed.timeline if e.action not in IGNORED_ACTIONS]
    for index in range(max(len(before), len(after))):
        old = before[index] if index < len(before) else None
        new = after[index] if index < len(after) else None
        if old is None or new is None or _entry(old) != _entry(new):
            at = min(e.at for e in (old, new) if e is not None)
            return (f"{local_time(at, with_year=True)}（北京时间）推演：{_said(new)}；"
                    f"实际：{_said(old)}")
    windows = [w.key for w, v in zip(actual.windows, proposed.windows) if w != v]
    return f"时限记录不同 (windows differ): {windows[:3]}" if windows else "（时间线相同）"
