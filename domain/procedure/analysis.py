"""研判 (004 二(一)(二)): category, severity, units and deadlines; 研判调整 re-plans them.

A first 研判 assigns the units named (one 交办单 each); an adjustment may raise
or lower the severity, add units or change the deadlines, and every open
window follows. A new major incident goes to 会商研判 (joint consultation).
"""

from typing import Any

from domain.classification import implied_criteria, key_response_criteria
from domain.limits import MAX_ACTIVE_UNITS
from domain.messages import Analyze, UnitRef
from domain.notifications import CYBERSPACE_OFFICE, NotifyChannel, Recipient
from domain.procedure import assignment as assigning
from domain.procedure import closing
from domain.procedure.consultation import call_consultation
from domain.engine.deadlines import meet, reconcile
from domain.engine.step import SYSTEM_ACTOR, Context, IncidentState, Refusal, Step
from domain.profiles import WindowId
from domain.routing import leads_in_person, route
from domain.rules_version import rules_of
from domain.status import AssignmentState

# The facts 研判 decides, with how the timeline names a change of each.
ANALYSIS_FIELDS = {"category": "分类", "severity": "级别", "reply_form": "答复形式",
                   "handling_hours": "办理时限(小时)", "response_hours": "回应时限(小时)",
                   "high_impact": "重大伤亡或较大社会影响", "key_criteria": "重点回应标准",
                   "emergency_event": "涉及突发事件", "matter": "涉及范围"}


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ",".join(_shown(v) for v in value) or "—"
    return str(getattr(value, "value", value))


def changes_of(state: IncidentState, message: Analyze) -> list[str]:
    """What this 研判 changes, as the timeline words it (``级别 较大→重大``)."""
    status = state.status
    changes = []
    for field, label in ANALYSIS_FIELDS.items():
        new, old = getattr(message, field), getattr(status, field)
        if new is not None and new != old:
            changes.append(f"{label} {_shown(old)}→{_shown(new)}")
    if message.rumour and not status.rumour:
        changes.append("研判为造谣传谣")
    return changes


def check_analyze(state: IncidentState, message: Analyze, ctx: Context) -> None:
    status = state.status
    first = status.analyzed_at is None
    if first and None in (message.category, message.severity, message.units):
        raise Refusal("首次研判须包含 category、severity、units "
                      "(the first analysis needs category, severity and units)")
    resp = state.profile.rule(WindowId.RESP, status.local_defaults)
    if message.response_hours is not None and resp and message.response_hours > resp.hours:
        raise Refusal(f"response_hours 不得超过法定回应时限 {resp.hours:g} 小时")
    for unit in message.units or []:
        existing = status.assignment(unit.unit_id)
        if existing and existing.state == AssignmentState.COMPLETED:
            raise Refusal(f"单位 {unit.unit_id} 的交办单已办结，不能重新交办")
    named = {u.unit_id for u in message.units or []}
    active = {a.unit_id for a in status.active_assignments} | named
    if len(active) > MAX_ACTIVE_UNITS:
        raise Refusal(f"责任单位过多：同时最多 {MAX_ACTIVE_UNITS} 个 "
                      f"(at most {MAX_ACTIVE_UNITS} responsible units at once)")
    if not first and not changes_of(state, message) and not message.units and not message.note:
        raise Refusal("研判调整没有任何变化 (nothing to change)")


