"""办理回应 (004 二(三)): the unit responds where the opinion appeared, or asks for more time.

A recorded response meets every window its channel can meet (W-RESP, W-FACTS,
W-AUTH, W-PRESS, W-CONT). An extension asked within the handling deadline and
approved moves W-HANDLE (延期申请 / 延期审批).
"""

from datetime import datetime

from domain.channel_windows import ATTENDED_CHANNELS
from domain.messages import Channel, DecideExtension, RecordResponse, RequestExtension
from domain.presentation import local_time
from domain.procedure.assignment import active_assignment
from domain.procedure.collection import CLOCK_SKEW
from domain.engine.deadlines import handle_deadline, meet, reconcile, window
from domain.engine.step import Context, IncidentState, Refusal, Step, within_horizon
from domain.profiles import WindowId
from domain.rules_version import rules_of
from domain.windows import REWORK_DEFAULT_SOURCE
from domain.status import (
    Assignment, AssignmentState, ExtensionRequest, ResponseRecord, Window, WindowState,
)

# ------------------------------------------------------------------ 回应

RESPONDING = (AssignmentState.ASSIGNED, AssignmentState.ACKNOWLEDGED, AssignmentState.RESPONDED,
              AssignmentState.FEEDBACK_SUBMITTED, AssignmentState.EXPLAINED)
REVIEWED_CHANNELS = frozenset({Channel.AUTHORITATIVE_RELEASE, Channel.PRESS_CONFERENCE,
                               Channel.BRIEFING})


def check_record_response(state: IncidentState, message: RecordResponse, ctx: Context) -> None:
    status = state.status
    for unit_id in (message.unit_id, *message.joint_units):
        active_assignment(status, unit_id, *RESPONDING)
    if message.unit_id in message.joint_units or len(set(message.joint_units)) \
            < len(message.joint_units):
        raise Refusal("joint_units 不得重复，也不得包含 unit_id 本身")
    if message.joint_units and not rules_of(status).response_per_unit:
        raise Refusal("本事件的规则版本不区分各单位的回应，不能指定 joint_units")
    _check_attendance_and_review(state, message)
    published = message.published_at or ctx.now
    if published > ctx.now + CLOCK_SKEW:
        raise Refusal("published_at 晚于当前时间 (published_at is in the future)")
    if published < state.status.first_detected_at:
        raise Refusal("published_at 早于舆情首次发现时间")


def _check_attendance_and_review(state: IncidentState, message: RecordResponse) -> None:
    """Stated attendance (000 三) and, where the profile requires it, the review (G-REVIEW)."""
    rules = rules_of(state.status)
    if rules.attendance_stated and message.channel in ATTENDED_CHANNELS \
            and message.head_or_spokesperson_attended is None:
        raise Refusal(f"{message.channel.label}须说明相关部门负责人或新闻发言人是否出席 "
                      "(head_or_spokesperson_attended: true/false；000 三)")
    if state.status.profile not in rules.review_required \
            or message.channel not in REVIEWED_CHANNELS:
        return
    if message.review is None:
        raise Refusal(f"{message.channel.label}须记录发布审核（五关：政治、政策、法律、文字、保密；"
                      "review）(G-REVIEW, 柳政办〔2017〕120号 一(二)2)")
    if message.review.missing:
        missing = "、".join(c.label for c in message.review.missing)
        raise Refusal(f"发布审核缺少 {missing} (G-REVIEW, 柳政办〔2017〕120号 一(二)2)")


def apply_record_response(step: Step, message: RecordResponse) -> None:
    rules = rules_of(step.status)
    published = message.published_at or step.now
    attended = message.head_or_spokesperson_attended
    response = ResponseRecord(
        unit_id=message.unit_id, channel=message.channel, summary=message.summary,
        url=message.url, published_at=published, actor=message.actor,
        head_or_spokesperson_attended=attended, joint_units=message.joint_units,
        review=message.review)
    step.status.responses.append(response)
    for unit_id in response.units:
        assignment = active_assignment(step.status, unit_id)
        if assignment.state == AssignmentState.ACKNOWLEDGED:
            assignment.state = AssignmentState.RESPONDED
    action = f"record_response:{message.channel.value}"
    met_by = sorted(rules.windows_met_by(message.channel, attended))
    if rules.response_per_unit:  # A-EACH: only the windows of the units that responded
        settled = [found for w in met_by for unit in (None, *response.units)
                   if (found := meet(step, w, unit, action, published, by=response.units))]
    else:
        settled = [found for w in met_by if (found := meet(step, w, None, action, published))]
    joint = f"（会同 {'、'.join(message.joint_units)}）" if message.joint_units else ""
    step.record(message.actor, "record_response",
                f"{message.channel.label}{joint}：{message.summary}"
                + _what_it_met(message, settled) + _review_shown(step, message),
                unit_id=message.unit_id)
    reconcile(step, "持续发布")


