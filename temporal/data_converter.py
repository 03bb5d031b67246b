"""The one data converter every process shares: pydantic payloads, refusals without stack traces.

Payload encryption is added by the process that holds the keys (``settings.keys``).

Built from the SDK's public converter classes only (``temporalio.converter``,
``temporalio.contrib.pydantic``): no private method is replaced, so an SDK release can
change its internals without changing what this converter does.
"""

from collections.abc import Sequence
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter
from temporalio.converter import (
    CompositePayloadConverter, DataConverter, DefaultFailureConverter, DefaultPayloadConverter,
    JSONPlainPayloadConverter, PayloadConverter,
)
from temporalio.exceptions import ApplicationError

from domain.messages import MESSAGE_REFUSED, UndecodablePayload
from domain.roster import PRINCIPAL_FIELD
from temporal.codec import PRINCIPAL

# The SDK builds a payload converter for every workflow run and activation. They all share
# this one JSON converter, so its cache of pydantic type adapters is the process's: no run
# builds (CPU) and keeps (memory) adapters, or a serializer, of its own.
SHARED_JSON = PydanticJSONPlainPayloadConverter()
# The SDK's default encodings in their order, as its PydanticPayloadConverter lists them.
ENCODINGS = tuple(SHARED_JSON if isinstance(converter, JSONPlainPayloadConverter) else converter
                  for converter in DefaultPayloadConverter.default_encoding_payload_converters)


class TolerantPayloadConverter(CompositePayloadConverter):
    """An untyped payload that cannot be decoded becomes an ``UndecodablePayload``.

    Messages and the start arrive untyped (``Any``): a payload that is not JSON, or
    nests too deeply, would otherwise make the SDK drop the signal silently or fail the
    workflow task. Here it reaches the procedure, which refuses it with a reason.
    Typed payloads (activity results, queries) decode, or fail, as usual.
    """

    def __init__(self) -> None:
        super().__init__(*ENCODINGS)

    def from_payloads(self, payloads: Sequence[Payload],
                      type_hints: list[type] | None = None) -> list[Any]:
        hints: list[type | None] = list(type_hints or [])
        hints += [None] * (len(payloads) - len(hints))
        values = []
        for payload, hint in zip(payloads, hints):
            if hint is not None and hint not in (Any, object):
                values.extend(super().from_payloads([payload], [hint]))
                continue
            try:  # as the composite decodes one (its errors' kinds too), without its wrapping
                encoding = payload.metadata.get("encoding", b"<unknown>")
                converter = self.converters.get(encoding)
                if converter is None:
                    raise KeyError(f"Unknown payload encoding {encoding.decode()}")
                values.append(with_sealed_principal(converter.from_payload(payload), payload))
            except (Exception, RecursionError) as error:
                named = payload.metadata.get("encoding", b"<none>").decode("utf-8", "replace")
                kind = RuntimeError if isinstance(error, RuntimeError) else type(error)  # as wrapped
                values.append(UndecodablePayload(encoding=named[:40], size=len(payload.data),
                                                 error=kind.__name__))
        return values


def with_sealed_principal(value: Any, payload: Payload) -> Any:
    """A message's verified principal comes only from inside its encryption
    (``temporal.codec.PRINCIPAL``); one the sender typed into the JSON is dropped."""
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


DATA_CONVERTER: DataConverter = DataConverter(
    payload_converter_class=TolerantPayloadConverter,
    failure_converter_class=RefusalFailureConverter)