def apply_analyze(step: Step, message: Analyze) -> None:
    status = step.status
    first = status.analyzed_at is None
    changes = changes_of(step.state, message)
    was_major = _is_major(step.state)
    was_major_emergency = status.analyzed_at is not None and status.major_emergency
    was_emergency = bool(status.category and status.category.is_emergency)
    # What 研判 declared, without what the old category implied (a reclassified E1 loses K4).
    implied = implied_criteria(status.category, status.emergency_event)
    declared = [k for k in status.key_criteria if k not in implied]
    for field in ANALYSIS_FIELDS:
        value = getattr(message, field)
        if value is not None:
            setattr(status, field, value)
    rules = rules_of(status)
    if rules.criteria_by_event and message.key_criteria is None:
        status.key_criteria = declared
    status.key_criteria = key_response_criteria(
        status.category, status.key_criteria, faithful=rules.criteria_by_event,
        emergency_event=status.emergency_event)
    if message.handling_hours is not None:
        for assignment in status.active_assignments:  # 研判调整 re-computes open windows
            assignment.handling_hours = message.handling_hours
    if first:
        status.analyzed_at = step.now
        meet(step, WindowId.ANALYZE, None, "analyze", step.now)

    detail = "；".join(changes) or "研判"
    if message.note:
        detail += f"（{message.note}）"
    step.record(message.actor, "analyze" if first else "reanalyze",
                ("研判：" if first else "研判调整：") + detail)

    new_units = assigning.assign_units(step, message.units, first) if message.units else []
    if message.units or first:
        _record_routing(step, message)
    if status.severity is not None:
        status.leader_in_charge = leads_in_person(status.severity)

    if first and rules.marks_local_defaults and status.handling_hours is None \
            and step.state.profile.handling_set_at_assignment:
        step.record(message.actor, "handling_default",
                    "交办时未按轻重缓急设置办理时限，按本地默认 "
                    f"{status.local_defaults.handling_hours:g} 小时", rule="W-HANDLE",
                    local_default=True)

    reconcile(step, f"研判调整：{detail}" if not first else "研判")
    if rules.emergency_side_duties and any(a.emergency for a in new_units):
        assigning.report_to_leaders(step, message.actor, [a for a in new_units if a.emergency])
    for assignment in new_units:
        assigning.deliver_assignment(step, assignment, message.actor)
    if rules.leaders_on_reclassification and not first and not was_emergency \
            and status.category and status.category.is_emergency \
            and status.active_assignments and status.leaders_informed_at is None:
        assigning.report_to_leaders(step, message.actor, status.active_assignments)
    if rules.emergency_side_duties and status.major_emergency and not was_major_emergency:
        _start_monitoring(step, message.actor)
        if status.profile in rules.upward_report_profiles:
            _report_upward(step, message.actor)
    if _is_major(step.state) and not was_major:
        call_consultation(step, message.actor)
    if message.rumour and not status.rumour:
        status.rumour = True
        if status.rumour_transferred_at is None:
            closing.transfer_rumour(step, SYSTEM_ACTOR, "研判为造谣传谣，自动移交 (C-X)")


def _is_major(state: IncidentState) -> bool:
    return bool(state.status.severity and state.status.severity.is_major)


def _record_routing(step: Step, message: Analyze) -> None:
    """回应主体 (R-1…R-6): who answers first and who coordinates, with the rule ids."""
    units = [UnitRef(unit_id=a.unit_id, name=a.name, lead=a.lead, vertical=a.vertical)
             for a in step.status.active_assignments]
    if not units:
        return
    decision = route(units, step.status.matter, step.status.severity)
    step.record(message.actor, "routing",
                f"回应主体：{decision.explanation}；组织协调：{decision.coordinator}",
                rule=",".join(decision.rules))


SUPERIORS = Recipient(recipient_id="superiors", name="上级机关")


def _report_upward(step: Step, actor: str) -> None:
    """Liuzhou: a major emergency is reported to the superiors with the 1 h facts (001 一(一)1)."""
    status = step.status
    step.notify("report_upward", [SUPERIORS], [NotifyChannel.PHONE, NotifyChannel.MESSAGE],
                f"【重大突发事件报告】{status.title}",
                "涉及特别重大、重大突发事件：在第一时间发布事实信息的同时向上级报告。")
    step.record(actor, "report_upward", "重大突发事件：向上级报告（与1小时内事实发布同时）",
                rule="001 一(一)1")


def _start_monitoring(step: Step, actor: str) -> None:
    """A major emergency: 网信办 starts 24-hour whole-network monitoring with the units (004 二(一))."""
    status = step.status
    if status.monitoring_started_at is not None:
        return
    status.monitoring_started_at = step.now
    step.notify("round_the_clock_monitoring", [CYBERSPACE_OFFICE, *step.active_unit_recipients()],
                [NotifyChannel.MESSAGE, NotifyChannel.SMS], f"【24小时全网舆情监测】{status.title}",
                "涉及特别重大、重大突发事件：即日起会同相关责任部门和地区开展24小时全网舆情监测。")
    step.record(actor, "start_monitoring",
                "重大突发事件：网信办会同相关责任部门和地区启动24小时全网舆情监测",
                rule="004 二(一)")
