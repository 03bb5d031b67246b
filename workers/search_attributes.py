"""Search attributes the UI's list filters use (CONTRACT), typed for Temporal.

Their names and values come from the procedure (``domain.procedure.publication``).
"""

from temporalio.common import SearchAttributeKey

from domain.procedure import publication as names

INCIDENT_STAGE = SearchAttributeKey.for_keyword(names.INCIDENT_STAGE)
INCIDENT_SEVERITY = SearchAttributeKey.for_keyword(names.INCIDENT_SEVERITY)
INCIDENT_CATEGORY = SearchAttributeKey.for_keyword(names.INCIDENT_CATEGORY)
ESCALATION_LEVEL = SearchAttributeKey.for_keyword(names.ESCALATION_LEVEL)
POLICY_PROFILE = SearchAttributeKey.for_keyword(names.POLICY_PROFILE)
RESPONSIBLE_UNITS = SearchAttributeKey.for_keyword_list(names.RESPONSIBLE_UNITS)
NEXT_DEADLINE = SearchAttributeKey.for_datetime(names.NEXT_DEADLINE)
OVERDUE = SearchAttributeKey.for_bool(names.OVERDUE)
OVERDUE_UNITS = SearchAttributeKey.for_keyword_list(names.OVERDUE_UNITS)
# The SQLite dev server allows 3 KeywordList attributes: ResponsibleUnits, OverdueUnits, this.
OVERDUE_WINDOWS = SearchAttributeKey.for_keyword_list(names.OVERDUE_WINDOWS)
# Set once by the starter (the title never changes), so the list can show and search it.
INCIDENT_TITLE = SearchAttributeKey.for_text(names.INCIDENT_TITLE)
# The title's words, space-separated (starter/title_words.py): Chinese title search.
INCIDENT_TITLE_WORDS = SearchAttributeKey.for_text(names.INCIDENT_TITLE_WORDS)

ALL_SEARCH_ATTRIBUTES: list[SearchAttributeKey] = [
    INCIDENT_STAGE,
    INCIDENT_SEVERITY,
    INCIDENT_CATEGORY,
    ESCALATION_LEVEL,
    POLICY_PROFILE,
    RESPONSIBLE_UNITS,
    NEXT_DEADLINE,
    OVERDUE,
    OVERDUE_UNITS,
    OVERDUE_WINDOWS,
    INCIDENT_TITLE,
    INCIDENT_TITLE_WORDS,
]
