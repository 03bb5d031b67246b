"""IncidentWorkflow: one public-opinion incident (舆情事件) from report to close.

收集 → 研判 → 交办 → 办理回应 → 情况反馈 → 催办 → 督办 → 问责. Every message is
validated inside its handler and either applied or refused with a reason; the
workflow never fails or stalls on input. Each window is one durable timer; a
changed fact re-computes the open windows and only the timers that moved.
"""

import asyncio
from datetime import datetime, timedelta
from typing import Any, Callable

from temporalio import workflow
from temporalio.common import RetryPolicy, TypedSearchAttributes
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from domain import search_attributes as sa
    from domain.classification import KEY_CRITERION_LABELS, key_response_criteria
    from domain.messages import (
        MESSAGE_DESCRIPTIONS, MESSAGE_MODELS, MESSAGE_REFUSED, WINDOWS_MET_BY_CHANNEL,
        Acknowledge, AddReport, Analyze, BackfillForm, DecideExtension, IncidentStart,
        LeaderInstruction, Message, RecordResponse, RequestExtension, ReturnAssignment,
        ReviewFeedback, StartAccountability, SubmitFeedback, Supervise, TransferToPolice, UnitRef,
        Withdraw,
    )
    from domain.notifications import (
        JOINT_CONSULTATION_MEMBERS, SUPERVISION_OFFICE, SUPERVISORY_ORGAN,
        AssignmentForm, Notification, NotifyChannel, Recipient, RumourTransfer,
    )
    from domain.presentation import describe_validation_error, local_time, render_current_details
    from domain.profiles import WindowId, profile_for
    from domain.routing import route
    from domain.status import (
        Assignment, AssignmentState, Escalation, Feedback, ExtensionRequest, IncidentStatus,
        MessageReceipt, RejectedInput, ResponseRecord, Stage, TimelineEntry, Window, WindowState,
    )
    from domain.windows import is_overdue, next_deadline, plan_windows, reconcile_windows
    from workflows.logging import IncidentLog

SYSTEM_ACTOR = "系统"
DELIVERY_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), backoff_coefficient=2.0,
                             maximum_interval=timedelta(minutes=10))
DELIVERY_TIMEOUT = timedelta(days=3)  # keeps retrying a down service for days, then records failure
ATTEMPT_TIMEOUT = timedelta(minutes=2)
REWORK_PATCH = "rework-minimum-24h"
REWORK_MINIMUM = timedelta(hours=24)  # 退回重办 without a new deadline: at least this long
REJECTIONS_KEPT = 200  # bounded so a flood of bad input cannot grow the state without end


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ",".join(_shown(v) for v in value) or "—"
    return str(getattr(value, "value", value))


