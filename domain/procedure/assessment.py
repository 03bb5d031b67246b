"""考核 (004 三(二); 000 五; 001 一(二)5): sanctions and praise, each a recorded decision.

通报批评 and 效能问责 for units whose handling was late, careless or improper; 约谈 for
units that were passive and **failed to rectify** (工作消极、不作为且整改不到位), which
the decision must state; 表扬 for units that did well. Each names the unit, the
deciding office and the reason, and counts in the monthly bulletin.
"""

from domain.messages import Sanction, SanctionKind
from domain.notifications import NotifyChannel, Recipient
from domain.engine.step import Context, IncidentState, Refusal, Step
from domain.roster import ROLE_LABELS, Role
from domain.rules_version import rules_of
from domain.status import SanctionRecord

SOURCES = {
    SanctionKind.NOTICE_CRITICISM: "004 三(二)",
    SanctionKind.EFFICIENCY_ACCOUNTABILITY: "004 三(二)",
    SanctionKind.INTERVIEW: "000 五；001 一(二)5",
    SanctionKind.COMMENDATION: "004 三(二)；000 五",
}


# 004 三(二): 通报批评 and 效能问责 are decided by these offices (roster role → name).
DECIDING_OFFICES = {Role.GOVERNMENT_OFFICE: "市政府办公室", Role.SUPERVISORY_ORGAN: "市监察局",
                    Role.CYBERSPACE_OFFICE: "市网信办"}
JOINTLY_DECIDED = frozenset({SanctionKind.NOTICE_CRITICISM, SanctionKind.EFFICIENCY_ACCOUNTABILITY})


def deciding_office(name: str) -> Role | None:
    """The office a name or role id stands for, if it is one of 004 三(二)'s three."""
    return next((role for role, label in DECIDING_OFFICES.items()
                 if name in (role.value, label, ROLE_LABELS[role])), None)


def check_sanction(state: IncidentState, message: Sanction, ctx: Context) -> None:
    if state.status.assignment(message.unit_id) is None:
        known = ", ".join(a.unit_id for a in state.status.assignments) or "无"
        raise Refusal(f"未知单位 {message.unit_id}：本事件的责任单位为 {known} (unknown unit)")
    if message.kind == SanctionKind.INTERVIEW and not message.failed_to_rectify:
        raise Refusal("约谈须认定该单位工作消极、不作为且整改不到位 (failed_to_rectify: true；"
                      "000 五、001 一(二)5)")
    if message.kind in JOINTLY_DECIDED and rules_of(state.status).offices_decide_sanctions:
        _check_deciders(state, message)


def _check_deciders(state: IncidentState, message: Sanction) -> None:
    """004 三(二): named deciding offices, each one of the three (and on the roster)."""
    if not message.passive_or_harmful:
        raise Refusal(f"{message.kind.label}须认定工作被动或造成不良影响 "
                      "(passive_or_harmful: true；004 三(二))")
    if not message.offices:
        raise Refusal(f"{message.kind.label}须列明决定机关 offices（市政府办公室、市监察局、"
                      "市网信办；004 三(二)）")
    roster = state.status.roster
    for name in message.offices:
        role = deciding_office(name)
        if role is None:
            raise Refusal(f"决定机关「{name}」不是 004 三(二) 的市政府办公室、市监察局、市网信办之一")
        if roster.offices and role not in roster.offices:
            raise Refusal(f"决定机关「{name}」不在名册的机关中 (not among the roster's offices)")


def supervisory_organ_decides(state: IncidentState, name: str, message: object,
                              sender: str | None) -> bool:
    """004 三(二): 监察局 decides 通报批评 and 效能问责 with the offices (rules version 3).
    ``sender``: who the roster knows the message to come from (domain.roster)."""
    return (name == "sanction" and isinstance(message, Sanction)
            and message.kind in JOINTLY_DECIDED
            and rules_of(state.status).offices_decide_sanctions
            and sender in state.status.roster.offices.get(Role.SUPERVISORY_ORGAN, []))


def apply_sanction(step: Step, message: Sanction) -> None:
    offices = [DECIDING_OFFICES[r] for n in message.offices if (r := deciding_office(n))]
    office = "、".join(offices) or message.office or message.actor
    step.status.sanctions.append(SanctionRecord(
        unit_id=message.unit_id, kind=message.kind, reason=message.reason, office=office,
        offices=offices, decided_at=step.now, actor=message.actor))
    label = message.kind.label
    assignment = step.status.assignment(message.unit_id)
    unit = f" {assignment.name or message.unit_id}" if offices and assignment else ""
    step.record(message.actor, "sanction", f"{label}{unit}（{office}决定）：{message.reason}",
                rule=f"E-NOTICE {SOURCES[message.kind]}", unit_id=message.unit_id)
    assignment = step.status.assignment(message.unit_id)
    step.notify("sanction", [Recipient(recipient_id=message.unit_id,
                                       name=assignment.name if assignment else "")],
                [NotifyChannel.MESSAGE], f"【{label}】{step.status.title}", message.reason)
