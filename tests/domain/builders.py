"""Incidents built directly, for testing the pure domain without Temporal."""

from datetime import datetime, timedelta, timezone

from domain.classification import Category, Severity
from domain.messages import Report
from domain.status import Assignment, IncidentStatus

DETECTED = datetime(2026, 11, 21, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def incident(profile="nantong-2017", category="R2", severity="一般", units=("u1",),
             **fields) -> IncidentStatus:
    status = IncidentStatus(
        incident_id="X", profile=profile, title="t",
        reports=[Report(platform="p", url="u", detected_at=DETECTED)],
        category=Category(category) if category else None,
        severity=Severity(severity) if severity else None,
        analyzed_at=DETECTED if category else None, **fields)
    for uid in units if category else ():
        status.assignments.append(Assignment(
            unit_id=uid, form_id=f"X-{uid}-1", assigned_at=DETECTED, windows_from=DETECTED,
            emergency=Category(category).is_emergency))
    return status
