"""The one data converter every process shares: pydantic payloads, refusals without stack traces."""

import dataclasses

from temporalio.api.failure.v1 import Failure
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverter, PayloadConverter
from temporalio.exceptions import ApplicationError

from domain.messages import MESSAGE_REFUSED


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


DATA_CONVERTER: DataConverter = dataclasses.replace(
    pydantic_data_converter, failure_converter_class=RefusalFailureConverter)
