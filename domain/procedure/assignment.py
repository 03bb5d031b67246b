"""交办 (004 二(二)): one 交办单 per unit, emergencies by phone first, sign-for, return.

Routine categories get the written form at once; emergency categories (紧急交办)
are phoned first and the written form is filled in afterwards (补充填报,
W-BACKFILL). The unit signs for its form and returns it (签收回传, W-ACK), or
returns the assignment as not its duty (退回), and the office assigns again.
"""

from domain.messages import Acknowledge, BackfillForm, ReturnAssignment, UnitRef
from domain.notifications import AssignmentForm, NotifyChannel, Recipient
from domain.presentation import local_time
from domain.procedure.answerable import LOCAL_MARK, local_step
from domain.engine.deadlines import handle_deadline, meet, reconcile, window
from domain.engine.step import SYSTEM_ACTOR, Context, IncidentState, Refusal, Step
from domain.profiles import RESPONSE_WINDOWS, WindowId
from domain.rules_version import rules_of
from domain.status import Assignment, AssignmentState, IncidentStatus, Window, WindowState


def active_assignment(status: IncidentStatus, unit_id: str,
                      *allowed: AssignmentState) -> Assignment:
    """The unit's 交办单, or a refusal saying which units the incident has."""
    assignment = status.assignment(unit_id)
    if assignment is None:
        if not status.assignments:
            raise Refusal(f"未知单位 {unit_id}：本事件尚未研判交办任何单位 (no unit assigned yet)")
        known = ", ".join(f"{a.unit_id}（{a.name}）" if a.name else a.unit_id
                          for a in status.assignments)
        raise Refusal(f"未知单位 {unit_id}：本事件的责任单位为 {known} (unknown unit)")
    if allowed and assignment.state not in allowed:
        raise Refusal(f"单位 {unit_id} 的交办单当前为「{assignment.state.label}」，不能执行此操作")
    return assignment


def assign_units(step: Step, units: list[UnitRef], first: bool) -> list[Assignment]:
    """One 交办单 per unit (R-5); a returned unit named again gets a new round."""
    status = step.status
    emergency = bool(status.category and status.category.is_emergency)
    phoned_first = emergency and step.state.profile.emergency_backfill
    rules = rules_of(status)
    if rules.unit_clocks_from_assignment:
        # Unit clocks run from the assignment: the unit signs "在收到交办单后" and the
        # 办理时限 is set "交办时" (004 二(二)); for an emergency, from the phone call.
        windows_from = step.now
    else:
        windows_from = status.first_detected_at if first else step.now
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
            assigned_at=step.now, windows_from=windows_from, vertical=unit.vertical,
            emergency=emergency, reply_form=status.reply_form,
            handling_hours=status.handling_hours,
        )
        if rules.emergency_side_duties:
            # The written form goes out now, or after the phone call on backfill_form.
            assignment.form_issued_at = None if phoned_first else step.now
            if assignment.reply_form is None:  # 交办需明确答复形式 (004 二(二))
                assignment.reply_form = status.local_defaults.reply_form
                assignment.reply_form_default = True
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


CITY_LEADERS = Recipient(recipient_id="city-leaders", name="市相关领导")


def report_to_leaders(step: Step, actor: str, assignments: list[Assignment]) -> None:
    """紧急交办: the offices report to the city leaders as they phone the units (004 二(二)2)."""
    status = step.status
    status.leaders_informed_at = status.leaders_informed_at or step.now
    units = "、".join(a.name or a.unit_id for a in assignments)
    step.notify("report_to_leaders", [CITY_LEADERS], [NotifyChannel.PHONE, NotifyChannel.MESSAGE],
                f"【紧急交办汇报】{status.title}",
                f"{status.category.label if status.category else ''}：已紧急交办 {units}，"
                "先电话交办，交办单随后补充填报。")
    local = local_step(step)  # 004's 紧急交办 under a profile without it (A-LOCAL)
    step.record(actor, "report_to_leaders", f"紧急交办：向市相关领导汇报（交办 {units}）"
                + (LOCAL_MARK if local else ""), rule="004 二(二)2", local_default=local)


