"""情况反馈 (004 二(四)): the unit reports within its handling deadline; the office reviews.

Feedback meets W-HANDLE. The office accepts it (办结; the last open 交办单
closes the incident, but only once a key-response incident was responded to)
or sends it back (退回重办) with a new handling deadline.
"""

from datetime import timedelta

from domain.messages import ReviewFeedback, SubmitFeedback
from domain.procedure import closing
from domain.procedure.assignment import active_assignment
from domain.procedure.deadlines import meet, window
from domain.procedure.handling import reopen_handling
from domain.procedure.step import Context, IncidentState, Refusal, Step
from domain.profiles import WindowId
from domain.status import Assignment, AssignmentState, Feedback, IncidentStatus, Stage

REWORK_PATCH = "rework-minimum-24h"
REWORK_MINIMUM = timedelta(hours=24)  # 退回重办 without a new deadline: at least this long


def check_submit_feedback(state: IncidentState, message: SubmitFeedback, ctx: Context) -> None:
    active_assignment(state.status, message.unit_id, AssignmentState.ACKNOWLEDGED,
                      AssignmentState.RESPONDED)


def apply_submit_feedback(step: Step, message: SubmitFeedback) -> None:
    assignment = active_assignment(step.status, message.unit_id)
    assignment.feedback.append(Feedback(summary=message.summary, resolved=message.resolved,
                                        submitted_at=step.now, actor=message.actor))
    assignment.state = AssignmentState.FEEDBACK_SUBMITTED
    assignment.extension_request = None
    meet(step, WindowId.HANDLE, assignment.unit_id, "submit_feedback", step.now, assignment.round)
    kind = "办理情况反馈" if message.resolved else "暂不具备办理条件，说明情况"
    step.record(message.actor, "submit_feedback", f"{kind}：{message.summary}",
                unit_id=message.unit_id)


def _closes_incident(status: IncidentStatus, assignment: Assignment) -> bool:
    return all(a is assignment for a in status.active_assignments)


def check_review_feedback(state: IncidentState, message: ReviewFeedback, ctx: Context) -> None:
    assignment = active_assignment(state.status, message.unit_id,
                                   AssignmentState.FEEDBACK_SUBMITTED)
    if message.accepted and _closes_incident(state.status, assignment):
        closing.require_response(state.status, "办结")
    if not message.accepted and message.until is not None and message.until <= ctx.now:
        raise Refusal("重办期限须晚于当前时间")


def apply_review_feedback(step: Step, message: ReviewFeedback) -> None:
    status = step.status
    assignment = active_assignment(status, message.unit_id)
    comment = f"（{message.comment}）" if message.comment else ""
    assignment.feedback[-1].accepted = message.accepted
    assignment.feedback[-1].review_comment = message.comment
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
    step.record(message.actor, "review_feedback", f"退回重办{comment}", unit_id=message.unit_id)
    handling = window(status, WindowId.HANDLE, assignment.unit_id, assignment.round)
    deadline = message.until or (handling.deadline if handling else step.now)
    if message.until is None and step.ctx.patched(REWORK_PATCH):
        # 退回重办 after the deadline used to leave the unit overdue at once; it
        # now gets time to redo the work. Older histories replay the old path.
        deadline = max(deadline, step.now + REWORK_MINIMUM)
    reopen_handling(step, assignment, deadline, "反馈被退回重办")
