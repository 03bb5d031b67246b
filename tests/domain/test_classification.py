"""SPEC §2–3: categories, severity, major emergencies and key-response criteria (C-K)."""

import pytest

from domain.classification import (
    Category, KeyCriterion, Severity, concerns_emergency_event, is_major_emergency,
    is_major_emergency_event, key_response_criteria,
)


@pytest.mark.parametrize("category", ["E1", "E2", "E3"])
@pytest.mark.parametrize("severity", ["特别重大", "重大"])
def test_emergency_category_at_severity_one_or_two_is_major(category, severity):
    assert is_major_emergency(Category(category), Severity(severity))


@pytest.mark.parametrize("category,severity", [
    ("E1", "较大"), ("E2", "一般"), ("R2", "重大"), ("R7", "特别重大")])
def test_other_incidents_are_not_major_emergencies(category, severity):
    assert not is_major_emergency(Category(category), Severity(severity))


def test_unanalysed_incident_is_not_major():
    assert not is_major_emergency(None, None)


def test_rules_version_one_gave_every_emergency_k4():
    assert key_response_criteria(Category.E3, [], faithful=False) == [KeyCriterion.K4]
    assert key_response_criteria(Category.R5, [], faithful=False) == []


@pytest.mark.parametrize("category, declared, event, expected", [
    (Category.R5, [], None, [KeyCriterion.K3]),  # 严重冲击社会道德底线
    (Category.E1, [], None, [KeyCriterion.K4]),  # 突发事件
    (Category.E2, [], None, []),
    (Category.E3, [], True, [KeyCriterion.K4]),
    (Category.R2, [], None, []),
    (Category.R1, [KeyCriterion.K1], None, [KeyCriterion.K1]),
])
def test_each_category_meets_its_own_key_criterion(category, declared, event, expected):
    """C-K1…K5 (000 二): R5 is K3, E1 is K4; the rest only as 研判 declares."""
    assert key_response_criteria(category, declared, emergency_event=event) == expected


@pytest.mark.parametrize("category, criteria, declared, expected", [
    (Category.E1, [], None, True),
    (Category.R6, [KeyCriterion.K4], None, True),
    (Category.E2, [], None, False),
    (Category.E2, [], True, True),
    (Category.E1, [], False, False),
])
def test_an_emergency_event_is_e1_or_k4_unless_analysis_says_otherwise(
        category, criteria, declared, expected):
    assert concerns_emergency_event(category, criteria, declared) is expected
    assert is_major_emergency_event(Severity.SERIOUS, expected) is expected
    assert not is_major_emergency_event(Severity.LARGER, expected)


def test_every_category_has_its_chinese_label():
    assert all(c.label for c in Category)
    assert [c.is_emergency for c in Category].count(True) == 3
