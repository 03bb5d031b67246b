"""催办 · 督办 · 问责 (004 二(五)): what a missed window sets off, and the people who escalate.

A missed window urges the units that owed it (E-URGE). Still unresolved after
the urge grace, the 督查室 supervises (E-SUPERVISE); still overdue after the
supervision grace, the workflow recommends 问责 (E-ACCOUNT), which only the
supervisory organ can start. Leaders' instructions (批示) reach every active unit.

Rules version 2: only 逾期不回应 (W-FACTS, W-AUTH, W-PRESS, W-RESP) and 逾期不反馈
(W-HANDLE) climb the ladder; a missed local-default window (W-ACK, W-CONT)
sends the unit a reminder (提醒); a missed W-BACKFILL alerts the assigning office.
The grace periods are local defaults, and what they set off is marked so.
"""

from datetime import datetime

from domain.messages import LeaderInstruction, StartAccountability, Supervise
from domain.notifications import CYBERSPACE_OFFICE, SUPERVISION_OFFICE, SUPERVISORY_ORGAN
from domain.notifications import NotifyChannel, Recipient
from domain.presentation import local_time
from domain.engine.step import (
    SYSTEM_ACTOR, Context, Effect, GraceOver, IncidentState, Refusal, Step, WindowKey,
)
from domain.profiles import WindowId
from domain.procedure.answerable import LOCAL_MARK, local_step, names as _names, single as _single, units_owing
from domain.rules_version import rules_of
from domain.status import OFFICE, Assignment, Escalation, Window, WindowState

ASSIGNING_OFFICES = [CYBERSPACE_OFFICE, Recipient(recipient_id="gov-office", name="市政府办公室")]


def deadline_passed(state: IncidentState, key: WindowKey, deadline: datetime,
                    ctx: Context) -> list[Effect] | None:
    """A window's timer fired; None when the window was met or moved meanwhile."""
    missed = next((w for w in state.status.windows if w.key == key), None)
    if missed is None or missed.state != WindowState.PENDING or missed.deadline != deadline:
        return None
    step = Step(state, ctx)
    rules = rules_of(state.status)
    missed.state = WindowState.MISSED
    unit = f"{missed.unit_id} " if missed.unit_id else ""
    local = rules.marks_each_local_default and not missed.statutory
    step.record(SYSTEM_ACTOR, "window_missed",
                f"{unit}{missed.id.value}「{missed.label}」超期（截止 {local_time(missed.deadline)}）"
                + ("（本地默认时限，非法定）" if local else ""),
                rule=missed.id.value, unit_id=missed.unit_id, local_default=local)
    if missed.id == WindowId.ANALYZE:
        step.notify("analysis_overdue", [CYBERSPACE_OFFICE], [NotifyChannel.MESSAGE],
                    f"【研判超期】{state.status.title}", "舆情尚未研判交办，请尽快研判。")
    elif rules.office_holds_unassigned and OFFICE in missed.owed_by:
        _alert_office(step, missed)
    elif missed.id in state.climbing:
        _urge(step, missed)
    elif missed.id == WindowId.BACKFILL:
        _alert_office(step, missed)
    else:
        _remind(step, missed)
    return step.effects


def _owing(step: Step, missed: Window) -> list:
    """The active assignments of the units that owed the window."""
    active = step.status.active_assignments
    rules = rules_of(step.status)
    if rules.urge_owners_only and missed.owed_by:
        owing = [a for a in active if a.unit_id in missed.owed_by]
        return owing if rules.office_holds_unassigned else owing or active
    return [a for a in active if missed.unit_id is None or a.unit_id == missed.unit_id]


