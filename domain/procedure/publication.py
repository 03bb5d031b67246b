"""What the incident shows after each step: its stage, next deadline, list attributes, receipt."""

from datetime import datetime, timedelta
from typing import Any

from domain.current_state import late_duties
from domain.limits import MAX_RESULT_BYTES
from domain.rules_version import rules_of
from domain.status import OFFICE, AssignmentState, IncidentStatus, MessageReceipt, Stage
from domain.windows import is_overdue, next_deadline, overdue_windows

# Search attributes by name (CONTRACT); their Temporal types live with the workers.
INCIDENT_STAGE = "IncidentStage"
INCIDENT_SEVERITY = "IncidentSeverity"
INCIDENT_CATEGORY = "IncidentCategory"
ESCALATION_LEVEL = "EscalationLevel"
POLICY_PROFILE = "PolicyProfile"
RESPONSIBLE_UNITS = "ResponsibleUnits"
NEXT_DEADLINE = "NextDeadline"
OVERDUE = "Overdue"
OVERDUE_UNITS = "OverdueUnits"
OVERDUE_WINDOWS = "OverdueWindows"  # rules version 3: the office's own misses included
INCIDENT_TITLE = "IncidentTitle"  # set at start by the starter; the workflow never changes it
INCIDENT_TITLE_WORDS = "IncidentTitleWords"  # the title's words: set at start, like the title


def derive_stage(status: IncidentStatus) -> Stage:
    """The stage follows the assignments: the least advanced active one decides."""
    if status.stage.is_final:
        return status.stage
    active = {a.state for a in status.active_assignments}
    if status.analyzed_at is None or not active:
        return Stage.ANALYSIS
    if AssignmentState.ASSIGNED in active:
        return Stage.ASSIGNMENT
    if active & {AssignmentState.ACKNOWLEDGED, AssignmentState.RESPONDED,
                  AssignmentState.EXPLAINED}:
        return Stage.HANDLING
    return Stage.FEEDBACK


def refresh(status: IncidentStatus) -> None:
    """Derive stage, next deadline and overdue from the facts after a step."""
    status.stage = derive_stage(status)
    status.next_deadline = next_deadline(status)
    status.overdue = is_overdue(status)


# The incident list shows the next deadline to the minute: from workflow version 2 one
# within a minute of the shown one is not upserted again (a billed action). The starter's
# prediction of it is off by the milliseconds before the first workflow task.
NEXT_DEADLINE_TOLERANCE = timedelta(minutes=1)


def shown_differs(name: str, shown: Any, wanted: Any, to_the_minute: bool) -> bool:
    """Whether a search attribute shown now must be upserted to show ``wanted``."""
    if to_the_minute and name == NEXT_DEADLINE and isinstance(shown, datetime) \
            and isinstance(wanted, datetime):
        return abs(shown - wanted) >= NEXT_DEADLINE_TOLERANCE
    return shown != wanted


def shown_deadline(status: IncidentStatus, overdue_since: bool) -> datetime | None:
    """``NextDeadline``: the next pending deadline; with ``overdue_since`` (workflow version
    3), for an incident late now, the earliest deadline still missed, so the list never
    shows a future time for an overdue incident."""
    late = late_duties(status, None) if overdue_since else []
    return min(w.deadline for _, w in late) if late else status.next_deadline


def search_attribute_values(status: IncidentStatus,
                            overdue_since: bool = False) -> dict[str, Any]:
    """Each list attribute's value now (None: unset)."""
    return {
        INCIDENT_STAGE: status.stage.value,
        INCIDENT_SEVERITY: status.severity.value if status.severity else None,
        INCIDENT_CATEGORY: status.category.value if status.category else None,
        ESCALATION_LEVEL: status.escalation.value,
        POLICY_PROFILE: status.profile.value,
        RESPONSIBLE_UNITS: status.responsible_unit_ids or None,
        NEXT_DEADLINE: shown_deadline(status, overdue_since),
        OVERDUE: status.overdue,
        # Rules version 1 never set it: its recorded histories keep their upserts.
        OVERDUE_UNITS: ((overdue_units(status) or None) if rules_of(status).publishes_overdue_units
                        else None),
        OVERDUE_WINDOWS: ((overdue_windows(status) or None)
                          if rules_of(status).publishes_overdue_windows else None),
    }


def overdue_units(status: IncidentStatus) -> list[str]:
    """The units late now: an unresolved miss they owed (never the office's own)."""
    if status.stage.is_final:
        return []
    late = {owner for w in status.windows if w.unresolved_miss for owner in w.owed_by
            if owner != OFFICE}
    # Rules version 3: a unit that returned its assignment stops owing from the return.
    gone = AssignmentState.RETURNED if rules_of(status).publishes_overdue_windows else None
    return [a.unit_id for a in status.assignments if a.unit_id in late and a.state != gone]


def fitted(status: IncidentStatus, max_bytes: int = MAX_RESULT_BYTES) -> IncidentStatus:
    """The status within one payload: the oldest timeline entries beyond what fits are
    left out (and counted); the complete timeline is in the incident's histories."""
    if len(status.model_dump_json().encode("utf-8")) <= max_bytes:
        return status
    trimmed = status.model_copy(deep=True)
    keep = len(trimmed.timeline)
    while keep > 10 and len(trimmed.model_dump_json().encode("utf-8")) > max_bytes:
        keep = keep * 3 // 4
        omitted = len(status.timeline) - keep
        trimmed.timeline = [*status.timeline[:5], *status.timeline[-(keep - 5):]]
        trimmed.timeline_omitted = status.timeline_omitted + omitted
    return trimmed


def receipt(status: IncidentStatus, message: str, now: datetime,
            recorded_before: int) -> MessageReceipt:
    """受理回执: what an accepted update did and where the incident now stands."""
    return MessageReceipt(
        message=message, accepted_at=now, stage=status.stage, escalation=status.escalation,
        next_deadline=status.next_deadline, overdue=status.overdue,
        effects=status.timeline[recorded_before:])
