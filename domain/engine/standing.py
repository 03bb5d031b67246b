"""Where an incident stands after a step, and the answers that show it.

``refresh`` derives the stage, the next deadline and whether it is overdue from the
facts; ``overdue_units`` names the units late now (the list and the 通报 count them);
``receipt`` is an accepted update's 受理回执; ``fitted_to_payload`` is the status within one
payload (the ``status`` query, the run's result). What the list shows of it, the search
attributes, is projected in ``temporal.search_attributes``.
"""

from datetime import datetime

from domain.limits import MAX_RESULT_BYTES
from domain.rules_version import rules_of
from domain.status import OFFICE, AssignmentState, IncidentStatus, MessageReceipt, Stage
from domain.windows import is_overdue, next_deadline


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


def overdue_units(status: IncidentStatus) -> list[str]:
    """The units late now: an unresolved miss they owed (never the office's own)."""
    if status.stage.is_final:
        return []
    late = {owner for w in status.windows if w.unresolved_miss for owner in w.owed_by
            if owner != OFFICE}
    # Rules version 3: a unit that returned its assignment stops owing from the return.
    gone = AssignmentState.RETURNED if rules_of(status).publishes_overdue_windows else None
    return [a.unit_id for a in status.assignments if a.unit_id in late and a.state != gone]


def fitted_to_payload(status: IncidentStatus, max_bytes: int = MAX_RESULT_BYTES) -> IncidentStatus:
    """The status within one payload: the oldest timeline entries beyond what fits are
    left out (and counted); the complete timeline is in the incident's histories."""
    if json_size(status) <= max_bytes:
        return status
    trimmed = status.model_copy(deep=True)
    keep = len(trimmed.timeline)
    while keep > 10 and json_size(trimmed) > max_bytes:
        keep = keep * 3 // 4
        omitted = len(status.timeline) - keep
        trimmed.timeline = [*status.timeline[:5], *status.timeline[-(keep - 5):]]
        trimmed.timeline_omitted = status.timeline_omitted + omitted
    return trimmed


def json_size(status: IncidentStatus) -> int:
    """``len(status.model_dump_json().encode())``: the serializer's own UTF-8 bytes, counted
    without their round trip through text (every run's result, every status query)."""
    return len(status.__pydantic_serializer__.to_json(status))


def receipt(status: IncidentStatus, message: str, now: datetime,
            recorded_before: int) -> MessageReceipt:
    """受理回执: what an accepted update did and where the incident now stands."""
    return MessageReceipt(
        message=message, accepted_at=now, stage=status.stage, escalation=status.escalation,
        next_deadline=status.next_deadline, overdue=status.overdue,
        effects=status.timeline[recorded_before:])