def _remind(step: Step, missed: Window) -> None:
    """W-ACK, W-CONT: a local-default window; a reminder (提醒), not a rung of the ladder."""
    targets = _owing(step, missed)
    if not targets:
        return
    names = "、".join(a.name or a.unit_id for a in targets)
    step.record(SYSTEM_ACTOR, "remind", f"提醒 {names}：{missed.id.value}「{missed.label}」已超期"
                "（本地默认时限，不升级督办）", rule=missed.id.value, unit_id=missed.unit_id,
                local_default=True)
    step.notify("reminder", [Recipient(recipient_id=a.unit_id, name=a.name) for a in targets],
                [NotifyChannel.MESSAGE, NotifyChannel.SMS], f"【提醒】{step.status.title}",
                f"{missed.label}已超期（截止 {local_time(missed.deadline)}），请尽快办理。")


def _alert_office(step: Step, missed: Window) -> None:
    """W-BACKFILL is the assigning office's duty (004 二(二)2): alert it, never the unit.

    So is a public window that fell due while no unit was assigned (A-HOLD).
    """
    if missed.id != WindowId.BACKFILL:
        step.record(SYSTEM_ACTOR, "alert_office",
                    f"提示网信办、市政府办：{missed.id.value}「{missed.label}」届满时尚未交办任何单位，"
                    "为交办方超期（A-HOLD），不计入承办单位", rule=missed.id.value,
                    unit_id=OFFICE, local_default=not missed.statutory)
        step.notify("office_overdue", ASSIGNING_OFFICES, [NotifyChannel.MESSAGE],
                    f"【交办方超期】{step.status.title}",
                    f"{missed.label}已超期（截止 {local_time(missed.deadline)}），"
                    "届满时尚未研判交办，请立即研判交办并督促回应。")
        return
    unit = missed.unit_id or ""
    step.record(SYSTEM_ACTOR, "alert_office",
                f"提示网信办、市政府办：{unit} 的交办单尚未补充填报（电话交办后），"
                "此为交办方责任，不计入承办单位", rule="W-BACKFILL", unit_id=missed.unit_id,
                local_default=True)
    step.notify("backfill_overdue", ASSIGNING_OFFICES, [NotifyChannel.MESSAGE],
                f"【补填交办单超期】{step.status.title}",
                f"电话交办 {unit} 后的《网络政务舆情处置交办单》尚未补充填报"
                f"（截止 {local_time(missed.deadline)}），请立即补填。")


def _urge(step: Step, missed: Window) -> None:
    """E-URGE: a missed window → urge the unit(s) it concerns."""
    status = step.status
    targets = _owing(step, missed)
    if not targets:
        return
    if status.escalation.rank < Escalation.URGED.rank:
        status.escalation = Escalation.URGED
    names = "、".join(a.name or a.unit_id for a in targets)
    local = local_step(step, missed)
    if rules_of(status).named_escalation:
        for a in targets:
            a.urged_at = a.urged_at or step.now
    step.record(SYSTEM_ACTOR, "urge", f"催办 {names}：{missed.id.value}「{missed.label}」已超期"
                + (LOCAL_MARK if local else ""), rule="E-URGE",
                unit_id=missed.unit_id or _single(step, targets), local_default=local)
    step.notify("urge", [Recipient(recipient_id=a.unit_id, name=a.name) for a in targets],
                [NotifyChannel.PHONE, NotifyChannel.SMS, NotifyChannel.MESSAGE],
                f"【催办】{status.title}",
                f"{missed.label}已超期（截止 {local_time(missed.deadline)}），请立即办理并反馈。")
    if status.escalation.rank < Escalation.SUPERVISED.rank:
        name = f"urge:{missed.id.value}:{missed.unit_id}:{missed.seq}"
        if rules_of(status).repeat_misses_kept and missed.missed_deadlines:  # a moved deadline missed again
            name += f":{len(missed.missed_deadlines)}"
        step.grace(name, status.local_defaults.urge_grace_hours, "催办宽限期",
                   GraceOver("urge", missed.key))