class Refusal(Exception):
    """A message that is malformed or not allowed now; the reason goes to the sender."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refused(refusal: Refusal) -> ApplicationError:
    """How a refused update answers its sender; the type lets a backend tell it from a fault."""
    return ApplicationError(refusal.reason, type=MESSAGE_REFUSED, non_retryable=True)


def _actor_of(payloads: tuple[Any, ...]) -> str | None:
    payload = payloads[0] if len(payloads) == 1 else None
    actor = payload.get("actor") if isinstance(payload, dict) else None
    return actor if isinstance(actor, str) else None


def _always_allowed(message: Any) -> None:
    """Messages with no precondition beyond a well-formed payload (批示, 督办)."""


def _signal_and_update(name: str) -> tuple[Any, Any]:
    """One CONTRACT message offered twice: as a signal, and as a validated update.

    Both take any number of payloads, so a wrong count is refused with a reason
    instead of failing in the SDK's decoding; both run the same check and the
    same step. The update's validator refuses before anything is written to
    the history, and its result is a receipt the sender gets at once.
    """
    description = MESSAGE_DESCRIPTIONS[name]

    def as_signal(self, *payloads: Any) -> None:
        self._receive_signal(name, payloads)

    def as_update(self, *payloads: Any) -> MessageReceipt:
        return self._receive_update(name, payloads)

    def validate(self, *payloads: Any) -> None:
        self._validate_update(name, payloads)

    as_signal.__name__, as_update.__name__ = name, f"{name}_update"
    validate.__name__ = f"validate_{name}"
    update = workflow.update(name=name, description=description)(as_update)
    update.validator(validate)
    return workflow.signal(name=name, description=description)(as_signal), update


@workflow.defn(name="IncidentWorkflow")
class IncidentWorkflow:
    @workflow.init
    def __init__(self, start: Any) -> None:
        # Validated here rather than by the SDK: a typed argument that fails to
        # decode would fail every workflow task and leave the incident stuck.
        try:
            start = IncidentStart.model_validate(start)
        except ValidationError as error:
            raise ApplicationError(
                f"报送内容无效，未能立案 (invalid incident start): {describe_validation_error(error)}",
                type="InvalidIncidentStart", non_retryable=True) from None
        self.start = start
        self.profile = profile_for(start.profile)
        self.incident = IncidentStatus(
            incident_id=start.incident_id, profile=start.profile, title=start.title,
            reports=[start.report], local_defaults=start.local_defaults,
        )
        self.log = IncidentLog(start.incident_id)
        self._started = False
        self._timers: dict[tuple, asyncio.Task] = {}
        self._grace_timers: dict[str, asyncio.Task] = {}
        self._deliveries: set[asyncio.Task] = set()
        self._delivery_seq = 0
        self._published: dict[str, Any] = {}
        self._joint_consultation_notified = False
        self._duplicate_reports = 0

    # ------------------------------------------------------------------ run

    @workflow.run
    async def run(self, start: Any) -> IncidentStatus:
        self._ensure_started()
        self._publish()
        await workflow.wait_condition(lambda: self.incident.stage.is_final)
        await workflow.wait_condition(workflow.all_handlers_finished)
        # Notices of the last step (e.g. 撤销) still go out before the incident closes.
        if self._deliveries:
            await workflow.wait(list(self._deliveries))
        return self.incident

    def _ensure_started(self) -> None:
        """Record the first report and apply a 研判 that came with it (once)."""
        if self._started:
            return
        self._started = True
        self._published = self._current_search_attributes()
        report = self.start.report
        self._record(self.start.actor, "report", f"上报：{report.platform} {report.url}".strip())
        if self.start.analysis is not None:
            analysis = Analyze(actor=self.start.actor,
                               **self.start.analysis.model_dump(exclude_none=True))
            try:
                self._check_analyze(analysis)
                self._apply_analyze(analysis)
                return
            except Refusal as refusal:
                self._refuse("analyze", f"随报送附带的研判未被采纳：{refusal.reason}",
                             self.start.actor)
        self._reconcile("待研判")

    # -------------------------------------------------------------- queries

    @workflow.query(description="舆情事件当前状态（阶段、督办、各单位交办单、各时限、时间线、被拒绝的消息）")
    def status(self) -> IncidentStatus:
        return self.incident

    # ------------------------------------------------------------- messages
    # Each CONTRACT message is both a signal and a validated update (see
    # _signal_and_update); the two share one check and one step below.

    add_report, add_report_update = _signal_and_update("add_report")
    analyze, analyze_update = _signal_and_update("analyze")
    acknowledge, acknowledge_update = _signal_and_update("acknowledge")
    backfill_form, backfill_form_update = _signal_and_update("backfill_form")
    return_assignment, return_assignment_update = _signal_and_update("return_assignment")
    request_extension, request_extension_update = _signal_and_update("request_extension")
    decide_extension, decide_extension_update = _signal_and_update("decide_extension")
    record_response, record_response_update = _signal_and_update("record_response")
    submit_feedback, submit_feedback_update = _signal_and_update("submit_feedback")
    review_feedback, review_feedback_update = _signal_and_update("review_feedback")
    leader_instruction, leader_instruction_update = _signal_and_update("leader_instruction")
    supervise, supervise_update = _signal_and_update("supervise")
    start_accountability, start_accountability_update = _signal_and_update("start_accountability")
    transfer_to_police, transfer_to_police_update = _signal_and_update("transfer_to_police")
    withdraw, withdraw_update = _signal_and_update("withdraw")

    # ------------------------------------------------------ message intake

    def _receive_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        self._ensure_started()
        try:
            self._take(name, payloads)
        except Refusal as refusal:
            self._refuse(name, refusal.reason, _actor_of(payloads))
        self._publish()

    def _validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        """Read-only: a rejected update is answered at once and leaves no trace in the history."""
        try:
            message = self._parse(name, payloads)
            if self._started:  # before the first step the handler checks, on the started incident
                self._check(name, message)
        except Refusal as refusal:
            self.log.warning("update_rejected", message=name, reason=refusal.reason,
                             actor=_actor_of(payloads))
            raise _refused(refusal) from None

    def _receive_update(self, name: str, payloads: tuple[Any, ...]) -> MessageReceipt:
        self._ensure_started()
        recorded = len(self.incident.timeline)
        try:
            self._take(name, payloads)
        except Refusal as refusal:  # validated against an incident that has changed since
            self._refuse(name, refusal.reason, _actor_of(payloads))
            self._publish()
            raise _refused(refusal) from None
        self._publish()
        status = self.incident
        return MessageReceipt(
            message=name, accepted_at=workflow.now(), stage=status.stage,
            escalation=status.escalation, next_deadline=status.next_deadline,
            overdue=status.overdue, effects=status.timeline[recorded:])

    def _take(self, name: str, payloads: tuple[Any, ...]) -> None:
        message = self._parse(name, payloads)
        self._check(name, message)
        self._steps(name)[1](message)

    def _parse(self, name: str, payloads: tuple[Any, ...]) -> Message:
        if len(payloads) != 1:
            raise Refusal(f"须发送且只发送一个 JSON 对象，收到 {len(payloads)} 个 "
                          "(send exactly one JSON object)")
        payload = payloads[0]
        if not isinstance(payload, dict):
            raise Refusal(f"消息须为 JSON 对象，收到 {type(payload).__name__} "
                          "(the message must be a JSON object)")
        try:
            return MESSAGE_MODELS[name].model_validate(payload)
        except ValidationError as error:
            raise Refusal(describe_validation_error(error)) from None

    def _check(self, name: str, message: Message) -> None:
        if self.incident.stage.is_final:
            raise Refusal(f"事件已{self.incident.stage.label}，不再接受消息")
        self._steps(name)[0](message)

    def _steps(self, name: str) -> tuple[Callable[[Any], None], Callable[[Any], None]]:
        """(check, apply) per message: the check only reads and refuses; the step changes the incident."""
        return {
            "add_report": (self._check_add_report, self._apply_add_report),
            "analyze": (self._check_analyze, self._apply_analyze),
            "acknowledge": (self._check_acknowledge, self._apply_acknowledge),
            "backfill_form": (self._check_backfill_form, self._apply_backfill_form),
            "return_assignment": (self._check_return_assignment, self._apply_return_assignment),
            "request_extension": (self._check_request_extension, self._apply_request_extension),
            "decide_extension": (self._check_decide_extension, self._apply_decide_extension),
            "record_response": (self._check_record_response, self._apply_record_response),
            "submit_feedback": (self._check_submit_feedback, self._apply_submit_feedback),
            "review_feedback": (self._check_review_feedback, self._apply_review_feedback),
            "leader_instruction": (_always_allowed, self._apply_leader_instruction),
            "supervise": (_always_allowed, self._apply_supervise),
            "start_accountability": (self._check_start_accountability,
                                     self._apply_start_accountability),
            "transfer_to_police": (self._check_transfer_to_police, self._apply_transfer_to_police),
            "withdraw": (self._check_withdraw, self._apply_withdraw),
        }[name]

    def _refuse(self, name: str, reason: str, actor: str | None) -> None:
        self.incident.rejected_inputs.append(
            RejectedInput(at=workflow.now(), message=name, reason=reason, actor=actor))
        del self.incident.rejected_inputs[:-REJECTIONS_KEPT]
        self.log.warning("message_refused", message=name, reason=reason, actor=actor)

    # ------------------------------------------------------------ 收集 reports

    def _check_add_report(self, message: AddReport) -> None:
        if message.report.detected_at > workflow.now() + timedelta(minutes=5):
            raise Refusal("detected_at 晚于当前时间 (detected_at is in the future)")

    def _apply_add_report(self, message: AddReport) -> None:
        report = message.report
        same = next((r for r in self.incident.reports if r.same_item(report)), None)
        if same is not None:
            if same.detected_at == report.detected_at:
                self._duplicate_reports += 1  # the same item again: nothing new to record
                return
            self._record(message.actor, "add_report",
                         f"重复报送，已合并：{report.platform} {report.url}".strip())
            return
        self.incident.reports.append(report)
        self._record(message.actor, "add_report",
                     f"新增舆情信息：{report.platform} {report.url}（{report.region}）".strip())
        self._reconcile("新增舆情信息，首次发现时间更新")

    # ---------------------------------------------------------------- 研判

    def _check_analyze(self, message: Analyze) -> None:
        status = self.incident
        first = status.analyzed_at is None
        if first and None in (message.category, message.severity, message.units):
            raise Refusal("首次研判须包含 category、severity、units "
                          "(the first analysis needs category, severity and units)")
        resp = self.profile.rule(WindowId.RESP, status.local_defaults)
        if message.response_hours is not None and resp and message.response_hours > resp.hours:
            raise Refusal(f"response_hours 不得超过法定回应时限 {resp.hours:g} 小时")
        if message.units is not None:
            for unit in message.units:
                existing = status.assignment(unit.unit_id)
                if existing and existing.state == AssignmentState.COMPLETED:
                    raise Refusal(f"单位 {unit.unit_id} 的交办单已办结，不能重新交办")

        if not first and not self._analysis_changes(message) and not message.units \
                and not message.note:
            raise Refusal("研判调整没有任何变化 (nothing to change)")

    def _apply_analyze(self, message: Analyze) -> None:
        status = self.incident
        first = status.analyzed_at is None
        changes = self._analysis_changes(message)
        was_major = self._is_major()
        for field in ("category", "severity", "reply_form", "handling_hours", "response_hours",
                      "high_impact", "key_criteria"):
            value = getattr(message, field)
            if value is not None:
                setattr(status, field, value)
        status.key_criteria = key_response_criteria(status.category, status.key_criteria)
        if message.handling_hours is not None:
            for assignment in status.active_assignments:  # 研判调整 re-computes open windows
                assignment.handling_hours = message.handling_hours
        if first:
            status.analyzed_at = workflow.now()
            self._meet(WindowId.ANALYZE, None, "analyze", workflow.now())

        detail = "；".join(changes) or "研判"
        if message.note:
            detail += f"（{message.note}）"
        self._record(message.actor, "analyze" if first else "reanalyze",
                     ("研判：" if first else "研判调整：") + detail)

        new_units = self._assign_units(message.units or [], first) if message.units else []
        if message.units or first:
            self._record_routing(message)
        if status.severity is not None:
            status.leader_in_charge = status.severity.value == "特别重大"

        self._reconcile(f"研判调整：{detail}" if not first else "研判")
        for assignment in new_units:
            self._deliver_assignment(assignment, message.actor)
        if self._is_major() and not was_major:
            self._notify_joint_consultation(message.actor)
        if message.rumour and not status.rumour:
            status.rumour = True
            if status.rumour_transferred_at is None:
                self._transfer_rumour(SYSTEM_ACTOR, "研判为造谣传谣，自动移交 (C-X)")

    def _analysis_changes(self, message: Analyze) -> list[str]:
        status = self.incident
        changes = []
        labels = {"category": "分类", "severity": "级别", "reply_form": "答复形式",
                  "handling_hours": "办理时限(小时)", "response_hours": "回应时限(小时)",
                  "high_impact": "重大伤亡或较大社会影响", "key_criteria": "重点回应标准"}
        for field, label in labels.items():
            new = getattr(message, field)
            old = getattr(status, field)
            if new is not None and new != old:
                changes.append(f"{label} {_shown(old)}→{_shown(new)}")
        if message.rumour and not status.rumour:
            changes.append("研判为造谣传谣")
        return changes

    def _record_routing(self, message: Analyze) -> None:
        units = [UnitRef(unit_id=a.unit_id, name=a.name, lead=a.lead)
                 for a in self.incident.active_assignments]
        if not units:
            return
        decision = route(units, message.matter, self.incident.severity)
        self._record(message.actor, "routing",
                     f"回应主体：{decision.explanation}；组织协调：{decision.coordinator}",
                     rule=",".join(decision.rules))

    def _assign_units(self, units: list[UnitRef], first: bool) -> list[Assignment]:
        """One 交办单 per unit (R-5); a returned unit named again gets a new round."""
        now = workflow.now()
        emergency = bool(self.incident.category and self.incident.category.is_emergency)
        issued = []
        if any(u.lead for u in units):
            for a in self.incident.assignments:
                a.lead = False
        for unit in units:
            existing = self.incident.assignment(unit.unit_id)
            if existing and existing.state.is_active:
                existing.lead = unit.lead or existing.lead
                existing.name = unit.name or existing.name
                continue
            round_ = existing.round + 1 if existing else 1
            assignment = Assignment(
                unit_id=unit.unit_id, name=unit.name, lead=unit.lead, round=round_,
                form_id=f"{self.incident.incident_id}-{unit.unit_id}-{round_}",
                assigned_at=now,
                # Statutory windows run from first detection; a unit assigned
                # later (reassignment) could not have acted before it was told.
                windows_from=self.incident.first_detected_at if first else now,
                emergency=emergency, reply_form=self.incident.reply_form,
                handling_hours=self.incident.handling_hours,
            )
            if existing:
                self.incident.assignments.remove(existing)
            self.incident.assignments.append(assignment)
            issued.append(assignment)
        return issued

    def _deliver_assignment(self, assignment: Assignment, actor: str) -> None:
        unit = Recipient(recipient_id=assignment.unit_id, name=assignment.name)
        if assignment.emergency:
            self._notify("emergency_assignment", [unit], [NotifyChannel.PHONE, NotifyChannel.SMS],
                         f"【紧急交办】{self.incident.title}",
                         f"请立即核实处置并回应：{self.incident.title}。"
                         f"办理期限 {local_time(self._handle_deadline(assignment))}。")
            self._record(actor, "phone_assignment",
                         f"紧急交办：已电话/短信通知 {assignment.name or assignment.unit_id}",
                         rule="C-E", unit_id=assignment.unit_id)
            if self._window(WindowId.BACKFILL, assignment.unit_id, assignment.round):
                return  # the written form follows on backfill_form (004 二(二)2)
        self._issue_form(assignment, actor)

    def _issue_form(self, assignment: Assignment, actor: str) -> None:
        status = self.incident
        ack = self._window(WindowId.ACK, assignment.unit_id, assignment.round)
        form = AssignmentForm(
            form_id=assignment.form_id, incident_id=status.incident_id, title=status.title,
            unit=Recipient(recipient_id=assignment.unit_id, name=assignment.name),
            lead=assignment.lead,
            category=status.category.value if status.category else "",
            category_label=status.category.label if status.category else "",
            severity=status.severity.value if status.severity else "",
            reply_form=assignment.reply_form,
            handling_deadline=self._handle_deadline(assignment),
            ack_deadline=ack.deadline if ack else workflow.now(),
            reports=[f"{r.platform} {r.url} {r.content}".strip() for r in status.reports],
            emergency=assignment.emergency, issued_by=actor,
        )
        self._record(actor, "issue_form",
                     f"下发交办单 {assignment.form_id} 至 {assignment.name or assignment.unit_id}",
                     rule="R-5", unit_id=assignment.unit_id)
        self._start_delivery("issue_assignment_form", form, f"交办单 {form.form_id}")

    # ----------------------------------------------------- per-assignment steps

    def _active_assignment(self, unit_id: str, *allowed: AssignmentState) -> Assignment:
        assignment = self.incident.assignment(unit_id)
        if assignment is None:
            known = ", ".join(a.unit_id for a in self.incident.assignments) or "无"
            raise Refusal(f"未知单位 {unit_id}：本事件的责任单位为 {known} (unknown unit)")
        if allowed and assignment.state not in allowed:
            raise Refusal(f"单位 {unit_id} 的交办单当前为「{assignment.state.label}」，不能执行此操作")
        return assignment

    def _check_acknowledge(self, message: Acknowledge) -> None:
        assignment = self._active_assignment(message.unit_id)
        if assignment.state != AssignmentState.ASSIGNED:
            raise Refusal(f"单位 {message.unit_id} 的交办单当前为「{assignment.state.label}」，"
                          "无需再次签收")

    def _apply_acknowledge(self, message: Acknowledge) -> None:
        assignment = self._active_assignment(message.unit_id)
        assignment.state = AssignmentState.ACKNOWLEDGED
        assignment.acknowledged_at = workflow.now()
        self._meet(WindowId.ACK, assignment.unit_id, "acknowledge", workflow.now(), assignment.round)
        self._record(message.actor, "acknowledge", "签收回传交办单", unit_id=message.unit_id)

    def _check_backfill_form(self, message: BackfillForm) -> None:
        assignment = self._active_assignment(message.unit_id)
        window = self._window(WindowId.BACKFILL, assignment.unit_id, assignment.round)
        if window is None:
            raise Refusal("该交办单不是待补填的紧急交办单 (no written form is owed)")
        if window.met_at is not None:
            raise Refusal(f"交办单已于 {local_time(window.met_at)} 补充填报")

    def _apply_backfill_form(self, message: BackfillForm) -> None:
        assignment = self._active_assignment(message.unit_id)
        self._meet(WindowId.BACKFILL, assignment.unit_id, "backfill_form", workflow.now(),
                   assignment.round)
        self._issue_form(assignment, message.actor)

    def _check_return_assignment(self, message: ReturnAssignment) -> None:
        self._active_assignment(message.unit_id, AssignmentState.ASSIGNED,
                                AssignmentState.ACKNOWLEDGED)

    def _apply_return_assignment(self, message: ReturnAssignment) -> None:
        assignment = self._active_assignment(message.unit_id)
        assignment.state = AssignmentState.RETURNED
        assignment.return_reason = message.reason
        assignment.extension_request = None
        self._record(message.actor, "return_assignment", f"退回：{message.reason}",
                     unit_id=message.unit_id)
        self._reconcile(f"{message.unit_id} 已退回")
        if not self.incident.active_assignments:
            self._record(SYSTEM_ACTOR, "awaiting_reassignment", "全部单位已退回，待网信办重新研判交办")

    def _check_request_extension(self, message: RequestExtension) -> None:
        assignment = self._active_assignment(
            message.unit_id, AssignmentState.ASSIGNED, AssignmentState.ACKNOWLEDGED,
            AssignmentState.RESPONDED)
        window = self._window(WindowId.HANDLE, assignment.unit_id, assignment.round)
        if window is None or window.state != WindowState.PENDING:
            raise Refusal("办理时限已过，不能再申请延期，请提交情况反馈说明情况")
        if message.until <= window.deadline:
            raise Refusal(f"延期至 {local_time(message.until)} 不晚于现办理期限 "
                          f"{local_time(window.deadline)}")

    def _apply_request_extension(self, message: RequestExtension) -> None:
        assignment = self._active_assignment(message.unit_id)
        assignment.extension_request = ExtensionRequest(
            reason=message.reason, until=message.until, requested_at=workflow.now(),
            actor=message.actor)
        self._record(message.actor, "request_extension",
                     f"申请延期至 {local_time(message.until)}：{message.reason}",
                     unit_id=message.unit_id)

    def _check_decide_extension(self, message: DecideExtension) -> None:
        assignment = self._active_assignment(message.unit_id)
        request = assignment.extension_request
        if request is None:
            raise Refusal(f"单位 {message.unit_id} 没有待审批的延期申请")
        if not message.approved:
            return
        until = message.until or request.until
        current = self._handle_deadline(assignment)
        if until <= max(workflow.now(), current):
            raise Refusal(f"批准的延期期限 {local_time(until)} 须晚于当前时间和现办理期限 "
                          f"{local_time(current)}")

    def _apply_decide_extension(self, message: DecideExtension) -> None:
        assignment = self._active_assignment(message.unit_id)
        request = assignment.extension_request
        assert request is not None  # checked
        assignment.extension_request = None
        comment = f"（{message.comment}）" if message.comment else ""
        if not message.approved:
            self._record(message.actor, "decide_extension", f"不同意延期{comment}",
                         unit_id=message.unit_id)
            return
        until = message.until or request.until
        self._record(message.actor, "decide_extension",
                     f"同意延期至 {local_time(until)}{comment}", unit_id=message.unit_id)
        self._reopen_handling(assignment, until, "延期已批准（申请于办理时限内提出）")

    def _reopen_handling(self, assignment: Assignment, deadline: datetime, why: str) -> None:
        """Give the unit a new handling deadline (approved extension or 退回重办)."""
        assignment.deadline_override = deadline
        window = self._window(WindowId.HANDLE, assignment.unit_id, assignment.round)
        if window is not None and window.state != WindowState.PENDING:
            window.state, window.met_at, window.met_by = WindowState.PENDING, None, None
            window.deadline, window.note = deadline, why
            self._arm(window)
        self._reconcile(why)

    def _check_record_response(self, message: RecordResponse) -> None:
        self._active_assignment(
            message.unit_id, AssignmentState.ASSIGNED, AssignmentState.ACKNOWLEDGED,
            AssignmentState.RESPONDED, AssignmentState.FEEDBACK_SUBMITTED)
        published = message.published_at or workflow.now()
        if published > workflow.now() + timedelta(minutes=5):
            raise Refusal("published_at 晚于当前时间 (published_at is in the future)")
        if published < self.incident.first_detected_at:
            raise Refusal("published_at 早于舆情首次发现时间")

    def _apply_record_response(self, message: RecordResponse) -> None:
        assignment = self._active_assignment(message.unit_id)
        published = message.published_at or workflow.now()
        self.incident.responses.append(ResponseRecord(
            unit_id=message.unit_id, channel=message.channel, summary=message.summary,
            url=message.url, published_at=published, actor=message.actor))
        if assignment.state == AssignmentState.ACKNOWLEDGED:
            assignment.state = AssignmentState.RESPONDED
        met = [w for w in WINDOWS_MET_BY_CHANNEL[message.channel]
               if self._meet(w, None, f"record_response:{message.channel.value}", published)]
        self._record(message.actor, "record_response",
                     f"{message.channel.label}：{message.summary}"
                     + (f"（满足 {'、'.join(w.value for w in met)}）" if met else ""),
                     unit_id=message.unit_id)
        self._reconcile("持续发布")

    def _check_submit_feedback(self, message: SubmitFeedback) -> None:
        self._active_assignment(message.unit_id, AssignmentState.ACKNOWLEDGED,
                                AssignmentState.RESPONDED)

    def _apply_submit_feedback(self, message: SubmitFeedback) -> None:
        assignment = self._active_assignment(message.unit_id)
        now = workflow.now()
        assignment.feedback.append(Feedback(summary=message.summary, resolved=message.resolved,
                                            submitted_at=now, actor=message.actor))
        assignment.state = AssignmentState.FEEDBACK_SUBMITTED
        assignment.extension_request = None
        self._meet(WindowId.HANDLE, assignment.unit_id, "submit_feedback", now, assignment.round)
        kind = "办理情况反馈" if message.resolved else "暂不具备办理条件，说明情况"
        self._record(message.actor, "submit_feedback", f"{kind}：{message.summary}",
                     unit_id=message.unit_id)

    def _check_review_feedback(self, message: ReviewFeedback) -> None:
        assignment = self._active_assignment(message.unit_id, AssignmentState.FEEDBACK_SUBMITTED)
        if message.accepted and self._closes_incident(assignment):
            self._require_response("办结")
        if not message.accepted and message.until is not None and message.until <= workflow.now():
            raise Refusal("重办期限须晚于当前时间")

    def _closes_incident(self, assignment: Assignment) -> bool:
        return all(a is assignment for a in self.incident.active_assignments)

    def _apply_review_feedback(self, message: ReviewFeedback) -> None:
        assignment = self._active_assignment(message.unit_id)
        comment = f"（{message.comment}）" if message.comment else ""
        if message.accepted:
            closing = self._closes_incident(assignment)
            assignment.state = AssignmentState.COMPLETED
            assignment.feedback[-1].accepted = True
            assignment.feedback[-1].review_comment = message.comment
            self._record(message.actor, "review_feedback", f"审核通过，办结{comment}",
                         unit_id=message.unit_id)
            if closing:
                self._close(Stage.CLOSED, message.actor, "全部交办单办结")
            return
        assignment.feedback[-1].accepted = False
        assignment.feedback[-1].review_comment = message.comment
        responded = any(r.unit_id == assignment.unit_id for r in self.incident.responses)
        assignment.state = AssignmentState.RESPONDED if responded else AssignmentState.ACKNOWLEDGED
        self._record(message.actor, "review_feedback", f"退回重办{comment}",
                     unit_id=message.unit_id)
        window = self._window(WindowId.HANDLE, assignment.unit_id, assignment.round)
        deadline = message.until or (window.deadline if window else workflow.now())
        if message.until is None and workflow.patched(REWORK_PATCH):
            # 退回重办 after the deadline used to leave the unit overdue at once; it
            # now gets time to redo the work. Older histories replay the old path.
            deadline = max(deadline, workflow.now() + REWORK_MINIMUM)
        self._reopen_handling(assignment, deadline, "反馈被退回重办")

    # ------------------------------------------------- incident-wide steps

    def _apply_leader_instruction(self, message: LeaderInstruction) -> None:
        self._record(message.actor, "leader_instruction", f"领导批示：{message.text}")
        self._notify_active_units("leader_instruction", "领导批示", message.text)

    def _apply_supervise(self, message: Supervise) -> None:
        self._escalate_to_supervision(message.actor, f"督办：{message.reason}")

    def _check_start_accountability(self, message: StartAccountability) -> None:
        if message.unit_id is not None and self.incident.assignment(message.unit_id) is None:
            raise Refusal(f"未知单位 {message.unit_id} (unknown unit)")

    def _apply_start_accountability(self, message: StartAccountability) -> None:
        self.incident.escalation = Escalation.ACCOUNTABILITY
        who = f"（{message.unit_id}）" if message.unit_id else ""
        self._record(message.actor, "start_accountability", f"启动问责{who}：{message.reason}",
                     rule="E-ACCOUNT", unit_id=message.unit_id)
        self._notify("accountability", [SUPERVISORY_ORGAN], [NotifyChannel.MESSAGE],
                     f"【问责】{self.incident.title}", message.reason)

    def _check_transfer_to_police(self, message: TransferToPolice) -> None:
        if self.incident.rumour_transferred_at is not None:
            raise Refusal(f"已于 {local_time(self.incident.rumour_transferred_at)} 移交，无需重复移交")

    def _apply_transfer_to_police(self, message: TransferToPolice) -> None:
        self._transfer_rumour(message.actor, message.reason)

    def _check_withdraw(self, message: Withdraw) -> None:
        self._require_response("撤销")

    def _apply_withdraw(self, message: Withdraw) -> None:
        self._record(message.actor, "withdraw", f"撤销：{message.reason}")
        self._notify_active_units("withdraw", "撤销", message.reason)
        self._close(Stage.WITHDRAWN, message.actor, message.reason)

    def _require_response(self, action: str) -> None:
        """C-K / C-X: an incident that must be responded to cannot end without a response."""
        if self.incident.responses:
            return
        reasons = [f"C-{k.value} {KEY_CRITERION_LABELS[k]}" for k in self.incident.key_criteria]
        if self.incident.rumour:
            reasons.append("C-X 造谣传谣须及时回应")
        if reasons:
            raise Refusal(f"重点回应舆情尚未回应，不能{action}（{'；'.join(reasons)}）")

    def _transfer_rumour(self, actor: str, reason: str) -> None:
        status = self.incident
        status.rumour_transferred_at = workflow.now()
        transfer = RumourTransfer(
            key=f"{status.incident_id}:rumour-transfer", incident_id=status.incident_id,
            title=status.title, reason=reason, actor=actor,
            leads=[f"{r.platform} {r.url} {r.content}".strip() for r in status.reports])
        self._record(actor, "transfer_to_police",
                     f"移交公安机关、网络监管部门：{reason}", rule="C-X")
        self._start_delivery("transfer_rumour_case", transfer, "移交公安、网络监管部门")

    def _notify_joint_consultation(self, actor: str) -> None:
        self._joint_consultation_notified = True
        self._notify("joint_consultation", JOINT_CONSULTATION_MEMBERS, [NotifyChannel.MESSAGE,
                     NotifyChannel.SMS], f"【会商研判】{self.incident.title}",
                     f"重大舆情（{self.incident.severity.value if self.incident.severity else ''}），"
                     "请会商联席会议成员单位会商研判。")
        self._record(actor, "joint_consultation", "重大舆情：通知会商联席会议成员单位会商研判",
                     rule="004 三(一)")

    def _is_major(self) -> bool:
        return bool(self.incident.severity and self.incident.severity.is_major)

    def _close(self, stage: Stage, actor: str, reason: str) -> None:
        self.incident.stage = stage
        self.incident.closed_at = workflow.now()
        self._reconcile(f"事件{stage.label}")
        for task in self._grace_timers.values():
            task.cancel()
        self._record(actor, stage.value, f"事件{stage.label}：{reason}")

    # ----------------------------------------------------- windows & timers

    def _window(self, window_id: WindowId, unit_id: str | None, seq: int = 1) -> Window | None:
        return next((w for w in self.incident.windows if w.key == (window_id, unit_id, seq)), None)

    def _handle_deadline(self, assignment: Assignment) -> datetime:
        window = self._window(WindowId.HANDLE, assignment.unit_id, assignment.round)
        return window.deadline if window else workflow.now()

    def _meet(self, window_id: WindowId, unit_id: str | None, action: str, at: datetime,
              seq: int | None = None) -> bool:
        """Record that ``action`` met the window; a missed one keeps its miss but gets met_at."""
        candidates = [w for w in self.incident.windows
                      if w.id == window_id and w.unit_id == unit_id
                      and (seq is None or w.seq == seq) and w.met_at is None
                      and w.state in (WindowState.PENDING, WindowState.MISSED)]
        if not candidates:
            return False
        window = min(candidates, key=lambda w: w.seq)
        window.met_at, window.met_by = at, action
        if window.state == WindowState.PENDING or at <= window.deadline:
            window.state = WindowState.MET
        self._disarm(window)
        return True

    def _reconcile(self, why: str) -> None:
        changes = reconcile_windows(self.incident, plan_windows(self.profile, self.incident),
                                    workflow.now(), why)
        for window in changes.disarmed:
            self._disarm(window)
        for window in changes.armed:
            self._arm(window)
        for assignment in self.incident.assignments:
            window = self._window(WindowId.HANDLE, assignment.unit_id, assignment.round)
            if window is not None:
                assignment.handling_deadline = window.deadline

    def _arm(self, window: Window) -> None:
        self._disarm(window)
        self._timers[window.key] = asyncio.create_task(self._await_deadline(window))

    def _disarm(self, window: Window) -> None:
        task = self._timers.pop(window.key, None)
        if task is not None and not task.done():
            task.cancel()

    async def _await_deadline(self, window: Window) -> None:
        deadline = window.deadline
        delay = (deadline - workflow.now()).total_seconds()
        if delay > 0:
            unit = f" {window.unit_id}" if window.unit_id else ""
            await workflow.sleep(delay, summary=f"{window.id.value}{unit} {window.label}")
        if window.state == WindowState.PENDING and window.deadline == deadline:
            self._timers.pop(window.key, None)
            self._on_missed(window)
            self._publish()

    def _on_missed(self, window: Window) -> None:
        window.state = WindowState.MISSED
        unit = f"{window.unit_id} " if window.unit_id else ""
        self._record(SYSTEM_ACTOR, "window_missed",
                     f"{unit}{window.id.value}「{window.label}」超期（截止 {local_time(window.deadline)}）",
                     rule=window.id.value, unit_id=window.unit_id)
        self.log.info("window_missed", window=window.id.value, unit_id=window.unit_id)
        if window.id == WindowId.ANALYZE:
            self._notify("analysis_overdue", [Recipient(recipient_id="cac", name="网信办")],
                         [NotifyChannel.MESSAGE], f"【研判超期】{self.incident.title}",
                         "舆情尚未研判交办，请尽快研判。")
            return
        self._urge(window)

    # ------------------------------------------------------ 催办 · 督办 · 问责

    def _urge(self, window: Window) -> None:
        """E-URGE: a missed window → urge the unit(s) it concerns."""
        if window.unit_id is not None:
            targets = [a for a in self.incident.active_assignments if a.unit_id == window.unit_id]
        else:
            targets = self.incident.active_assignments
        if not targets:
            return
        if self.incident.escalation.rank < Escalation.URGED.rank:
            self.incident.escalation = Escalation.URGED
        names = "、".join(a.name or a.unit_id for a in targets)
        self._record(SYSTEM_ACTOR, "urge", f"催办 {names}：{window.id.value}「{window.label}」已超期",
                     rule="E-URGE", unit_id=window.unit_id)
        self._notify("urge", [Recipient(recipient_id=a.unit_id, name=a.name) for a in targets],
                     [NotifyChannel.PHONE, NotifyChannel.SMS, NotifyChannel.MESSAGE],
                     f"【催办】{self.incident.title}",
                     f"{window.label}已超期（截止 {local_time(window.deadline)}），请立即办理并反馈。")
        if self.incident.escalation.rank < Escalation.SUPERVISED.rank:
            name = f"urge:{window.id.value}:{window.unit_id}:{window.seq}"
            self._start_grace(name, self.incident.local_defaults.urge_grace_hours,
                              "催办宽限期", lambda: self._urge_grace_over(window))

    def _urge_grace_over(self, window: Window) -> None:
        """E-SUPERVISE: still unresolved after urging → 督查室 supervises."""
        assignment = self.incident.assignment(window.unit_id) if window.unit_id else None
        resolved = window.met_at is not None or (assignment is not None and not assignment.state.is_active)
        if resolved or self.incident.escalation.rank >= Escalation.SUPERVISED.rank:
            return
        self._escalate_to_supervision(
            SYSTEM_ACTOR, f"经催办仍未解决：{window.id.value}「{window.label}」"
                          f"{' ' + window.unit_id if window.unit_id else ''}")

    def _escalate_to_supervision(self, actor: str, reason: str) -> None:
        if self.incident.escalation.rank < Escalation.SUPERVISED.rank:
            self.incident.escalation = Escalation.SUPERVISED
        self._record(actor, "supervise", reason, rule="E-SUPERVISE")
        self._notify("supervise", [SUPERVISION_OFFICE, *self._active_unit_recipients()],
                     [NotifyChannel.PHONE, NotifyChannel.MESSAGE], f"【督办】{self.incident.title}",
                     reason)
        if "supervise" not in self._grace_timers:
            self._start_grace("supervise", self.incident.local_defaults.supervise_grace_hours,
                              "督办宽限期", self._supervise_grace_over)

    def _supervise_grace_over(self) -> None:
        """E-ACCOUNT is a person's decision; the workflow only recommends it."""
        if not is_overdue(self.incident) or self.incident.escalation == Escalation.ACCOUNTABILITY:
            return
        self.incident.accountability_recommended = True
        self._record(SYSTEM_ACTOR, "recommend_accountability",
                     "督办后仍未解决，建议监察机关启动问责程序（须人工决定）", rule="E-ACCOUNT")

    def _start_grace(self, name: str, hours: float, label: str, then: Callable[[], None]) -> None:
        async def grace() -> None:
            await workflow.sleep(timedelta(hours=hours), summary=label)
            if not self.incident.stage.is_final:
                then()
                self._publish()

        if name not in self._grace_timers:
            self._grace_timers[name] = asyncio.create_task(grace())

    # ------------------------------------------------------------ deliveries

    def _active_unit_recipients(self) -> list[Recipient]:
        return [Recipient(recipient_id=a.unit_id, name=a.name)
                for a in self.incident.active_assignments]

    def _notify_active_units(self, kind: str, tag: str, body: str) -> None:
        if units := self._active_unit_recipients():
            self._notify(kind, units, [NotifyChannel.MESSAGE], f"【{tag}】{self.incident.title}",
                         body)

    def _notify(self, kind: str, recipients: list[Recipient], channels: list[NotifyChannel],
                subject: str, body: str) -> None:
        self._delivery_seq += 1
        notification = Notification(
            key=f"{self.incident.incident_id}:{self._delivery_seq}:{kind}",
            incident_id=self.incident.incident_id, kind=kind, recipients=recipients,
            channels=channels, subject=subject, body=body)
        self._start_delivery("send_notification", notification, subject)

    def _start_delivery(self, activity: str, argument: Any, what: str) -> None:
        """Run a side effect in the background: a failing delivery never holds up a timer."""
        async def deliver() -> None:
            try:
                await workflow.execute_activity(
                    activity, argument, start_to_close_timeout=ATTEMPT_TIMEOUT,
                    schedule_to_close_timeout=DELIVERY_TIMEOUT, retry_policy=DELIVERY_RETRY,
                    summary=what)
            except ActivityError as error:
                self._record(SYSTEM_ACTOR, "delivery_failed",
                             f"投递失败：{what}（{error.cause or error}）")
                self._publish()

        task = asyncio.create_task(deliver())
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    # ------------------------------------------------------- bookkeeping

    def _record(self, actor: str, action: str, detail: str, *, rule: str | None = None,
                unit_id: str | None = None) -> None:
        self.incident.timeline.append(TimelineEntry(
            at=workflow.now(), actor=actor, action=action, detail=detail, rule=rule,
            unit_id=unit_id))
        self.log.info(action, actor=actor, unit_id=unit_id, rule=rule)

    def _derive_stage(self) -> Stage:
        status = self.incident
        if status.stage.is_final:
            return status.stage
        active = {a.state for a in status.active_assignments}
        if status.analyzed_at is None or not active:
            return Stage.ANALYSIS
        if AssignmentState.ASSIGNED in active:
            return Stage.ASSIGNMENT
        if active & {AssignmentState.ACKNOWLEDGED, AssignmentState.RESPONDED}:
            return Stage.HANDLING
        return Stage.FEEDBACK

    def _publish(self) -> None:
        """Derive stage and deadlines, then show them: search attributes and current details."""
        status = self.incident
        status.stage = self._derive_stage()
        status.next_deadline = next_deadline(status)
        status.overdue = is_overdue(status)
        wanted = self._search_attribute_values()
        updates = [key.value_set(wanted[key.name]) if wanted[key.name] is not None
                   else key.value_unset()
                   for key in sa.ALL_SEARCH_ATTRIBUTES
                   if self._published.get(key.name) != wanted[key.name]]
        if updates:  # one upsert per workflow task at most: each is a billed action
            workflow.upsert_search_attributes(updates)
            self._published = wanted
        workflow.set_current_details(render_current_details(status, workflow.now()))

    def _search_attribute_values(self) -> dict[str, Any]:
        status = self.incident
        return {
            sa.INCIDENT_STAGE.name: status.stage.value,
            sa.INCIDENT_SEVERITY.name: status.severity.value if status.severity else None,
            sa.INCIDENT_CATEGORY.name: status.category.value if status.category else None,
            sa.ESCALATION_LEVEL.name: status.escalation.value,
            sa.POLICY_PROFILE.name: status.profile.value,
            sa.RESPONSIBLE_UNITS.name: status.responsible_unit_ids or None,
            sa.NEXT_DEADLINE.name: status.next_deadline,
            sa.OVERDUE.name: status.overdue,
        }

    def _current_search_attributes(self) -> dict[str, Any]:
        """What the starter already set, so the first publish upserts only differences."""
        current: TypedSearchAttributes = workflow.info().typed_search_attributes
        values = {}
        for key in sa.ALL_SEARCH_ATTRIBUTES:
            value = current.get(key)
            if value is not None:
                values[key.name] = value
        return values
