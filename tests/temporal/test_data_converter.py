"""temporal.data_converter: the SDK's pydantic encodings, one adapter cache per process (no server)."""

from datetime import datetime, timezone

from temporalio.contrib.pydantic import PydanticPayloadConverter

from domain.messages import IncidentStart, UndecodablePayload
from temporal.data_converter import DATA_CONVERTER, SHARED_JSON, TolerantPayloadConverter


def test_the_encodings_are_the_sdks_pydantic_ones_in_order():
    assert list(TolerantPayloadConverter().converters) == list(PydanticPayloadConverter().converters)


def test_every_converter_the_sdk_builds_shares_one_json_converter():
    """The SDK builds one per run and per activation: none keeps adapters of its own."""
    first, second = TolerantPayloadConverter(), DATA_CONVERTER.payload_converter_class()
    assert first.converters[b"json/plain"] is SHARED_JSON
    assert second.converters[b"json/plain"] is SHARED_JSON


def test_models_and_times_round_trip():
    start = IncidentStart.model_validate({
        "incident_id": "T-1", "profile": "nantong-2017", "title": "转换测试", "actor": "测试",
        "report": {"platform": "留言板", "url": "https://example.org/t",
                   "detected_at": datetime(2026, 12, 1, 8, tzinfo=timezone.utc)}})
    converter = DATA_CONVERTER.payload_converter
    payloads = converter.to_payloads([start, start.report.detected_at])
    assert payloads[0].metadata["encoding"] == b"json/plain"
    assert converter.from_payloads(payloads, [IncidentStart, datetime]) == \
        [start, start.report.detected_at]


def test_an_untyped_payload_that_is_not_json_becomes_undecodable():
    converter = DATA_CONVERTER.payload_converter
    [payload] = converter.to_payloads([{"actor": "网信办"}])
    payload.data = b"{not json"
    [value] = converter.from_payloads([payload])
    assert isinstance(value, UndecodablePayload) and value.encoding == "json/plain"
