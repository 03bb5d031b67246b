"""Responsibility routing (回应主体, SPEC §5): who answers, who coordinates.

属地管理、分级负责、谁主管谁负责. The office names the units at 研判; these
rules say which of them is first responsible and who coordinates, and the
workflow records that reasoning with the rule ids.
"""

from dataclasses import dataclass

from domain.classification import Severity
from domain.messages import Matter, UnitRef


@dataclass(frozen=True)
class RoutingDecision:
    first_responsible: list[str]
    coordinator: str
    leader_in_charge: bool
    rules: list[str]
    explanation: str


def leads_in_person(severity: Severity | None) -> bool:
    """R-6: in a 特别重大 case the government's principal leader takes charge (000 一)."""
    return severity == Severity.PARTICULARLY_SERIOUS


def route(units: list[UnitRef], matter: Matter | None,
          severity: Severity | None) -> RoutingDecision:
    """Apply R-1…R-6 to the units named at 研判."""
    lead = next((u for u in units if u.lead), None)
    rules: list[str] = []
    notes: list[str] = []
    coordinator = "本级政府办公厅（室）会同宣传部门"

    if matter == Matter.MAJOR_POLICY:
        rules.append("R-1")
        notes.append("涉及政府重大政策：政府相关部门为第一责任主体")
    if matter == Matter.SEVERAL_LOCALITIES:
        rules.append("R-4")
        notes.append("涉及多个地方：上级政府主管部门为第一责任主体，相关地方按属地回应")
    if len(units) > 1 or matter == Matter.SEVERAL_DEPARTMENTS:
        rules.append("R-5")
        notes.append("涉及多个单位：按职责分工分别交办（每单位一张交办单），回应信息须准确一致")
    if matter in (None, Matter.LOCAL) and len(units) == 1:
        rules.append("R-2")
        notes.append("属地管理、分级负责、谁主管谁负责：涉事责任部门为第一责任主体")
    if any(u.vertical for u in units):
        rules.append("R-3")
        coordinator = "上级部门办公厅（室）会同宣传部门"
        notes.append("涉事部门实行垂直管理：由上级部门办公厅（室）组织协调")

    first = [lead.unit_id] if lead else [u.unit_id for u in units]
    if lead:
        notes.append(f"牵头部门：{lead.name or lead.unit_id}")

    leader = leads_in_person(severity)
    if leader:
        rules.append("R-6")
        notes.append("特别重大舆情：本级政府主要负责同志负起领导责任")
    return RoutingDecision(first, coordinator, leader, rules, "；".join(notes))
