"""The message registry: every contract message once, and the intake's refusals.

Mirrors tests/workflows/test_malformed_messages.py (each bad input refused with its reason,
nothing changed; a closed incident accepts nothing) and test_updates.py (the update's
validator and the signal refuse with the same words; every message is described), on
``registry.parse`` / ``check`` / ``take`` and ``MESSAGES``.
"""

from typing import Any

import pytest

from domain import messages, roster
from domain.procedure import (
    analysis, assessment, assignment, closing, collection, consultation, deployment, escalation,
    feedback, handling,
)
from domain.engine import registry
from domain.engine.step import REJECTIONS_KEPT, StopWaiting, Refusal, record_refusal
from domain.profiles import WindowId
from tests.domain.procedure.drive import ACTOR, at, context, reported, refused, send

CONTRACT = ["add_report", "analyze", "record_consultation", "acknowledge", "backfill_form", "return_assignment",
            "request_extension", "decide_extension", "record_response", "submit_feedback",
            "review_feedback", "leader_instruction", "supervise", "start_accountability",
            "transfer_to_police", "withdraw", "sanction", "update_roster"]

PARAGRAPH_OF = {
    "add_report": collection, "analyze": analysis, "record_consultation": consultation,
    "acknowledge": assignment,
    "backfill_form": assignment, "return_assignment": assignment,
    "request_extension": handling, "decide_extension": handling, "record_response": handling,
    "submit_feedback": feedback, "review_feedback": feedback,
    "leader_instruction": escalation, "supervise": escalation, "start_accountability": escalation,
    "transfer_to_police": closing, "withdraw": closing, "sanction": assessment,
    "update_roster": deployment,
}

# A well-formed payload of every message (actor added when sent).
WELL_FORMED: dict[str, dict[str, Any]] = {
    "record_consultation": {"assessment": "舆情走势平稳", "measures": "持续监测"},
    "sanction": {"unit_id": "u1", "kind": "notice_criticism", "reason": "逾期"},
    "add_report": {"report": {"platform": "微博", "url": "https://w/2",
                              "detected_at": at(0).isoformat()}},
    "analyze": {"severity": "较大"},
    "acknowledge": {"unit_id": "u1"},
    "backfill_form": {"unit_id": "u1"},
    "return_assignment": {"unit_id": "u1", "reason": "非本单位职责"},
    "request_extension": {"unit_id": "u1", "reason": "需现场核查", "until": at(96).isoformat()},
    "decide_extension": {"unit_id": "u1", "approved": True},
    "record_response": {"unit_id": "u1", "channel": "platform_reply", "summary": "已回复"},
    "submit_feedback": {"unit_id": "u1", "summary": "已处理", "resolved": True},
    "review_feedback": {"unit_id": "u1", "accepted": True},
    "leader_instruction": {"text": "请尽快办理"},
    "supervise": {"reason": "督查室督办"},
    "start_accountability": {"reason": "问责"},
    "transfer_to_police": {"reason": "涉嫌造谣"},
    "withdraw": {"reason": "重复交办"},
    "update_roster": {"roster": {"units": {"u1": ["住建局 王五"]}}},
}

ACK = {"unit_id": "u1", "actor": ACTOR}
RESPONSE = {**ACK, "channel": "platform_reply", "summary": "已回复"}

