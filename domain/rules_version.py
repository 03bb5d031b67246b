"""Rule versions (规则版本): an incident keeps the rules it was opened under.

Each version is one frozen ``Rules`` object: data (which windows climb the ladder,
who owes what, when a unit's clocks start, what is a local default) and a few
functions. The procedure asks ``rules_of(status)`` and reads the answer; it never
compares version numbers.

1. The first reading of the regulations.
2. SPEC §4, §7 and §9 as corrected against the seeds: unit clocks run from the
   assignment, the backfill is the office's duty, 暂不具备办理条件 leaves the
   assignment open, the fast windows follow the major-emergency test, earlier
   releases count toward a window created later, closing never hides a missed
   response, 会商 per profile, the emergency side duties, the reply form on every
   交办单 and a ladder on which only response and feedback windows climb.
3. Who answers for what (SPEC §4 A-HOLD, A-EACH, A-LOCAL; §6; §7; §8): a miss is
   charged to whoever held the duty when it fell due, each unit owes its own
   response, closing leaves pending statutory windows missed, stated attendance,
   the release review (G-REVIEW), upward reports, and 督办 / 问责 that name their units.

The version is decided once, when the incident opens: named by the starter, or
(older histories) by a marker (``FAITHFUL_RULES_PATCH``), and kept in
``status.rules_version``, so a running incident never changes rules midway and
every recorded history replays with the rules it was recorded under.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from domain.channel_windows import windows_met_by_v1, windows_met_by_v2
from domain.vocabulary import Channel
from domain.profiles import CLIMBING_WINDOWS, LocalDefaults, ProfileName, WindowId

FAITHFUL_RULES_PATCH = "faithful-clocks-and-duties"
FIRST_RULES = 1
FAITHFUL_RULES = 2
ANSWERABLE_RULES = 3
CURRENT_RULES = ANSWERABLE_RULES  # what a new incident opens under

ChannelWindows = Callable[[Channel, bool | None], frozenset[WindowId]]


class Versioned(Protocol):
    rules_version: int


@dataclass(frozen=True)
class Rules:
    """How one rules version decides; every field is read where the procedure needs it."""

    version: int
    # ---- clocks
    unit_clocks_from_assignment: bool  # else the first round runs from detection
    ack_from_written_form: bool  # W-ACK runs from the form reaching the unit
    earlier_detection_moves_clock: bool  # a repeat seen earlier moves first detection
    # ---- who owes what
    backfill_owed_by_office: bool  # W-BACKFILL is the assigning office's (004 二(二)2)
    office_misses_make_overdue: bool  # the office's misses mark the incident overdue
    urge_owners_only: bool  # a miss urges the units that owed it, not every unit
    office_holds_unassigned: bool  # A-HOLD: no unit yet → the office owes it
    response_per_unit: bool  # A-EACH: one W-RESP per unit
    # ---- what meets a window
    windows_met_by: ChannelWindows
    late_action_is_miss: bool  # an action after the deadline is a miss made good
    credits_earlier_actions: bool  # a window created later counts what happened
    attendance_stated: bool  # a press conference or briefing must say who attended
    review_required: frozenset[ProfileName]  # profiles under which G-REVIEW is required
    # ---- the ladder
    climbing: frozenset[WindowId]  # windows whose miss is urged and climbs 督办 → 问责
    moved_deadline_resolves: bool  # an extended / explained deadline is no longer overdue
    repeat_misses_kept: bool  # a moved deadline missed again is another miss
    marks_local_defaults: bool  # what a local default sets off says so
    marks_each_local_default: bool  # A-LOCAL: every window, miss, rung and step marked
    named_escalation: bool  # 督办 / 问责 name their units (督办 only of urged units)
    offices_decide_sanctions: bool  # 通报批评 / 效能问责 name the deciding offices
    # ---- closing and feedback
    close_misses_unanswered: bool  # 办结 with no response: response windows missed
    close_misses_pending: bool  # 办结: every pending statutory window missed
    explanation_keeps_open: bool  # 暂不具备办理条件 is not 办结
    # ---- analysis and side duties
    criteria_by_event: bool  # K4 by the emergency-event test, declared criteria kept
    major_emergency_by_event: bool  # 涉及突发事件 test (else category and severity)
    emergency_side_duties: bool  # report to leaders, 24 h monitoring, reply form on the form
    consultation_per_profile: bool
    upward_report_profiles: frozenset[ProfileName]  # 001 一(一)1: major emergencies → 上级
    leaders_on_reclassification: bool  # 研判调整 into E1–E3 reports to the leaders
    publishes_overdue_units: bool
    publishes_overdue_windows: bool
    returned_keeps_misses: bool  # SPEC §8: a returned unit keeps the misses it held (A-HOLD)
    # ---- local defaults a what-if may override (README "政策推演", `--set KEY=VALUE`)
    overrides: Mapping[str, Any] = field(default_factory=dict)

    @property
    def overridable(self) -> frozenset[str]:
        """The local-default values a replay may set (``LocalDefaults`` fields)."""
        return frozenset(LocalDefaults.model_fields)

    def with_overrides(self, **values: Any) -> "Rules":
        """The same rules with some local defaults replaced; an unknown name is refused."""
        unknown = set(values) - self.overridable
        if unknown:
            raise ValueError(f"not a local default: {', '.join(sorted(unknown))}")
        overrides = {**self.overrides, **values}
        LocalDefaults.model_validate({**LocalDefaults().model_dump(), **overrides})  # bad value
        return replace(self, overrides=overrides)

    def local_defaults(self, recorded: LocalDefaults) -> LocalDefaults:
        """The incident's local defaults: those recorded at its start, with the overrides."""
        if not self.overrides:
            return recorded
        return LocalDefaults.model_validate({**recorded.model_dump(), **self.overrides})


