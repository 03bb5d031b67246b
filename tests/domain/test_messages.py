"""The contract's messages (README: Messages): validation gives reasons a supervisor can act on."""

import pytest
from pydantic import ValidationError

from domain.messages import Analyze, IncidentStart, RecordResponse
from domain.engine.registry import MESSAGE_MODELS
from domain.presentation import describe_validation_error


def reason(model, payload):
    with pytest.raises(ValidationError) as caught:
        model.model_validate(payload)
    return describe_validation_error(caught.value)


def test_every_contract_message_has_a_model():
    assert set(MESSAGE_MODELS) >= {
        "add_report", "analyze", "acknowledge", "return_assignment", "request_extension",
        "decide_extension", "record_response", "submit_feedback", "review_feedback",
        "leader_instruction", "supervise", "start_accountability", "transfer_to_police",
        "withdraw"}


def test_missing_actor_is_named():
    assert "actor：缺少必填字段" in reason(MESSAGE_MODELS["acknowledge"], {"unit_id": "a"})


def test_unknown_field_is_refused_not_ignored():
    assert "unitid：未知字段" in reason(MESSAGE_MODELS["acknowledge"],
                                      {"unitid": "a", "actor": "x"})


def test_blank_actor_is_refused():
    assert "actor" in reason(MESSAGE_MODELS["supervise"], {"reason": "r", "actor": "  "})


def test_channel_must_be_one_of_the_contract():
    text = reason(RecordResponse, {"unit_id": "a", "channel": "tv", "summary": "s", "actor": "x"})
    assert text.startswith("channel：")


def test_naive_datetime_is_refused():
    text = reason(MESSAGE_MODELS["request_extension"],
                  {"unit_id": "a", "reason": "r", "until": "2026-11-25T09:00:00", "actor": "x"})
    assert text.startswith("until：")


def test_units_one_form_per_unit_and_one_lead():
    assert "重复" in reason(Analyze, {"actor": "x", "units": [{"unit_id": "a"}, {"unit_id": "a"}]})
    assert "牵头" in reason(Analyze, {"actor": "x", "units": [
        {"unit_id": "a", "lead": True}, {"unit_id": "b", "lead": True}]})


def test_contract_example_start_payload_is_valid():
    start = IncidentStart.model_validate({
        "incident_id": "NT-20261121-0001", "profile": "nantong-2017",
        "title": "某小区电梯频繁故障无人维修",
        "report": {"platform": "人民网地方领导留言板", "url": "https://example.org/thread/123",
                   "content": "……", "region": "崇川区",
                   "detected_at": "2026-11-21T09:00:00+08:00"},
        "analysis": {"category": "R2", "severity": "一般",
                     "units": [{"unit_id": "nt-zjj", "name": "南通市住房和城乡建设局",
                                "lead": True}],
                     "reply_form": "网上回复", "handling_hours": 72},
        "actor": "网信办监测平台"})
    assert start.analysis.units[0].lead


def test_incident_id_must_be_usable_in_a_workflow_id():
    assert "incident_id" in reason(IncidentStart, {
        "incident_id": "a b/c", "profile": "nantong-2017", "title": "t", "actor": "x",
        "report": {"platform": "p", "detected_at": "2026-11-21T09:00:00+08:00"}})
