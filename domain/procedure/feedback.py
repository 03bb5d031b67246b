"""情况反馈 (004 二(四)): the unit reports within its handling deadline; the office reviews.

Feedback meets W-HANDLE. The office accepts it (办结; the last open 交办单
closes the incident, but only once a key-response incident was responded to)
or sends it back (退回重办) with a new handling deadline. An accepted
explanation that the matter cannot yet be handled (暂不具备办理条件) is not
办结: the assignment is "explained", the unit's expected date becomes its new
handling deadline and missing it is 逾期不反馈 (rules version 2).
"""

from datetime import timedelta

from domain.messages import ReviewFeedback, SubmitFeedback
from domain.procedure import closing
from domain.procedure.assignment import active_assignment
from domain.engine.deadlines import meet, window
from domain.procedure.handling import reopen_handling
from domain.presentation import local_time
from domain.engine.step import Context, IncidentState, Refusal, Step, within_horizon
from domain.profiles import WindowId
from domain.rules_version import rules_of
from domain.status import Assignment, AssignmentState, Feedback, IncidentStatus, Stage

REWORK_PATCH = "rework-minimum-24h"
REWORK_MINIMUM = timedelta(hours=24)  # 退回重办 without a new deadline: at least this long


def check_submit_feedback(state: IncidentState, message: SubmitFeedback, ctx: Context) -> None:
    active_assignment(state.status, message.unit_id, AssignmentState.ACKNOWLEDGED,
                      AssignmentState.RESPONDED, AssignmentState.EXPLAINED)
    if not rules_of(state.status).explanation_keeps_open or message.resolved or message.expected_by is None:
        return  # an explanation without a date is still feedback; the office asks for one
    within_horizon(message.expected_by, ctx.now, "预计办结时间")
    if message.expected_by <= ctx.now:
        raise Refusal(f"预计办结时间 {local_time(message.expected_by, with_year=True)} "
                      "须晚于当前时间")


def apply_submit_feedback(step: Step, message: SubmitFeedback) -> None:
    assignment = active_assignment(step.status, message.unit_id)
    assignment.feedback.append(Feedback(summary=message.summary, resolved=message.resolved,
                                        submitted_at=step.now, actor=message.actor,
                                        expected_by=message.expected_by, outcome=message.outcome))
    assignment.state = AssignmentState.FEEDBACK_SUBMITTED
    assignment.extension_request = None
    meet(step, WindowId.HANDLE, assignment.unit_id, "submit_feedback", step.now, assignment.round)
    kind = "办理情况反馈" if message.resolved else "暂不具备办理条件，说明情况"
    if message.expected_by is not None and not message.resolved:
        kind += f"（预计 {local_time(message.expected_by, with_year=True)} 办结，北京时间）"
    elif not message.resolved and rules_of(step.status).explanation_keeps_open:
        kind += "（未说明预计办结时间）"
    step.record(message.actor, "submit_feedback", f"{kind}：{message.summary}",
                unit_id=message.unit_id, rule=None if message.resolved else "004 二(四)")


def _explains(status: IncidentStatus, assignment: Assignment) -> bool:
    """暂不具备办理条件: accepting it keeps the assignment open (rules version 2)."""
    return rules_of(status).explanation_keeps_open and not assignment.feedback[-1].resolved


def _closes_incident(status: IncidentStatus, assignment: Assignment) -> bool:
    if _explains(status, assignment):
        return False
    return all(a is assignment for a in status.active_assignments)


def check_review_feedback(state: IncidentState, message: ReviewFeedback, ctx: Context) -> None:
    assignment = active_assignment(state.status, message.unit_id,
                                   AssignmentState.FEEDBACK_SUBMITTED)
    expected = assignment.feedback[-1].expected_by
    if message.accepted and _explains(state.status, assignment):
        if expected is None:
            raise Refusal("说明情况未给出预计办结时间 (expected_by)，不能审核通过；"
                          "请退回重办，由单位补报预计办结时间 (004 二(四))")
        if expected <= ctx.now:
            raise Refusal(f"预计办结时间 {local_time(expected, with_year=True)} 已过，"
                          "不能按此顺延；请退回重办，由单位重新说明情况")
    if message.accepted and _closes_incident(state.status, assignment):
        closing.require_response(state.status, "办结")
    if not message.accepted and message.until is not None and message.until <= ctx.now:
        raise Refusal("重办期限须晚于当前时间")
    if not message.accepted and message.until is not None:
        within_horizon(message.until, ctx.now, "重办期限")


def apply_review_feedback(step: Step, message: ReviewFeedback) -> None:
    status = step.status
    assignment = active_assignment(status, message.unit_id)
    comment = f"（{message.comment}）" if message.comment else ""
    assignment.feedback[-1].accepted = message.accepted
    assignment.feedback[-1].review_comment = message.comment
    if message.accepted and _explains(status, assignment):
        _accept_explanation(step, assignment, comment, message.actor)
        return
    if message.accepted:
        closes = _closes_incident(status, assignment)
        assignment.state = AssignmentState.COMPLETED
        step.record(message.actor, "review_feedback", f"审核通过，办结{comment}",
                    unit_id=message.unit_id)
        if closes:
            closing.close(step, Stage.CLOSED, message.actor, "全部交办单办结")
        return
    responded = any(r.unit_id == assignment.unit_id for r in status.responses)
    assignment.state = AssignmentState.RESPONDED if responded else AssignmentState.ACKNOWLEDGED
    # 004 二(四) sets no 重办 deadline: one the office did not set is a local default (A-LOCAL).
    local = message.until is None and rules_of(status).marks_each_local_default
    step.record(message.actor, "review_feedback",
                f"退回重办{comment}" + ("（重办期限未指定：本地默认，至少 24 小时，非法定）"
                                        if local else ""),
                unit_id=message.unit_id, local_default=local)
    handling = window(status, WindowId.HANDLE, assignment.unit_id, assignment.round)
    deadline = message.until or (handling.deadline if handling else step.now)
    if message.until is None and step.ctx.patched(REWORK_PATCH):
        # 退回重办 after the deadline used to leave the unit overdue at once; it
        # now gets time to redo the work. Older histories replay the old path.
        deadline = max(deadline, step.now + REWORK_MINIMUM)
    reopen_handling(step, assignment, deadline,
                    "反馈被退回重办" + ("（重办期限为本地默认，004 二(四) 未规定）" if local else ""),
                    local_default=local)


def _accept_explanation(step: Step, assignment: Assignment, comment: str, actor: str) -> None:
    """已说明情况: not 办结; the expected date is the new handling deadline."""
    expected = assignment.feedback[-1].expected_by
    assert expected is not None  # checked at submission
    assignment.state = AssignmentState.EXPLAINED
    step.record(actor, "review_feedback",
                f"审核通过：已说明情况（暂不具备办理条件），未办结；办理期限顺延至预计办结时间 "
                f"{local_time(expected, with_year=True)}（北京时间）{comment}",
                rule="004 二(四)", unit_id=assignment.unit_id)
    reopen_handling(step, assignment, expected, "已说明情况，按预计办结时间顺延")
