"""Every message of the contract, once: name, model, Chinese description, check and step.

The workflow's signal and update handlers, the CLI's and API's list of valid
names and the README's message table are all derived from ``MESSAGES``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from domain import messages as m
from domain.presentation import describe_validation_error
from domain.procedure import analysis, assignment, closing, collection, escalation, feedback, handling
from domain.procedure.step import Context, Effect, IncidentState, Refusal


@dataclass(frozen=True)
class MessageSpec:
    name: str
    model: type[m.Message]
    description: str  # shown beside the message in the UI's "Send a Signal" / "Send an Update"
    check: Callable[[IncidentState, Any, Context], None]  # reads only; raises Refusal
    apply: Callable[[IncidentState, Any, Context], list[Effect]]


MESSAGES: dict[str, MessageSpec] = {spec.name: spec for spec in [
    MessageSpec("add_report", m.AddReport,
                "新增舆情信息 add a report of the same incident: {report, actor}",
                collection.check_add_report, collection.apply_add_report),
    MessageSpec("analyze", m.Analyze,
                "研判 / 研判调整: {actor, category?, severity?, units?, reply_form?, "
                "handling_hours?, response_hours?, rumour?, key_criteria?, high_impact?, "
                "matter?, note?}",
                analysis.check_analyze, analysis.apply_analyze),
    MessageSpec("acknowledge", m.Acknowledge,
                "签收回传交办单 unit signs for its assignment: {unit_id, actor}",
                assignment.check_acknowledge, assignment.apply_acknowledge),
    MessageSpec("backfill_form", m.BackfillForm,
                "补充填报交办单（紧急交办后） backfill the written form: {unit_id, actor, note?}",
                assignment.check_backfill_form, assignment.apply_backfill_form),
    MessageSpec("return_assignment", m.ReturnAssignment,
                "退回（非本单位职责） return the assignment: {unit_id, reason, actor}",
                assignment.check_return_assignment, assignment.apply_return_assignment),
    MessageSpec("request_extension", m.RequestExtension,
                "延期申请 / 说明情况 request more time: {unit_id, reason, until, actor}",
                handling.check_request_extension, handling.apply_request_extension),
    MessageSpec("decide_extension", m.DecideExtension,
                "延期审批 decide on an extension: {unit_id, approved, actor, until?, comment?}",
                handling.check_decide_extension, handling.apply_decide_extension),
    MessageSpec("record_response", m.RecordResponse,
                "回应 record a public response: {unit_id, channel, summary, actor, url?, "
                "published_at?}",
                handling.check_record_response, handling.apply_record_response),
    MessageSpec("submit_feedback", m.SubmitFeedback,
                "情况反馈 report how it was handled: {unit_id, summary, resolved, actor}",
                feedback.check_submit_feedback, feedback.apply_submit_feedback),
    MessageSpec("review_feedback", m.ReviewFeedback,
                "办结审核 / 退回重办 review feedback: {unit_id, accepted, actor, comment?, until?}",
                feedback.check_review_feedback, feedback.apply_review_feedback),
    MessageSpec("leader_instruction", m.LeaderInstruction,
                "领导批示 leader's instruction: {text, actor}",
                escalation.check_leader_instruction, escalation.apply_leader_instruction),
    MessageSpec("supervise", m.Supervise, "督办（督查室） supervise: {reason, actor}",
                escalation.check_supervise, escalation.apply_supervise),
    MessageSpec("start_accountability", m.StartAccountability,
                "启动问责（监察） start accountability: {reason, actor, unit_id?}",
                escalation.check_start_accountability, escalation.apply_start_accountability),
    MessageSpec("transfer_to_police", m.TransferToPolice,
                "移交公安机关、网络监管部门 transfer a rumour case: {reason, actor}",
                closing.check_transfer_to_police, closing.apply_transfer_to_police),
    MessageSpec("withdraw", m.Withdraw, "撤销 withdraw the incident: {reason, actor}",
                closing.check_withdraw, closing.apply_withdraw),
]}

MESSAGE_MODELS = {name: spec.model for name, spec in MESSAGES.items()}
MESSAGE_DESCRIPTIONS = {name: spec.description for name, spec in MESSAGES.items()}


def parse(name: str, payloads: tuple[Any, ...]) -> m.Message:
    """Exactly one JSON object that fits the message's model, or a refusal saying why."""
    if len(payloads) != 1:
        raise Refusal(f"须发送且只发送一个 JSON 对象，收到 {len(payloads)} 个 "
                      "(send exactly one JSON object)")
    payload = payloads[0]
    if not isinstance(payload, dict):
        raise Refusal(f"消息须为 JSON 对象，收到 {type(payload).__name__} "
                      "(the message must be a JSON object)")
    try:
        return MESSAGES[name].model.model_validate(payload)
    except ValidationError as error:
        raise Refusal(describe_validation_error(error)) from None


def check(state: IncidentState, name: str, message: m.Message, ctx: Context) -> None:
    """Whether the message is allowed now; a closed incident accepts none."""
    if state.status.stage.is_final:
        raise Refusal(f"事件已{state.status.stage.label}，不再接受消息")
    MESSAGES[name].check(state, message, ctx)


def take(state: IncidentState, name: str, payloads: tuple[Any, ...],
         ctx: Context) -> list[Effect]:
    """Parse, check and apply one message; raises Refusal and then changes nothing."""
    message = parse(name, payloads)
    check(state, name, message, ctx)
    return MESSAGES[name].apply(state, message, ctx)


def actor_of(payloads: tuple[Any, ...]) -> str | None:
    """Who sent a message, as far as it can be read (for a refusal's record)."""
    payload = payloads[0] if len(payloads) == 1 else None
    actor = payload.get("actor") if isinstance(payload, dict) else None
    return actor if isinstance(actor, str) else None
