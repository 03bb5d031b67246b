"""Every message of the contract, once: name, model, Chinese description, check and step.

The workflow's signal and update handlers, the CLI's and API's list of valid
names and the README's message table are all derived from ``MESSAGES``.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from domain import limits
from domain import messages as m
from domain.presentation import describe_validation_error
from domain.engine import deadlines
from domain.procedure import (
    analysis, assessment, assignment, closing, collection, consultation, deployment, escalation,
    feedback, handling,
)
from domain.engine.step import Context, Effect, IncidentState, Refusal, Step
from domain.roster import sealed_principal


@dataclass(frozen=True)
class MessageSpec:
    name: str
    model: type[m.Message]
    description: str  # shown beside the message in the UI's "Send a Signal" / "Send an Update"
    check: Callable[[IncidentState, Any, Context], None]  # reads only; raises Refusal
    apply: Callable[[Step, Any], None]  # changes the incident, collects the effects


# Each paragraph of the procedure and the messages it handles, in the procedure's order.
MESSAGES_BY_PARAGRAPH: dict[ModuleType, list[type[m.Message]]] = {
    collection: [m.AddReport],
    analysis: [m.Analyze],
    consultation: [m.RecordConsultation],
    assignment: [m.Acknowledge, m.BackfillForm, m.ReturnAssignment],
    handling: [m.RequestExtension, m.DecideExtension, m.RecordResponse],
    feedback: [m.SubmitFeedback, m.ReviewFeedback],
    escalation: [m.LeaderInstruction, m.Supervise, m.StartAccountability],
    closing: [m.TransferToPolice, m.Withdraw],
    assessment: [m.Sanction],
    deployment: [m.UpdateRoster],
}


def message_name(model: type[m.Message]) -> str:
    """``RecordResponse`` → ``record_response``: the contract's name is the model's."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def describe(model: type[m.Message]) -> str:
    """The model's first docstring line and its fields, required first (``?``: optional)."""
    title = (model.__doc__ or "").strip().splitlines()[0]
    # Required first, then optional; message_id (any message may carry it) last.
    fields = sorted(model.model_fields.items(),
                    key=lambda item: (not item[1].is_required(), item[0] == "message_id"))
    shown = [f"{name}{'' if field.is_required() else '?'}" for name, field in fields]
    return f"{title}: {{{', '.join(shown)}}}"


def message_spec(paragraph: ModuleType, model: type[m.Message]) -> MessageSpec:
    """A message's check and step are ``check_<name>`` / ``apply_<name>`` of its paragraph."""
    name = message_name(model)
    return MessageSpec(name, model, describe(model), getattr(paragraph, f"check_{name}"),
                       getattr(paragraph, f"apply_{name}"))


MESSAGES: dict[str, MessageSpec] = {
    spec.name: spec for paragraph, models in MESSAGES_BY_PARAGRAPH.items()
    for spec in (message_spec(paragraph, model) for model in models)}
MESSAGE_MODELS = {name: spec.model for name, spec in MESSAGES.items()}
MESSAGE_DESCRIPTIONS = {name: spec.description for name, spec in MESSAGES.items()}


# ``json.dumps(payload, ensure_ascii=False, default=str)``, its encoder built once, not per call
_AS_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode


def encoded_size(payload: Any) -> int:
    """The message's size as JSON; a structure too deep to encode counts as too large."""
    try:
        return len(_AS_JSON(payload).encode("utf-8"))
    except (ValueError, TypeError, RecursionError):
        return limits.MAX_MESSAGE_BYTES + 1


def parse(name: str, payloads: tuple[Any, ...]) -> m.Message:
    """Exactly one JSON object that fits the message's model, or a refusal saying why."""
    if len(payloads) != 1:
        raise Refusal(f"须发送且只发送一个 JSON 对象，收到 {len(payloads)} 个 "
                      "(send exactly one JSON object)")
    payload, _ = sealed_principal(payloads[0])
    if isinstance(payload, m.UndecodablePayload):
        raise Refusal(undecodable_reason(payload))
    if not isinstance(payload, dict):
        raise Refusal(f"消息须为 JSON 对象，收到 {type(payload).__name__} "
                      "(the message must be a JSON object)")
    size = encoded_size(payload)
    if size > limits.MAX_MESSAGE_BYTES:
        raise Refusal(f"消息过大（{size} 字节，上限 {limits.MAX_MESSAGE_BYTES}）"
                      "(message too large)")
    try:
        return MESSAGES[name].model.model_validate(payload)
    except ValidationError as error:
        raise Refusal(describe_validation_error(error)) from None


def undecodable_reason(payload: m.UndecodablePayload) -> str:
    """Why a payload could not be read: altered in transit or storage, or not JSON."""
    if payload.encoding.startswith(m.UNDECRYPTABLE_ENCODING):
        key = payload.encoding.partition(";key=")[2] or "?"
        return (f"消息无法解密（密钥 {key}）：内容已被篡改或损坏，未予受理 "
                f"(could not be decrypted under key {key}: altered or malformed)")
    return (f"消息无法解码（编码 {payload.encoding}，{payload.size} 字节）："
            "须为一个 JSON 对象 (not a JSON object)")


def unknown_message(name: str) -> str:
    return (f"未知消息 {name[:100]!r}：本合同的消息为 {', '.join(MESSAGES)} "
            "(unknown message name)")


def principal_of(payloads: tuple[Any, ...]) -> str | None:
    """The identity sealed into the message (temporal.data_converter), None when unverified."""
    return sealed_principal(payloads[0])[1] if len(payloads) == 1 else None


def check(state: IncidentState, name: str, message: m.Message, ctx: Context,
          principal: str | None = None) -> None:
    """Whether the message is allowed now, from this sender; a closed incident accepts none."""
    if state.status.stage.is_final:
        raise Refusal(f"事件{state.status.stage.label}，不再接受消息")
    roster = state.status.roster
    refusal = roster.refusal(name, message.actor, getattr(message, "unit_id", None), principal)
    sender = principal or (None if roster.require_verified else message.actor)
    if refusal is not None and not assessment.supervisory_organ_decides(state, name, message,
                                                                        sender):
        raise Refusal(refusal)
    MESSAGES[name].check(state, message, ctx)


def take(state: IncidentState, name: str, payloads: tuple[Any, ...],
         ctx: Context) -> list[Effect]:
    """Parse, check and apply one message; raises Refusal and then changes nothing."""
    message, principal = parse(name, payloads), principal_of(payloads)
    check(state, name, message, ctx, principal)
    recorded = len(state.status.timeline)
    step = Step(state, ctx)
    MESSAGES[name].apply(step, message)
    deadlines.met_by_entries(step, name, message)  # a profile's own windows (their entries)
    for entry in state.status.timeline[recorded:]:  # who typed it, and who it proved to be
        entry.principal = principal
    return step.effects


# What falls due (a deadline passes, a grace period ends): escalation (催办 → 督办 → 问责)
# decides what each means; the waiting (``engine.waiting``) asks here.
deadline_passed, grace_over = escalation.deadline_passed, escalation.grace_over


def actor_of(payloads: tuple[Any, ...]) -> str | None:
    """Who sent a message, as far as it can be read (for a refusal's record)."""
    payload = payloads[0] if len(payloads) == 1 else None
    actor = payload.get("actor") if isinstance(payload, dict) else None
    return actor if isinstance(actor, str) else None
