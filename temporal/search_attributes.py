"""The search attributes (README, "Finding incidents in the UI") in one place: their names,
their Temporal types, and what an incident's status shows in each (the projection the
workflow upserts and the starter sets at start). Search attributes hold no personal data:
codes, unit ids, deadlines, the title.
"""

from datetime import datetime, timedelta
from typing import Any

from temporalio.common import (
    SearchAttributeIndexedValueType, SearchAttributeKey, SearchAttributeUpdate, TypedSearchAttributes,
)

from domain.current_details_head import late_duties
from domain.engine.standing import overdue_units
from domain.rules_version import rules_of
from domain.status import IncidentStatus
from domain.windows import overdue_windows

# ---------------------------------- names (README, "Finding incidents in the UI")

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


# ------------------------------------------------------------ typed keys

ALL_SEARCH_ATTRIBUTES: list[SearchAttributeKey] = [
    *map(SearchAttributeKey.for_keyword, (INCIDENT_STAGE, INCIDENT_SEVERITY, INCIDENT_CATEGORY,
                                          ESCALATION_LEVEL, POLICY_PROFILE)),
    SearchAttributeKey.for_keyword_list(RESPONSIBLE_UNITS),
    SearchAttributeKey.for_datetime(NEXT_DEADLINE),
    SearchAttributeKey.for_bool(OVERDUE),
    SearchAttributeKey.for_keyword_list(OVERDUE_UNITS),
    # The SQLite dev server allows 3 KeywordList attributes: ResponsibleUnits, OverdueUnits, this.
    SearchAttributeKey.for_keyword_list(OVERDUE_WINDOWS),
    # Set once by the starter (the title never changes), so the list can show and search it;
    # the title's words, space-separated (starter/title_words.py): Chinese title search.
    *map(SearchAttributeKey.for_text, (INCIDENT_TITLE, INCIDENT_TITLE_WORDS)),
]
KEYS: dict[str, SearchAttributeKey] = {key.name: key for key in ALL_SEARCH_ATTRIBUTES}
"""The typed key of each attribute, by its name: ``KEYS[NEXT_DEADLINE]``."""

_CLI_NAMES = {
    SearchAttributeIndexedValueType.TEXT: "Text",
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.INT: "Int",
    SearchAttributeIndexedValueType.DOUBLE: "Double",
    SearchAttributeIndexedValueType.BOOL: "Bool",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
    SearchAttributeIndexedValueType.KEYWORD_LIST: "KeywordList",
}


def cli_type_name(key: SearchAttributeKey) -> str:
    """``Keyword``, ``KeywordList``, ``Datetime``… as accepted by ``--type`` / ``--search-attribute``."""
    return _CLI_NAMES[key.indexed_value_type]


# ------------------------------------------------------------ a status, as the list shows it

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
    rules = rules_of(status)
    # Only an unresolved miss makes anything late (late_duties, overdue_units and
    # overdue_windows all start from one): without one, none of them need asking.
    missed = any(w.unresolved_miss for w in status.windows)
    return {
        INCIDENT_STAGE: status.stage.value,
        INCIDENT_SEVERITY: status.severity.value if status.severity else None,
        INCIDENT_CATEGORY: status.category.value if status.category else None,
        ESCALATION_LEVEL: status.escalation.value,
        POLICY_PROFILE: status.profile.value,
        RESPONSIBLE_UNITS: status.responsible_unit_ids or None,
        NEXT_DEADLINE: shown_deadline(status, overdue_since and missed),
        OVERDUE: status.overdue,
        # Rules version 1 never set it: its recorded histories keep their upserts.
        OVERDUE_UNITS: ((overdue_units(status) or None)
                        if missed and rules.publishes_overdue_units else None),
        OVERDUE_WINDOWS: ((overdue_windows(status) or None)
                          if missed and rules.publishes_overdue_windows else None),
    }


def upserts(status: IncidentStatus, shown: TypedSearchAttributes, *, overdue_since: bool,
            to_the_minute: bool) -> list[SearchAttributeUpdate]:
    """What to upsert so the list shows ``status``: only what differs from ``shown`` (the
    workflow's search attributes now, set by the starter and by earlier upserts)."""
    wanted = search_attribute_values(status, overdue_since=overdue_since)
    current = {}
    for pair in shown.search_attributes:  # every workflow task: names read once each
        name = pair.key.name
        if pair.value is not None and name in KEYS:
            current[name] = pair.value
    updates = []
    for name, key in _NAMED_KEYS:
        if name not in wanted:
            continue
        value, now_shown = wanted[name], current.get(name)
        if now_shown == value or not shown_differs(name, now_shown, value, to_the_minute):
            continue  # (equal: shown as wanted, to the minute or not)
        updates.append(key.value_set(value) if value is not None else key.value_unset())
    return updates


_NAMED_KEYS = tuple((key.name, key) for key in ALL_SEARCH_ATTRIBUTES)