# test_malformed_messages.BAD_INPUT: (message, payloads as sent, the reason, or its start
# where pydantic's English follows the Chinese).
BAD_INPUT = {
    "no-payload": ("acknowledge", [],
                   "须发送且只发送一个 JSON 对象，收到 0 个 (send exactly one JSON object)"),
    "two-payloads": ("acknowledge", [ACK, ACK],
                     "须发送且只发送一个 JSON 对象，收到 2 个 (send exactly one JSON object)"),
    "string": ("acknowledge", ["签收"],
               "消息须为 JSON 对象，收到 str (the message must be a JSON object)"),
    "list": ("acknowledge", [[ACK]],
             "消息须为 JSON 对象，收到 list (the message must be a JSON object)"),
    "number": ("acknowledge", [7],
               "消息须为 JSON 对象，收到 int (the message must be a JSON object)"),
    "null": ("acknowledge", [None],
             "消息须为 JSON 对象，收到 NoneType (the message must be a JSON object)"),
    "missing-unit-id": ("acknowledge", [{"actor": ACTOR}], "unit_id：缺少必填字段 (required)"),
    "missing-actor": ("acknowledge", [{"unit_id": "u1"}], "actor：缺少必填字段 (required)"),
    "blank-actor": ("acknowledge", [{"unit_id": "u1", "actor": "   "}],
                    "actor：不能为空 (must not be blank)"),
    "unknown-field": ("acknowledge", [{**ACK, "signed_by": "李四"}],
                      "signed_by：未知字段，请检查拼写 (unknown field)"),
    "misspelt-field": ("analyze", [{"actor": ACTOR, "severty": "重大"}],
                       "severty：未知字段，请检查拼写 (unknown field)"),
    "wrong-type-str": ("acknowledge", [{"unit_id": 42, "actor": ACTOR}], "unit_id：须为文本 ("),
    "wrong-type-number": ("analyze", [{"actor": ACTOR, "handling_hours": "三天"}],
                          "handling_hours：须为数字 ("),
    "non-positive-hours": ("analyze", [{"actor": ACTOR, "handling_hours": -5}],
                           "handling_hours：须大于下限 ("),
    "bad-enum-channel": ("record_response", [{**RESPONSE, "channel": "tweet"}],
                         "channel：取值无效 ("),
    "bad-enum-severity": ("analyze", [{"actor": ACTOR, "severity": "严重"}],
                          "severity：取值无效 ("),
    "bad-enum-category": ("analyze", [{"actor": ACTOR, "category": "R9"}],
                          "category：取值无效 ("),
    "naive-datetime": ("request_extension",
                       [{**ACK, "reason": "需核查", "until": "2030-01-01T09:00:00"}],
                       "until：须带时区，如 +08:00 ("),
    "duplicate-units": ("analyze", [{"actor": ACTOR, "units": [{"unit_id": "u-b"},
                                                               {"unit_id": "u-b"}]}],
                        "消息：units 中单位重复：每个单位一张交办单 (R-5)"),
    "two-leads": ("analyze", [{"actor": ACTOR, "units": [{"unit_id": "u-b", "lead": True},
                                                         {"unit_id": "u-c", "lead": True}]}],
                  "消息：只能指定一个牵头部门 (at most one lead unit)"),
    "empty-units": ("analyze", [{"actor": ACTOR, "units": []}],
                    "消息：units 不能为空列表 (name at least one responsible unit)"),
    "several-problems": ("acknowledge", [{"signed_by": "李四"}],
                         "actor：缺少必填字段 (required)；unit_id：缺少必填字段 (required)；"
                         "signed_by：未知字段，请检查拼写 (unknown field)"),
    # well-formed, refused by the message's check
    "unknown-unit": ("acknowledge", [{"unit_id": "u-nobody", "actor": ACTOR}],
                     "未知单位 u-nobody：本事件的责任单位为 u1（单位u1） (unknown unit)"),
    "unknown-message-unit": ("record_response", [{**RESPONSE, "unit_id": "u-nobody"}],
                             "未知单位 u-nobody：本事件的责任单位为 u1（单位u1） (unknown unit)"),
    "feedback-before-signing": ("submit_feedback",
                                [{**ACK, "summary": "已处理", "resolved": True}],
                                "单位 u1 的交办单当前为「待签收」，不能执行此操作"),
}


def refusal_of(state, name: str, payloads: list, hours: float = 1) -> str:
    """``registry.take`` with exactly these payloads must refuse and change nothing."""
    before = state.model_copy(deep=True)
    with pytest.raises(Refusal) as refusal:
        registry.take(state, name, tuple(payloads), context(hours))
    assert state == before, "a refused message changed the incident"
    return refusal.value.reason


# ------------------------------------------------------------ MESSAGES

def test_every_contract_message_is_registered_once_in_the_procedures_order():
    assert list(registry.MESSAGES) == CONTRACT
    assert [registry.message_name(model) for models in registry.MESSAGES_BY_PARAGRAPH.values()
            for model in models] == CONTRACT


