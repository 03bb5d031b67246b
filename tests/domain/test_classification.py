"""SPEC §2–3: categories, severity, major emergencies and key-response criteria (C-K)."""

import pytest

from domain.classification import (
    Category, KeyCriterion, Severity, is_major_emergency, key_response_criteria,
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


def test_emergencies_always_meet_k4():
    assert key_response_criteria(Category.E3, []) == [KeyCriterion.K4]
    assert key_response_criteria(Category.R2, []) == []
    assert key_response_criteria(Category.R1, [KeyCriterion.K1]) == [KeyCriterion.K1]


def test_every_category_has_its_chinese_label():
    assert all(c.label for c in Category)
    assert [c.is_emergency for c in Category].count(True) == 3
