"""The message registry: every contract message once, and the intake's refusals."""

import pytest

from domain import messages
from domain.procedure import registry
from domain.procedure.step import Refusal
from tests.domain.procedure.drive import reported, refused, send

CONTRACT = ["add_report", "analyze", "acknowledge", "backfill_form", "return_assignment",
            "request_extension", "decide_extension", "record_response", "submit_feedback",
            "review_feedback", "leader_instruction", "supervise", "start_accountability",
            "transfer_to_police", "withdraw"]


def test_every_contract_message_is_registered_once_with_its_check_and_step():
    assert list(registry.MESSAGES) == CONTRACT
    for name, spec in registry.MESSAGES.items():
        assert issubclass(spec.model, messages.Message) and callable(spec.check)
        assert spec.apply.__name__ == f"apply_{name}" and spec.check.__name__ == f"check_{name}"
    assert registry.MESSAGE_MODELS["record_response"] is messages.RecordResponse


def test_descriptions_are_chinese_first_and_list_required_fields_before_optional_ones():
    assert registry.MESSAGE_DESCRIPTIONS["decide_extension"] == (
        "延期审批 decide on an extension: {actor, unit_id, approved, until?, comment?}")


@pytest.mark.parametrize("payloads, reason", [
    ((), "须发送且只发送一个 JSON 对象，收到 0 个"),
    (({}, {}), "须发送且只发送一个 JSON 对象，收到 2 个"),
    (("签收",), "消息须为 JSON 对象，收到 str"),
    (({"unit_id": "u1"},), "actor：缺少必填字段"),
])
def test_malformed_payloads_are_refused_with_a_reason(payloads, reason):
    with pytest.raises(Refusal) as refusal:
        registry.parse("acknowledge", payloads)
    assert refusal.value.reason.startswith(reason)


def test_a_closed_incident_accepts_no_message():
    state, _ = reported()
    send(state, "withdraw", 1, reason="重复")
    assert refused(state, "leader_instruction", 2, text="请办理") == "事件已撤销，不再接受消息"


def test_actor_is_read_for_the_record_even_from_a_bad_payload():
    assert registry.actor_of(({"actor": "张三", "unit_id": 5},)) == "张三"
    assert registry.actor_of(("x",)) is None and registry.actor_of(({}, {})) is None