@pytest.mark.parametrize("name", CONTRACT)
def test_each_message_has_its_model_description_check_and_step(name):
    """A message's check and step are ``check_<name>`` / ``apply_<name>`` of its paragraph."""
    spec = registry.MESSAGES[name]
    paragraph = PARAGRAPH_OF[name]
    assert spec.name == name and issubclass(spec.model, messages.Message)
    assert registry.message_name(spec.model) == name
    assert spec.check is getattr(paragraph, f"check_{name}")
    assert spec.apply is getattr(paragraph, f"apply_{name}")
    assert spec.description == registry.describe(spec.model)
    assert spec.description.startswith(spec.model.__doc__.strip().splitlines()[0] + ": {actor")
    assert "\u4e00" <= spec.description[0] <= "\u9fff"  # Chinese first


def test_every_step_of_a_paragraph_is_registered():
    """No ``apply_…`` in a paragraph is left out of the registry (nor a ``check_…``)."""
    for paragraph, models in registry.MESSAGES_BY_PARAGRAPH.items():
        names = {registry.message_name(model) for model in models}
        for prefix in ("check_", "apply_"):
            defined = {n.removeprefix(prefix) for n in vars(paragraph) if n.startswith(prefix)}
            assert defined == names, paragraph.__name__


def test_every_message_says_who_may_send_it():
    """A message in none of the roster's lists is refused from every sender (domain/roster.py,
    fail closed): each is a unit's, an office's decision, open on purpose, or the
    administrators' own."""
    said = [*roster.UNIT_MESSAGES, *roster.DECIDED_BY, *roster.OPEN_TO_ANY_SENDER,
            roster.ROSTER_UPDATE]
    assert sorted(said) == sorted(CONTRACT)  # each in exactly one list
    assert all(roster.said_who_may_send(name) for name in CONTRACT)


def test_models_and_descriptions_are_derived_from_the_registry():
    assert list(registry.MESSAGE_MODELS) == list(registry.MESSAGE_DESCRIPTIONS) == CONTRACT
    assert registry.MESSAGE_MODELS == {n: s.model for n, s in registry.MESSAGES.items()}
    assert registry.MESSAGE_DESCRIPTIONS == {n: s.description for n, s in registry.MESSAGES.items()}
    assert registry.MESSAGE_MODELS["record_response"] is messages.RecordResponse


@pytest.mark.parametrize("name, description", [
    ("acknowledge", "签收回传交办单 unit signs for its assignment: {actor, unit_id, message_id?}"),
    ("backfill_form", "补充填报交办单（紧急交办后） backfill the written form: {actor, unit_id, note?, message_id?}"),
    ("decide_extension",
     "延期审批 decide on an extension: {actor, unit_id, approved, until?, comment?, message_id?}"),
    ("record_response", "回应 record a public response: "
                        "{actor, unit_id, channel, summary, url?, published_at?, "
                        "head_or_spokesperson_attended?, joint_units?, review?, message_id?}"),
    ("analyze", "研判 / 研判调整 analyse, or adjust the analysis: {actor, category?, severity?, "
                "units?, reply_form?, handling_hours?, response_hours?, rumour?, key_criteria?, "
                "high_impact?, matter?, emergency_event?, note?, message_id?}"),
])
def test_descriptions_list_required_fields_before_optional_ones(name, description):
    assert registry.MESSAGE_DESCRIPTIONS[name] == description


def test_message_names_are_the_models_in_snake_case():
    assert registry.message_name(messages.RecordResponse) == "record_response"
    assert registry.message_name(messages.TransferToPolice) == "transfer_to_police"


# ------------------------------------------------------------ parse and check

@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_with_its_reason_and_changes_nothing(case):
    """test_bad_message_refused_and_next_good_one_applied: the reason (Chinese first) and an
    unchanged incident, which then takes the next good message."""
    name, payloads, reason = BAD_INPUT[case]
    state, _ = reported()
    assert refusal_of(state, name, payloads).startswith(reason)
    send(state, "acknowledge", 2, unit_id="u1")
    assert state.status.assignment("u1").state.value == "acknowledged"


@pytest.mark.parametrize("case", [c for c in BAD_INPUT if not c.startswith(
    ("unknown-unit", "unknown-message-unit", "feedback-before"))])
