"""The core functions a window's entry names: where it runs from, who owes it, what meets it.

A profile's window (``domain.profiles.WindowRule``) is data; how its clock starts and
whose duty it is are these functions, each with the words the README shows for it
(``scripts/readme_windows.py``). A new window that starts, or is met, in a way none
of them says brings one more function, and its entry names it: nothing else changes.
Planning is ``domain.windows``; meeting is ``domain.engine.deadlines``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.window_ids import OFFICE, WindowId

if TYPE_CHECKING:  # status imports the profiles, which name these functions
    from domain.status import IncidentStatus

Incident = Any  # an IncidentStatus (domain.status, which imports the profiles)


@dataclass(frozen=True)
class RunsFrom:
    """When a window's clock starts; ``start`` gives an incident window's (round, start).

    Without ``start`` the window is one per assignment (交办单), planned with it.
    """

    text: str
    start: Callable[[Incident], tuple[int, datetime]] | None = None


@dataclass(frozen=True)
class OwedBy:
    """Whose duty a window is; ``owners`` gives an incident window's owners.

    ``held``: A-HOLD (rules version 3) — whoever held the duty when it fell due owes it,
    the office if no unit was assigned yet; ``per_unit``: A-EACH, one window per unit.
    """

    text: str
    owners: Callable[[Incident], tuple[str, ...]] | None = None
    held: bool = False
    per_unit: bool = False


# What meets a window besides the meeting its paragraph writes: asked with the window
# (``Window``) and each message just applied (``Message``); True meets it
# (``domain.engine.deadlines.met_by_entries``).
MetBy = Callable[[Any, Any], bool]


def _detection(incident: "IncidentStatus") -> tuple[int, datetime]:
    return 1, incident.first_detected_at


def continuing_release_start(incident: "IncidentStatus") -> tuple[int, datetime]:
    """W-CONT runs in cycles: each release starts the next one."""
    releases = [w for w in incident.windows if w.id == WindowId.CONT and w.met_at is not None]
    if not releases:
        return 1, incident.first_detected_at
    last = max(releases, key=lambda w: w.seq)
    return last.seq + 1, last.met_at  # type: ignore[return-value]


FROM_DETECTION = RunsFrom("首次发现 first detection", _detection)
FROM_EACH_RELEASE = RunsFrom("首次发现，其后每次权威发布 detection, then each release",
                             continuing_release_start)
FROM_ASSIGNMENT = RunsFrom("交办（紧急交办为电话交办） the assignment (the phone call)")
FROM_WRITTEN_FORM = RunsFrom("交办单送达 the written form reaching the unit")
FROM_PHONE_ASSIGNMENT = RunsFrom("电话交办 the phone assignment")

_HELD = ("；届满时尚未交办则为交办方 the office if no unit was assigned when it fell due "
         "(A-HOLD)")


def _lead_units(incident: "IncidentStatus") -> tuple[str, ...]:
    return tuple(incident.lead_unit_ids)


def _active_units(incident: "IncidentStatus") -> tuple[str, ...]:
    return tuple(a.unit_id for a in incident.active_assignments)


THE_OFFICE = OwedBy("网信办 the office", lambda incident: (OFFICE,))
LEAD_UNIT = OwedBy("牵头单位 the lead unit", _lead_units)
LEAD_UNIT_HELD = OwedBy("牵头单位 the lead unit" + _HELD, _lead_units, held=True)
EACH_UNIT_HELD = OwedBy("每个责任单位各自 each responsible unit its own" + _HELD, _active_units,
                        held=True, per_unit=True)
THAT_UNIT = OwedBy("该单位 that unit")
ASSIGNING_OFFICE = OwedBy("交办方 the assigning office")
