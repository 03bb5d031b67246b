"""SPEC §5: responsibility routing R-1…R-6."""

from domain.classification import Severity
from domain.messages import Matter, UnitRef
from domain.routing import route


def unit(uid, lead=False, vertical=False):
    return UnitRef(unit_id=uid, name=uid, lead=lead, vertical=vertical)


def test_r2_single_local_unit_is_first_responsible():
    decision = route([unit("a")], None, Severity.GENERAL)
    assert decision.rules == ["R-2"] and decision.first_responsible == ["a"]
    assert "政府办公厅" in decision.coordinator and not decision.leader_in_charge


def test_r1_major_policy():
    assert "R-1" in route([unit("a")], Matter.MAJOR_POLICY, Severity.GENERAL).rules


def test_r3_vertical_department_is_coordinated_by_upper_office():
    decision = route([unit("tax", vertical=True)], Matter.LOCAL, Severity.GENERAL)
    assert "R-3" in decision.rules and "上级部门" in decision.coordinator


def test_r4_several_localities():
    decision = route([unit("city", lead=True), unit("d1"), unit("d2")],
                     Matter.SEVERAL_LOCALITIES, Severity.LARGER)
    assert {"R-4", "R-5"} <= set(decision.rules)
    assert decision.first_responsible == ["city"]


def test_r5_several_departments_without_lead_all_respond():
    decision = route([unit("a"), unit("b")], None, Severity.GENERAL)
    assert "R-5" in decision.rules and decision.first_responsible == ["a", "b"]


def test_r6_particularly_serious_puts_the_principal_leader_in_charge():
    decision = route([unit("a")], None, Severity.PARTICULARLY_SERIOUS)
    assert decision.leader_in_charge and "R-6" in decision.rules
    assert not route([unit("a")], None, Severity.SERIOUS).leader_in_charge
