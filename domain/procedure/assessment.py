"""考核 (004 三(二); 000 五; 001 一(二)5): sanctions and praise, each a recorded decision.

通报批评 and 效能问责 for units whose handling was late, careless or improper; 约谈 for
units that were passive and **failed to rectify** (工作消极、不作为且整改不到位), which
the decision must state; 表扬 for units that did well. Each names the unit, the
deciding office and the reason, and counts in the monthly bulletin.
"""

from domain.messages import Sanction, SanctionKind
from domain.notifications import NotifyChannel, Recipient
from domain.procedure.step import Context, IncidentState, Refusal, Step
from domain.status import SanctionRecord

SOURCES = {
    SanctionKind.NOTICE_CRITICISM: "004 三(二)",
    SanctionKind.EFFICIENCY_ACCOUNTABILITY: "004 三(二)",
    SanctionKind.INTERVIEW: "000 五；001 一(二)5",
    SanctionKind.COMMENDATION: "004 三(二)；000 五",
}


def check_sanction(state: IncidentState, message: Sanction, ctx: Context) -> None:
    if state.status.assignment(message.unit_id) is None:
        known = ", ".join(a.unit_id for a in state.status.assignments) or "无"
        raise Refusal(f"未知单位 {message.unit_id}：本事件的责任单位为 {known} (unknown unit)")
    if message.kind == SanctionKind.INTERVIEW and not message.failed_to_rectify:
        raise Refusal("约谈须认定该单位工作消极、不作为且整改不到位 (failed_to_rectify: true；"
                      "000 五、001 一(二)5)")


def apply_sanction(step: Step, message: Sanction) -> None:
    office = message.office or message.actor
    step.status.sanctions.append(SanctionRecord(
        unit_id=message.unit_id, kind=message.kind, reason=message.reason, office=office,
        decided_at=step.now, actor=message.actor))
    label = message.kind.label
    step.record(message.actor, "sanction", f"{label}（{office}决定）：{message.reason}",
                rule=f"E-NOTICE {SOURCES[message.kind]}", unit_id=message.unit_id)
    assignment = step.status.assignment(message.unit_id)
    step.notify("sanction", [Recipient(recipient_id=message.unit_id,
                                       name=assignment.name if assignment else "")],
                [NotifyChannel.MESSAGE], f"【{label}】{step.status.title}", message.reason)
