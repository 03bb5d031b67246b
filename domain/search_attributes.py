"""Search attributes the UI's list filters use (CONTRACT.md)."""

from temporalio.common import SearchAttributeKey

INCIDENT_STAGE = SearchAttributeKey.for_keyword("IncidentStage")
INCIDENT_SEVERITY = SearchAttributeKey.for_keyword("IncidentSeverity")
INCIDENT_CATEGORY = SearchAttributeKey.for_keyword("IncidentCategory")
ESCALATION_LEVEL = SearchAttributeKey.for_keyword("EscalationLevel")
POLICY_PROFILE = SearchAttributeKey.for_keyword("PolicyProfile")
RESPONSIBLE_UNITS = SearchAttributeKey.for_keyword_list("ResponsibleUnits")
NEXT_DEADLINE = SearchAttributeKey.for_datetime("NextDeadline")
OVERDUE = SearchAttributeKey.for_bool("Overdue")

ALL_SEARCH_ATTRIBUTES: list[SearchAttributeKey] = [
    INCIDENT_STAGE,
    INCIDENT_SEVERITY,
    INCIDENT_CATEGORY,
    ESCALATION_LEVEL,
    POLICY_PROFILE,
    RESPONSIBLE_UNITS,
    NEXT_DEADLINE,
    OVERDUE,
]
