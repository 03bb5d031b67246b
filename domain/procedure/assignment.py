"""交办 (004 二(二)): one 交办单 per unit, emergencies by phone first, sign-for, return.

Routine categories get the written form at once; emergency categories (紧急交办)
are phoned first and the written form is filled in afterwards (补充填报,
W-BACKFILL). The unit signs for its form and returns it (签收回传, W-ACK), or
returns the assignment as not its duty (退回), and the office assigns again.
"""

from domain.messages import Acknowledge, BackfillForm, ReturnAssignment, UnitRef
from domain.notifications import AssignmentForm, NotifyChannel, Recipient
from domain.presentation import local_time
from domain.procedure.deadlines import handle_deadline, meet, reconcile, window
from domain.procedure.step import SYSTEM_ACTOR, Context, IncidentState, Refusal, Step
from domain.profiles import WindowId
from domain.status import Assignment, AssignmentState, IncidentStatus


def active_assignment(status: IncidentStatus, unit_id: str,
                      *allowed: AssignmentState) -> Assignment:
    """The unit's 交办单, or a refusal saying which units the incident has."""
    assignment = status.assignment(unit_id)
    if assignment is None:
        known = ", ".join(a.unit_id for a in status.assignments) or "无"
        raise Refusal(f"未知单位 {unit_id}：本事件的责任单位为 {known} (unknown unit)")
    if allowed and assignment.state not in allowed:
        raise Refusal(f"单位 {unit_id} 的交办单当前为「{assignment.state.label}」，不能执行此操作")
    return assignment


def assign_units(step: Step, units: list[UnitRef], first: bool) -> list[Assignment]:
    """One 交办单 per unit (R-5); a returned unit named again gets a new round."""
    status = step.status
    emergency = bool(status.category and status.category.is_emergency)
    issued = []
    if any(u.lead for u in units):
        for a in status.assignments:
            a.lead = False
    for unit in units:
        existing = status.assignment(unit.unit_id)
        if existing and existing.state.is_active:
            existing.lead = unit.lead or existing.lead
            existing.name = unit.name or existing.name
            continue
        round_ = existing.round + 1 if existing else 1
        assignment = Assignment(
            unit_id=unit.unit_id, name=unit.name, lead=unit.lead, round=round_,
            form_id=f"{status.incident_id}-{unit.unit_id}-{round_}",
            assigned_at=step.now,
            # Statutory windows run from first detection; a unit assigned
            # later (reassignment) could not have acted before it was told.
            windows_from=status.first_detected_at if first else step.now,
            emergency=emergency, reply_form=status.reply_form,
            handling_hours=status.handling_hours,
        )
        if existing:
            status.assignments.remove(existing)
        status.assignments.append(assignment)
        issued.append(assignment)
    return issued


def deliver_assignment(step: Step, assignment: Assignment, actor: str) -> None:
    """紧急交办 phones the unit first; the written form follows now or on backfill_form."""
    status = step.status
    if assignment.emergency:
        unit = Recipient(recipient_id=assignment.unit_id, name=assignment.name)
        step.notify("emergency_assignment", [unit], [NotifyChannel.PHONE, NotifyChannel.SMS],
                    f"【紧急交办】{status.title}",
                    f"请立即核实处置并回应：{status.title}。"
                    f"办理期限 {local_time(handle_deadline(status, assignment, step.now))}。")
        step.record(actor, "phone_assignment",
                    f"紧急交办：已电话/短信通知 {assignment.name or assignment.unit_id}",
                    rule="C-E", unit_id=assignment.unit_id)
        if window(status, WindowId.BACKFILL, assignment.unit_id, assignment.round):
            return  # the written form follows on backfill_form (004 二(二)2)
    issue_form(step, assignment, actor)


def issue_form(step: Step, assignment: Assignment, actor: str) -> None:
    """《网络政务舆情处置交办单》 to one unit, with its deadlines."""
    status = step.status
    ack = window(status, WindowId.ACK, assignment.unit_id, assignment.round)
    form = AssignmentForm(
        form_id=assignment.form_id, incident_id=status.incident_id, title=status.title,
        unit=Recipient(recipient_id=assignment.unit_id, name=assignment.name),
        lead=assignment.lead,
        category=status.category.value if status.category else "",
        category_label=status.category.label if status.category else "",
        severity=status.severity.value if status.severity else "",
        reply_form=assignment.reply_form,
        handling_deadline=handle_deadline(status, assignment, step.now),
        ack_deadline=ack.deadline if ack else step.now,
        reports=[f"{r.platform} {r.url} {r.content}".strip() for r in status.reports],
        emergency=assignment.emergency, issued_by=actor,
    )
    step.record(actor, "issue_form",
                f"下发交办单 {assignment.form_id} 至 {assignment.name or assignment.unit_id}",
                rule="R-5", unit_id=assignment.unit_id)
    step.deliver(form, f"交办单 {form.form_id}")


# ------------------------------------------------------------ 签收回传 (W-ACK)

def check_acknowledge(state: IncidentState, message: Acknowledge, ctx: Context) -> None:
    assignment = active_assignment(state.status, message.unit_id)
    if assignment.state != AssignmentState.ASSIGNED:
        raise Refusal(f"单位 {message.unit_id} 的交办单当前为「{assignment.state.label}」，"
                      "无需再次签收")


def apply_acknowledge(step: Step, message: Acknowledge) -> None:
    assignment = active_assignment(step.status, message.unit_id)
    assignment.state = AssignmentState.ACKNOWLEDGED
    assignment.acknowledged_at = step.now
    meet(step, WindowId.ACK, assignment.unit_id, "acknowledge", step.now, assignment.round)
    step.record(message.actor, "acknowledge", "签收回传交办单", unit_id=message.unit_id)


# ------------------------------------------------- 补充填报 (W-BACKFILL)

def check_backfill_form(state: IncidentState, message: BackfillForm, ctx: Context) -> None:
    assignment = active_assignment(state.status, message.unit_id)
    owed = window(state.status, WindowId.BACKFILL, assignment.unit_id, assignment.round)
    if owed is None:
        raise Refusal("该交办单不是待补填的紧急交办单 (no written form is owed)")
    if owed.met_at is not None:
        raise Refusal(f"交办单已于 {local_time(owed.met_at)} 补充填报")


def apply_backfill_form(step: Step, message: BackfillForm) -> None:
    assignment = active_assignment(step.status, message.unit_id)
    meet(step, WindowId.BACKFILL, assignment.unit_id, "backfill_form", step.now, assignment.round)
    issue_form(step, assignment, message.actor)


# ------------------------------------------------------------- 退回

def check_return_assignment(state: IncidentState, message: ReturnAssignment,
                            ctx: Context) -> None:
    active_assignment(state.status, message.unit_id, AssignmentState.ASSIGNED,
                      AssignmentState.ACKNOWLEDGED)


def apply_return_assignment(step: Step, message: ReturnAssignment) -> None:
    """Not this unit's duty: its windows lapse and the office assigns again (研判调整)."""
    assignment = active_assignment(step.status, message.unit_id)
    assignment.state = AssignmentState.RETURNED
    assignment.return_reason = message.reason
    assignment.extension_request = None
    step.record(message.actor, "return_assignment", f"退回：{message.reason}",
                unit_id=message.unit_id)
    reconcile(step, f"{message.unit_id} 已退回")
    if not step.status.active_assignments:
        step.record(SYSTEM_ACTOR, "awaiting_reassignment", "全部单位已退回，待网信办重新研判交办")