def _review_shown(step: Step, message: RecordResponse) -> str:
    """G-REVIEW: the review as recorded, or (rules version 3) its absence shown."""
    if message.review is not None:
        return f"；{message.review.shown()}"
    if rules_of(step.status).attendance_stated and message.channel in REVIEWED_CHANNELS:
        return "；未记录发布审核（五关）"
    return ""


def _what_it_met(message: RecordResponse, settled: list[Window]) -> str:
    """A late response is never called 满足 of the window it missed."""
    on_time = [_named(w) for w in settled if w.state == WindowState.MET]
    late = [_named(w) for w in settled if w.state != WindowState.MET]
    parts = [f"满足 {'、'.join(on_time)}"] if on_time else []
    if late:
        parts.append(f"逾期补办 {'、'.join(late)}")
    if message.channel in ATTENDED_CHANNELS and message.head_or_spokesperson_attended is False:
        parts.append("相关部门负责人或新闻发言人未出席，不计为权威发布（000 三）")
    return f"（{'；'.join(parts)}）" if parts else ""


def _named(found: Window) -> str:
    return f"{found.id.value}（{found.unit_id}）" if found.unit_id else found.id.value


# ------------------------------------------------------- 延期申请 / 审批

def check_request_extension(state: IncidentState, message: RequestExtension,
                            ctx: Context) -> None:
    assignment = active_assignment(
        state.status, message.unit_id, AssignmentState.ASSIGNED, AssignmentState.ACKNOWLEDGED,
        AssignmentState.RESPONDED, AssignmentState.EXPLAINED)
    handling = window(state.status, WindowId.HANDLE, assignment.unit_id, assignment.round)
    if handling is None or handling.state != WindowState.PENDING:
        raise Refusal("办理时限已过，不能再申请延期，请提交情况反馈说明情况")
    within_horizon(message.until, ctx.now, "延期至")
    if message.until <= handling.deadline:
        raise Refusal(f"延期至 {local_time(message.until)} 不晚于现办理期限 "
                      f"{local_time(handling.deadline)}")


def apply_request_extension(step: Step, message: RequestExtension) -> None:
    assignment = active_assignment(step.status, message.unit_id)
    assignment.extension_request = ExtensionRequest(
        reason=message.reason, until=message.until, requested_at=step.now, actor=message.actor)
    step.record(message.actor, "request_extension",
                f"申请延期至 {local_time(message.until)}：{message.reason}",
                unit_id=message.unit_id)


def check_decide_extension(state: IncidentState, message: DecideExtension,
                           ctx: Context) -> None:
    assignment = active_assignment(state.status, message.unit_id)
    request = assignment.extension_request
    if request is None:
        raise Refusal(f"单位 {message.unit_id} 没有待审批的延期申请")
    if not message.approved:
        return
    until = message.until or request.until
    within_horizon(until, ctx.now, "延期至")
    current = handle_deadline(state.status, assignment, ctx.now)
    if until <= max(ctx.now, current):
        raise Refusal(f"批准的延期期限 {local_time(until)} 须晚于当前时间和现办理期限 "
                      f"{local_time(current)}")


def apply_decide_extension(step: Step, message: DecideExtension) -> None:
    assignment = active_assignment(step.status, message.unit_id)
    request = assignment.extension_request
    assert request is not None  # checked
    assignment.extension_request = None
    comment = f"（{message.comment}）" if message.comment else ""
    if not message.approved:
        step.record(message.actor, "decide_extension", f"不同意延期{comment}",
                    unit_id=message.unit_id)
        return
    until = message.until or request.until
    step.record(message.actor, "decide_extension",
                f"同意延期至 {local_time(until)}{comment}", unit_id=message.unit_id)
    reopen_handling(step, assignment, until, "延期已批准（申请于办理时限内提出）")


def reopen_handling(step: Step, assignment: Assignment, deadline: datetime, why: str, *,
                    local_default: bool = False) -> None:
    """Give the unit a new handling deadline (extension, 退回重办, 已说明情况)."""
    assignment.deadline_override = deadline
    assignment.override_local_default = local_default
    handling = window(step.status, WindowId.HANDLE, assignment.unit_id, assignment.round)
    if handling is not None and handling.state != WindowState.PENDING:
        if handling.state == WindowState.MISSED and rules_of(step.status).repeat_misses_kept:
            handling.missed_deadlines.append(handling.deadline)  # the miss stays on record
        handling.state, handling.met_at, handling.met_by = WindowState.PENDING, None, None
        handling.original_deadline = handling.original_deadline or handling.deadline
        handling.deadline, handling.note = deadline, why
        if local_default:
            handling.statutory, handling.source = False, REWORK_DEFAULT_SOURCE
        step.wait_for(handling)
    reconcile(step, why)