def grace_over(state: IncidentState, then: GraceOver, ctx: Context) -> list[Effect] | None:
    """A grace period ended; None when the incident closed meanwhile."""
    if state.status.stage.is_final:
        return None
    step = Step(state, ctx)
    if then.after == "urge":
        _urge_grace_over(step, then.window)
    else:
        _supervise_grace_over(step)
    return step.effects


def _urge_grace_over(step: Step, key: WindowKey | None) -> None:
    """E-SUPERVISE: still unresolved after urging → 督查室 supervises."""
    status = step.status
    missed = next((w for w in status.windows if w.key == key), None)
    if missed is None:
        return
    assignment = status.assignment(missed.unit_id) if missed.unit_id else None
    resolved = missed.met_at is not None or (assignment is not None
                                             and not assignment.state.is_active)
    if rules_of(status).moved_deadline_resolves:  # its deadline moved on (延期、已说明情况): no longer overdue
        resolved = resolved or missed.state == WindowState.PENDING
    if resolved or status.escalation.rank >= Escalation.SUPERVISED.rank:
        return
    named = rules_of(status).named_escalation
    units = units_owing(step.state, urged=True) if named else None
    if units == []:
        return  # every unit urged has met its duties meanwhile
    marked = rules_of(status).marks_local_defaults
    grace = f"（本地默认：催办后 {status.local_defaults.urge_grace_hours:g} 小时）" if marked else ""
    escalate_to_supervision(step, SYSTEM_ACTOR,
                            f"经催办仍未解决：{missed.id.value}「{missed.label}」"
                            f"{' ' + missed.unit_id if missed.unit_id else ''}{grace}",
                            local_default=marked, units=units)


def escalate_to_supervision(step: Step, actor: str, reason: str, *,
                            local_default: bool = False,
                            units: list[Assignment] | None = None) -> None:
    """E-SUPERVISE; ``units`` (rules version 3): the units it names, and only they are told."""
    status = step.status
    if status.escalation.rank < Escalation.SUPERVISED.rank:
        status.escalation = Escalation.SUPERVISED
    recipients = step.active_unit_recipients()
    if units is not None:
        for a in units:
            a.supervised_at = a.supervised_at or step.now
        reason = f"督办 {_names(units)}：{reason.removeprefix('督办：')}"
        recipients = [Recipient(recipient_id=a.unit_id, name=a.name) for a in units]
        local_default = local_default or local_step(step)
    step.record(actor, "supervise", reason, rule="E-SUPERVISE", local_default=local_default,
                unit_id=_single(step, units or []))
    step.notify("supervise", [SUPERVISION_OFFICE, *recipients],
                [NotifyChannel.PHONE, NotifyChannel.MESSAGE], f"【督办】{status.title}", reason)
    step.grace("supervise", status.local_defaults.supervise_grace_hours, "督办宽限期",
               GraceOver("supervise"))


def _supervise_grace_over(step: Step) -> None:
    """E-ACCOUNT is a person's decision; the workflow only recommends it."""
    status = step.status
    # Only 不回应 / 不反馈 can lead to 问责 (rules version 1: every window climbs).
    climbing = step.state.climbing
    overdue = any(w.unresolved_miss and w.id in climbing for w in status.windows)
    units = units_owing(step.state, urged=False) if rules_of(status).named_escalation else []
    if rules_of(status).named_escalation:
        overdue = bool(units)  # 问责 concerns units; the office's own miss names none (SPEC §7)
    if not overdue or status.escalation == Escalation.ACCOUNTABILITY:
        return
    status.accountability_recommended = True
    marked = rules_of(status).marks_local_defaults
    grace = (f"；本地默认：督办后 {status.local_defaults.supervise_grace_hours:g} 小时，非法定"
             if marked else "")
    whom = f"对 {_names(units)} " if units else ""
    step.record(SYSTEM_ACTOR, "recommend_accountability",
                f"督办后仍未解决，建议监察机关{whom}启动问责程序（须人工决定{grace}）",
                rule="E-ACCOUNT", local_default=marked, unit_id=_single(step, units))


