"""Incidents built directly, for testing the pure domain without Temporal."""

from datetime import datetime, timedelta, timezone
from typing import Any

from domain.classification import Category, Severity
from domain.messages import IncidentStart, Report
from domain.status import Assignment, IncidentStatus

DETECTED = datetime(2026, 11, 21, 9, 0, tzinfo=timezone(timedelta(hours=8)))
UNIT = "u-zjj"  # the default (lead) responsible unit of a start message


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


def unit(unit_id: str, name: str = "", lead: bool = False) -> dict:
    return {"unit_id": unit_id, "name": name or f"单位{unit_id}", "lead": lead}


def start_payload(incident_id: str, detected_at: datetime, profile: str = "nantong-2017",
                  category: str | None = "R2", severity: str | None = "一般",
                  units: tuple[str, ...] = (UNIT,), *, analysed: bool = True,
                  url: str = "https://bbs.example.org/thread/1", title: str = "某小区电梯频繁故障",
                  run_budget: dict | None = None, rules_version: int | None = 2,
                  **analysis: Any) -> IncidentStart:
    """The start payload (README: Reporting an incident); the first unit leads. ``analysed=False`` omits 研判.

    These scenarios pin rules version 2, which incidents opened before version 3 keep
    running under; version 3's own scenarios pass ``rules_version=3`` (None: the starter's).
    """
    payload: dict[str, Any] = {
        "rules_version": rules_version, "incident_id": incident_id, "profile": profile, "title": title,
        "report": {"platform": "人民网地方领导留言板", "url": url, "content": "网民反映",
                   "region": "崇川区", "detected_at": detected_at.isoformat()},
        "actor": "网信办监测平台",
    }  # no roster, no local defaults: the deployment's apply (the worker reads them)
    if run_budget is not None:
        payload["run_budget"] = run_budget
    if analysed:
        payload["analysis"] = {
            "category": category, "severity": severity,
            "units": [unit(u, lead=i == 0) for i, u in enumerate(units)], **analysis}
    return IncidentStart.model_validate(payload)