def issue_form(step: Step, assignment: Assignment, actor: str) -> None:
    """《网络政务舆情处置交办单》 to one unit, with its deadlines."""
    status = step.status
    ack = window(status, WindowId.ACK, assignment.unit_id, assignment.round)
    owed = response_window(status, assignment.unit_id) if rules_of(status).response_per_unit \
        else None
    handling = window(status, WindowId.HANDLE, assignment.unit_id, assignment.round)
    # A-LOCAL: a handling deadline no document of the profile fixes says so on the form.
    handling_local = (rules_of(status).marks_each_local_default and handling is not None
                      and not handling.statutory)
    form = AssignmentForm(
        handling_deadline_local_default=handling_local,
        response_deadline=owed.deadline if owed else None,
        response_deadline_local_default=bool(owed and not owed.statutory),
        form_id=assignment.form_id, incident_id=status.incident_id, title=status.title,
        unit=Recipient(recipient_id=assignment.unit_id, name=assignment.name),
        lead=assignment.lead,
        category=status.category.value if status.category else "",
        category_label=status.category.label if status.category else "",
        severity=status.severity.value if status.severity else "",
        reply_form=assignment.reply_form, reply_form_default=assignment.reply_form_default,
        handling_deadline=handle_deadline(status, assignment, step.now),
        ack_deadline=ack.deadline if ack else step.now,
        reports=[f"{r.platform} {r.url} {r.content}".strip() for r in status.reports],
        emergency=assignment.emergency, issued_by=actor,
    )
    detail = f"下发交办单 {assignment.form_id} 至 {assignment.name or assignment.unit_id}"
    if rules_of(status).emergency_side_duties:
        default = "（本地默认，交办时未指定）" if assignment.reply_form_default else ""
        detail += f"；答复形式：{assignment.reply_form}{default}；答复时间："
        if owed is not None:  # the response the unit owes, then the handling deadline (A-HOLD)
            detail += (f"{owed.id.value}「{owed.label}」{local_time(owed.deadline, with_year=True)}"
                       f" 前（{'法定' if owed.statutory else '本地默认'}），办理时限 ")
        detail += f"{local_time(form.handling_deadline, with_year=True)} 前（北京时间）"
        detail += "（办理时限为本地默认，非法定）" if handling_local else ""
    step.record(actor, "issue_form", detail, rule="R-5", unit_id=assignment.unit_id,
                local_default=handling_local)
    step.deliver(form, f"交办单 {form.form_id}")


def response_window(status: IncidentStatus, unit_id: str) -> Window | None:
    """The earliest public window the unit owes: its W-RESP, or a major emergency's fast ones."""
    owed = [w for w in status.windows if w.id in RESPONSE_WINDOWS
            and w.state == WindowState.PENDING
            and (w.unit_id == unit_id or (w.unit_id is None and unit_id in w.owed_by))]
    return min(owed, key=lambda w: w.deadline, default=None)


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
    if rules_of(state.status).backfill_owed_by_office and not assignment.state.is_active:
        raise Refusal(f"单位 {message.unit_id} 的交办单当前为「{assignment.state.label}」，无需补填")
    owed = window(state.status, WindowId.BACKFILL, assignment.unit_id, assignment.round)
    if owed is None:
        raise Refusal("该交办单不是待补填的紧急交办单 (no written form is owed)")
    if owed.met_at is not None:
        raise Refusal(f"交办单已于 {local_time(owed.met_at)} 补充填报")


def apply_backfill_form(step: Step, message: BackfillForm) -> None:
    """The assigning office files the written form; the unit's W-ACK runs from now."""
    assignment = active_assignment(step.status, message.unit_id)
    meet(step, WindowId.BACKFILL, assignment.unit_id, "backfill_form", step.now, assignment.round)
    if rules_of(step.status).ack_from_written_form:
        assignment.form_issued_at = step.now
        reconcile(step, "补充填报交办单")
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
