"""Search attributes the UI's list filters use (CONTRACT), typed for Temporal.

Their names and values come from the procedure (``domain.procedure.publication``).
"""

from temporalio.common import SearchAttributeKey, SearchAttributeUpdate, TypedSearchAttributes

from domain.procedure import publication as names
from domain.status import IncidentStatus

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


def upserts(status: IncidentStatus, shown: TypedSearchAttributes, *, overdue_since: bool,
            to_the_minute: bool) -> list[SearchAttributeUpdate]:
    """What to upsert so the list shows ``status``: only what differs from ``shown`` (the
    workflow's search attributes now, set by the starter and by earlier upserts)."""
    wanted = names.search_attribute_values(status, overdue_since=overdue_since)
    ours = {key.name for key in ALL_SEARCH_ATTRIBUTES}
    current = {pair.key.name: pair.value for pair in shown.search_attributes
               if pair.key.name in ours and pair.value is not None}
    return [key.value_set(wanted[key.name]) if wanted[key.name] is not None
            else key.value_unset() for key in ALL_SEARCH_ATTRIBUTES
            if key.name in wanted and names.shown_differs(
                key.name, current.get(key.name), wanted[key.name], to_the_minute)]
