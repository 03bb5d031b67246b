"""Rule versions (规则版本): an incident keeps the rules it was opened under.

Version 1 is the first reading of the regulations. Version 2 follows SPEC §4, §7
and §9 as corrected against the seeds: unit clocks run from the assignment, the
backfill is the office's duty, 暂不具备办理条件 leaves the assignment open, the
fast windows follow the major-emergency test, earlier releases count toward a
window created later, closing never hides a missed response, 会商 per profile,
the emergency side duties, the reply form on every 交办单 and a ladder on which
only response and feedback windows climb.

The version is decided once, when the incident opens, by a marker in its
history (``FAITHFUL_RULES_PATCH``), and kept in ``status.rules_version``: every
later step reads it from the state, so a running incident never changes rules
midway and every recorded history replays with the rules it was recorded under.
"""

from typing import Protocol

FAITHFUL_RULES_PATCH = "faithful-clocks-and-duties"
FIRST_RULES = 1
FAITHFUL_RULES = 2


class Versioned(Protocol):
    rules_version: int


def faithful(status: Versioned) -> bool:
    """Whether the incident runs under the corrected rules (version 2 or later)."""
    return status.rules_version >= FAITHFUL_RULES
