"""The one data converter every process shares: pydantic payloads, refusals without stack traces."""

import dataclasses
import functools

from collections.abc import Sequence
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from pydantic import TypeAdapter
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter, PydanticPayloadConverter
from temporalio.converter import DataConverter, DefaultFailureConverter, PayloadConverter
from temporalio.exceptions import ApplicationError

from domain.messages import MESSAGE_REFUSED, UndecodablePayload
from domain.roster import PRINCIPAL_FIELD
from workers.codec import PRINCIPAL

# The SDK builds a payload converter for every workflow run; with one cache of pydantic
# type adapters for all of them, no run builds (CPU) and keeps (memory) its own.
SHARED_TYPE_ADAPTERS = functools.lru_cache(maxsize=1024)(TypeAdapter)


class TolerantPayloadConverter(PydanticPayloadConverter):
    """An untyped payload that cannot be decoded becomes an ``UndecodablePayload``.

    Messages and the start arrive untyped (``Any``): a payload that is not JSON, or
    nests too deeply, would otherwise make the SDK drop the signal silently or fail the
    workflow task. Here it reaches the procedure, which refuses it with a reason.
    Typed payloads (activity results, queries) decode, or fail, as usual.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for converter in self.converters.values():
            if isinstance(converter, PydanticJSONPlainPayloadConverter):
                converter._type_adapter = SHARED_TYPE_ADAPTERS

    def from_payloads(self, payloads: Sequence[Payload],
                      type_hints: list[type] | None = None) -> list[Any]:
        hints = list(type_hints or [])
        hints += [None] * (len(payloads) - len(hints))
        values = []
        for payload, hint in zip(payloads, hints):
            if hint not in (None, Any, object):
                values.extend(super().from_payloads([payload], [hint]))
                continue
            try:
                values.append(with_sealed_principal(
                    super().from_payloads([payload], None)[0], payload))
            except (Exception, RecursionError) as error:
                encoding = payload.metadata.get("encoding", b"<none>").decode("utf-8", "replace")
                values.append(UndecodablePayload(encoding=encoding[:40], size=len(payload.data),
                                                 error=type(error).__name__))
        return values


def with_sealed_principal(value: Any, payload: Payload) -> Any:
    """A message's verified principal comes only from inside its encryption
    (``workers.codec.PRINCIPAL``); one the sender typed into the JSON is dropped."""
    if isinstance(value, dict):
        value.pop(PRINCIPAL_FIELD, None)
        if sealed := payload.metadata.get(PRINCIPAL):
            value[PRINCIPAL_FIELD] = sealed.decode("utf-8", "replace")
    return value


class RefusalFailureConverter(DefaultFailureConverter):
    """A refused message is the sender's mistake, not a fault of the worker.

    The UI shows a failed update's stack trace under its message; for a refusal the
    supervisor should read the reason alone.
    """

    def to_failure(self, exception: BaseException, payload_converter: PayloadConverter,
                   failure: Failure) -> None:
        super().to_failure(exception, payload_converter, failure)
        if isinstance(exception, ApplicationError) and exception.type == MESSAGE_REFUSED:
            failure.stack_trace = ""


@dataclasses.dataclass(frozen=True)
class InPlaceDataConverter(DataConverter):
    """Tells the SDK when a codec or storage pass changed nothing in a payload sequence.

    The worker passes every activation and completion through three codec and storage
    passes. Each returns a new list even when it changed nothing (no codec, no external
    storage configured), and the SDK (1.35) then replaces the sequence by a copy of itself:
    the copies pile up in the activation's protobuf arena, which the SDK keeps for the
    run's life (the first activation), about 7 KB per cached incident. Each pass still
    runs as the SDK wrote it (its checks and errors included); when it returns the very
    payloads it was given, the original sequence is handed back, which the SDK leaves as
    it is. ``tests/workers/test_data_converter.py`` notices if an SDK upgrade renames them.
    """


PAYLOAD_PASSES = ("_decode_reference_payload_sequence", "_external_retrieve_payload_sequence",
                  "_decode_payload_sequence", "_encode_payload_sequence",
                  "_external_store_payload_sequence", "_encode_reference_payload_sequence")


def _in_place(name: str) -> Any:
    async def payload_pass(self: InPlaceDataConverter, payloads: Sequence[Payload]) -> Any:
        passed = await getattr(super(InPlaceDataConverter, self), name)(payloads)
        unchanged = len(passed) == len(payloads) and all(
            new is old for new, old in zip(passed, payloads))
        return payloads if unchanged else passed

    payload_pass.__name__ = payload_pass.__qualname__ = name
    return payload_pass


for _name in PAYLOAD_PASSES:
    setattr(InPlaceDataConverter, _name, _in_place(_name))


DATA_CONVERTER: DataConverter = InPlaceDataConverter(
    payload_converter_class=TolerantPayloadConverter,
    failure_converter_class=RefusalFailureConverter)


def configured_converter() -> DataConverter:
    """The shared converter with payload encryption (``workers.codec``): every client,
    worker, replayer and report uses this one. Without keys it raises ``KeySettingError``
    (clear payloads only with the development switch)."""
    from workers.codec import EncryptionCodec, require_keyring, service_identity
    keyring = require_keyring()
    if keyring is None:
        return DATA_CONVERTER
    codec = EncryptionCodec(keyring, service_identity())
    return dataclasses.replace(DATA_CONVERTER, payload_codec=codec)