def test_parse_refuses_what_is_not_one_object_fitting_the_model(case):
    name, payloads, reason = BAD_INPUT[case]
    with pytest.raises(Refusal) as refusal:
        registry.parse(name, tuple(payloads))
    assert refusal.value.reason.startswith(reason)


def test_parse_returns_the_model():
    parsed = registry.parse("acknowledge", (ACK,))
    assert isinstance(parsed, messages.Acknowledge) and parsed.unit_id == "u1"


def test_check_refuses_with_the_same_words_as_take():
    """test_update_refusal_matches_the_signal_refusal_word_for_word: the update's validator
    (parse + check, read only) and the signal (take) give one reason."""
    state, _ = reported()
    payload = {**ACK, "summary": "已处理", "resolved": True}
    message = registry.parse("submit_feedback", (payload,))
    with pytest.raises(Refusal) as by_check:
        registry.check(state, "submit_feedback", message, context(1))
    assert refusal_of(state, "submit_feedback", [payload]) == by_check.value.reason


def test_take_applies_the_step_and_returns_its_effects():
    state, _ = reported()
    effects = registry.take(state, "acknowledge", (ACK,), context(0.5))
    assert effects == [StopWaiting((WindowId.ACK, "u1", 1))]
    assert state.status.assignment("u1").state.value == "acknowledged"


# ------------------------------------------------------------ a closed incident

def _withdrawn():
    state, _ = reported(category="R4")
    send(state, "withdraw", 1, reason="重复交办")
    return state


def _closed():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 2, unit_id="u1", summary="已处理", resolved=True)
    send(state, "review_feedback", 3, unit_id="u1", accepted=True)
    return state


@pytest.mark.parametrize("name", CONTRACT)
@pytest.mark.parametrize("ended, reason", [
    (_withdrawn, "事件已撤销，不再接受消息"), (_closed, "事件已办结，不再接受消息")],
    ids=["withdrawn", "closed"])
def test_a_closed_incident_refuses_every_message(name, ended, reason):
    """test_messages_while_closing_are_refused_with_reason / test_update_to_a_closed_incident:
    any well-formed message is refused with the reason and not applied."""
    state = ended()
    assert state.status.stage.is_final
    assert refused(state, name, 4, **WELL_FORMED[name]) == reason
    with pytest.raises(Refusal, match=reason):
        registry.check(state, name, registry.parse(name, ({"actor": ACTOR, **WELL_FORMED[name]},)),
                       context(4))


def test_a_malformed_message_to_a_closed_incident_is_refused_for_its_form_first():
    assert refusal_of(_withdrawn(), "acknowledge", ["签收"]) == (
        "消息须为 JSON 对象，收到 str (the message must be a JSON object)")


# ------------------------------------------------------------ who sent it

def test_the_actor_is_read_for_the_record_even_from_a_bad_payload():
    """test_refusal_records_the_actor: rejected_inputs names who sent the refused message."""
    assert registry.actor_of(({"unit_id": "u-x", "actor": "区住建局 王五"},)) == "区住建局 王五"
    assert registry.actor_of(({"actor": "张三", "unit_id": 5},)) == "张三"
    assert registry.actor_of(({"actor": 5},)) is None
    assert registry.actor_of(("x",)) is None and registry.actor_of(({}, {})) is None
    assert registry.actor_of(()) is None


def test_a_refusal_is_recorded_with_its_reason_and_sender_the_newest_kept():
    """What the shell records for a refused signal (status.rejected_inputs), bounded."""
    state, _ = reported()
    payloads = ({"unit_id": "u-x", "actor": "区住建局 王五"},)
    reason = refusal_of(state, "acknowledge", list(payloads))
    record_refusal(state, "acknowledge", reason, registry.actor_of(payloads), at(1))
    [rejected] = state.status.rejected_inputs
    assert (rejected.message, rejected.reason, rejected.actor, rejected.at) == (
        "acknowledge", "未知单位 u-x：本事件的责任单位为 u1（单位u1） (unknown unit)", "区住建局 王五",
        at(1))
    for n in range(REJECTIONS_KEPT + 5):
        record_refusal(state, "acknowledge", f"#{n}", None, at(2))
    kept = state.status.rejected_inputs
    assert len(kept) == REJECTIONS_KEPT and kept[-1].reason == f"#{REJECTIONS_KEPT + 4}"