# ------------------------------------------------------- people's messages

def check_supervise(state: IncidentState, message: Supervise, ctx: Context) -> None:
    """督查室 may supervise at any time (rules version 3: only units urged first, 004 二(五))."""
    status = state.status
    if not rules_of(status).named_escalation:
        if message.named:
            raise Refusal("本事件的规则版本不按单位督办，不能指定 unit_ids")
        return
    owing = {a.unit_id for a in units_owing(state, urged=True)}
    for unit_id in message.named:
        found = status.assignment(unit_id)
        if found is None or not found.state.is_active:
            raise Refusal(f"单位 {unit_id} 不是本事件在办的责任单位 (not an active unit)")
        if found.urged_at is None:
            raise Refusal(f"单位 {unit_id} 未经催办，不能督办（004 二(五)：经催办仍未解决的）")
        if unit_id not in owing:
            raise Refusal(f"单位 {unit_id} 经催办后已无未解决的超期，不能督办"
                          "（004 二(五)：经催办仍未解决的）")
    if not message.named and not owing:
        raise Refusal("没有经催办仍未解决的单位，无可督办（004 二(五)）；请指明 unit_ids")


def apply_supervise(step: Step, message: Supervise) -> None:
    units = None
    if rules_of(step.status).named_escalation:
        units = ([a for a in step.status.active_assignments if a.unit_id in message.named]
                 or units_owing(step.state, urged=True))
    escalate_to_supervision(step, message.actor, f"督办：{message.reason}", units=units)


def check_leader_instruction(state: IncidentState, message: LeaderInstruction,
                             ctx: Context) -> None:
    """A leader may instruct at any time."""


def apply_leader_instruction(step: Step, message: LeaderInstruction) -> None:
    step.record(message.actor, "leader_instruction", f"领导批示：{message.text}")
    step.notify_active_units("leader_instruction", "领导批示", message.text)


def check_start_accountability(state: IncidentState, message: StartAccountability,
                               ctx: Context) -> None:
    for unit_id in message.named:
        if state.status.assignment(unit_id) is None:
            raise Refusal(f"未知单位 {unit_id} (unknown unit)")
    if message.unit_ids and not rules_of(state.status).named_escalation:
        raise Refusal("本事件的规则版本只接受一个 unit_id")


def apply_start_accountability(step: Step, message: StartAccountability) -> None:
    step.status.escalation = Escalation.ACCOUNTABILITY
    if rules_of(step.status).named_escalation:
        _name_accountability(step, message)
        return
    who = f"（{message.unit_id}）" if message.unit_id else ""
    step.record(message.actor, "start_accountability", f"启动问责{who}：{message.reason}",
                rule="E-ACCOUNT", unit_id=message.unit_id)
    step.notify("accountability", [SUPERVISORY_ORGAN], [NotifyChannel.MESSAGE],
                f"【问责】{step.status.title}", message.reason)


def _name_accountability(step: Step, message: StartAccountability) -> None:
    """问责 names its units; none named: those with unresolved misses now, listed (SPEC §7)."""
    status = step.status
    units = ([a for a in status.assignments if a.unit_id in message.named]
             or units_owing(step.state, urged=False))
    for a in units:
        a.accountability_at = a.accountability_at or step.now
    who = (f"（{_names(units)}）" if message.named else
           f"（未指明单位，按尚有未解决超期的单位：{_names(units) or '无'}）")
    step.record(message.actor, "start_accountability", f"启动问责{who}：{message.reason}",
                rule="E-ACCOUNT", unit_id=_single(step, units))
    step.notify("accountability", [SUPERVISORY_ORGAN, *[
        Recipient(recipient_id=a.unit_id, name=a.name) for a in units]], [NotifyChannel.MESSAGE],
        f"【问责】{status.title}", message.reason)
