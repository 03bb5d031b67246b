"""One rules object per rules version (domain.rules_version): chosen once, read by the core."""

from dataclasses import fields
from typing import get_args

import pytest

from domain.profiles import CLIMBING_WINDOWS, LocalDefaults, ProfileName, WindowId
from domain.rules_version import CURRENT_RULES, RULES, Rules, rules_for, rules_of
from tests.domain.builders import incident
from tests.domain.procedure.drive import context, start
from domain.procedure import collection


def test_every_version_is_one_frozen_object():
    assert sorted(RULES) == list(range(1, CURRENT_RULES + 1))  # the newest is the current
    with pytest.raises(AttributeError):
        RULES[2].climbing = frozenset()  # type: ignore[misc]
    with pytest.raises(ValueError):
        rules_for(9)


def test_the_incident_reads_the_rules_of_its_version():
    assert rules_of(incident(rules_version=1)) is RULES[1]
    assert rules_of(incident(rules_version=2)) is RULES[2]


def test_version_1_climbs_every_window_version_2_only_response_and_feedback_e_urge():
    assert RULES[1].climbing == frozenset(WindowId)
    assert RULES[2].climbing == CLIMBING_WINDOWS == RULES[3].climbing
    assert WindowId.ACK not in RULES[2].climbing


def test_version_3_adds_who_answers_for_what_a_hold_a_each():
    v2, v3 = RULES[2], RULES[3]
    assert not v2.office_holds_unassigned and v3.office_holds_unassigned
    assert not v2.response_per_unit and v3.response_per_unit
    assert v3.review_required == {ProfileName.LIUZHOU_2017} and not v2.review_required


def test_profiles_a_version_names_are_profiles():
    """Per-profile behaviour in the rules (G-REVIEW, the upward report) names profiles by
    ``ProfileName``, so a misspelt or unknown profile cannot pass for one that is never met."""
    by_profile = [f.name for f in fields(Rules) if get_args(f.type) == (ProfileName,)]
    assert {"review_required", "upward_report_profiles"} <= set(by_profile)
    for rules in RULES.values():
        for name in by_profile:
            assert all(isinstance(p, ProfileName) for p in getattr(rules, name)), (rules.version, name)


def test_local_defaults_can_be_overridden_for_a_replay_and_nothing_else():
    rules = RULES[2].with_overrides(ack_hours=1)
    assert rules.local_defaults(LocalDefaults()).ack_hours == 1
    assert RULES[2].local_defaults(LocalDefaults()) == LocalDefaults()
    with pytest.raises(ValueError, match="not a local default"):
        RULES[2].with_overrides(climbing=1)
    with pytest.raises(ValueError):
        RULES[2].with_overrides(ack_hours=-1)
    assert "handling_hours" in RULES[3].overridable


def test_overrides_are_applied_once_when_the_incident_opens():
    opening = start()
    state = collection.new_incident(opening)
    ctx = context(0)
    ctx = type(ctx)(now=ctx.now, patched=ctx.patched, local_overrides={"ack_hours": 1})
    collection.open_incident(state, opening, ctx)
    assert state.status.local_defaults.ack_hours == 1
    ack = next(w for w in state.status.windows if w.id == WindowId.ACK)
    assert ack.hours == 1