VERSION_1 = Rules(
    version=FIRST_RULES,
    unit_clocks_from_assignment=False, ack_from_written_form=False,
    earlier_detection_moves_clock=False,
    backfill_owed_by_office=False, office_misses_make_overdue=True, urge_owners_only=False,
    office_holds_unassigned=False, response_per_unit=False,
    windows_met_by=windows_met_by_v1, late_action_is_miss=False, credits_earlier_actions=False,
    attendance_stated=False, review_required=frozenset(),
    climbing=frozenset(WindowId), moved_deadline_resolves=False, repeat_misses_kept=False,
    marks_local_defaults=False, marks_each_local_default=False, named_escalation=False, offices_decide_sanctions=False,
    close_misses_unanswered=False, close_misses_pending=False, explanation_keeps_open=False,
    criteria_by_event=False, major_emergency_by_event=False, emergency_side_duties=False,
    consultation_per_profile=False, upward_report_profiles=frozenset(),
    leaders_on_reclassification=False, publishes_overdue_units=False,
    publishes_overdue_windows=False, returned_keeps_misses=False,
)

VERSION_2 = replace(
    VERSION_1, version=FAITHFUL_RULES,
    unit_clocks_from_assignment=True, ack_from_written_form=True,
    earlier_detection_moves_clock=True,
    backfill_owed_by_office=True, office_misses_make_overdue=False, urge_owners_only=True,
    windows_met_by=windows_met_by_v2, late_action_is_miss=True, credits_earlier_actions=True,
    climbing=CLIMBING_WINDOWS, moved_deadline_resolves=True, repeat_misses_kept=True,
    marks_local_defaults=True, close_misses_unanswered=True, explanation_keeps_open=True,
    criteria_by_event=True, major_emergency_by_event=True, emergency_side_duties=True,
    consultation_per_profile=True, publishes_overdue_units=True,
)

VERSION_3 = replace(
    VERSION_2, version=ANSWERABLE_RULES,
    office_holds_unassigned=True, response_per_unit=True, office_misses_make_overdue=True, attendance_stated=True,
    review_required=frozenset({ProfileName.LIUZHOU_2017}), named_escalation=True,
    marks_each_local_default=True,
    offices_decide_sanctions=True, close_misses_pending=True,
    upward_report_profiles=frozenset({ProfileName.LIUZHOU_2017}), leaders_on_reclassification=True,
    publishes_overdue_windows=True, returned_keeps_misses=True,
)

RULES: dict[int, Rules] = {r.version: r for r in (VERSION_1, VERSION_2, VERSION_3)}


def rules_for(version: int) -> Rules:
    try:
        return RULES[version]
    except KeyError:
        raise ValueError(f"unknown rules version {version}") from None


def rules_of(status: Versioned) -> Rules:
    """The rules the incident was opened under."""
    return rules_for(status.rules_version)
