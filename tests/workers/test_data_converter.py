"""workers.data_converter: activations are decoded in place when nothing would change them.

The SDK's decoding passes replace each payload sequence by a copy of itself unless the
converter returns the very sequence; the copies stay in the activation's arena, which
the SDK keeps for a run's life. These tests notice if an SDK upgrade changes that path.
"""

import dataclasses

from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.bridge.worker import decode_activation
from temporalio.converter import DataConverter

from workers.codec import EncryptionCodec, Keyring
from workers.data_converter import DATA_CONVERTER, PAYLOAD_PASSES, InPlaceDataConverter


def activation() -> WorkflowActivation:
    act = WorkflowActivation(run_id="r")
    start = act.jobs.add().initialize_workflow
    start.workflow_type, start.workflow_id = "IncidentWorkflow", "incident-x"
    start.arguments.extend(DATA_CONVERTER.payload_converter.to_payloads(
        [{"incident_id": "x", "title": "测试"}]))
    signal = act.jobs.add().signal_workflow
    signal.signal_name = "add_report"
    signal.input.extend(DATA_CONVERTER.payload_converter.to_payloads([{"actor": "网信办"}]))
    return act


async def decoded_in_place(converter: DataConverter) -> bool:
    act = activation()
    before = act.jobs[0].initialize_workflow.arguments[0]
    await decode_activation(act, converter, decode_headers=True, storage_concurrency_limit=1)
    return act.jobs[0].initialize_workflow.arguments[0] is before


async def test_the_shared_converter_decodes_in_place():
    assert isinstance(DATA_CONVERTER, InPlaceDataConverter)
    assert await decoded_in_place(DATA_CONVERTER)


async def test_the_sdks_own_converter_copies_so_the_check_can_fail():
    assert not await decoded_in_place(DataConverter.default)


async def test_with_a_codec_the_payloads_are_still_decrypted():
    converter = dataclasses.replace(DATA_CONVERTER,
                                    payload_codec=EncryptionCodec(Keyring({"k1": b"k" * 32}, "k1")))
    act = activation()
    arguments = act.jobs[0].initialize_workflow.arguments
    sealed = await converter.payload_codec.encode(list(arguments))
    del arguments[:]
    arguments.extend(sealed)
    assert b"incident_id" not in arguments[0].data
    await decode_activation(act, converter, decode_headers=True, storage_concurrency_limit=1)
    assert converter.payload_converter.from_payloads([arguments[0]])[0]["title"] == "测试"


def test_the_sdk_still_has_the_passes_overridden():
    for name in PAYLOAD_PASSES:
        assert name in vars(DataConverter), f"SDK no longer has DataConverter.{name}"
        assert name in vars(InPlaceDataConverter)
