"""Nothing of a run's first activation is kept for the run's life (the SDK's public API only).

The SDK reads each activation into one protobuf message, whose parts all live in one block
of memory: any one part kept keeps all of it. For the first activation that is about 11 KB
per cached incident (the start's input, its search attributes, the signal-with-start's
report, and the copies the SDK's payload passes add on decoding). The SDK (1.35) keeps a
few parts for the run's life: in the details it creates the run with (the start's headers,
memo, last completion result and failure) and in the input it runs the workflow with (the
arguments and headers). Here each of them is replaced, before the run starts, by a copy in
memory of its own: public types (``WorkflowInstanceDetails``, ``ExecuteWorkflowInput``,
``temporalio.api`` messages) through public extension points (a workflow runner's
``create_instance``, a workflow interceptor). The content the workflow sees is the same.

If an SDK release keeps another part, nothing breaks: the memory comes back, and
``scripts/bench_speed.py --memory-only`` shows it. ``docs/scaling.md`` has the upstream
issue that would make this module unnecessary.
"""

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar, overload

from google.protobuf.message import Message as Proto
from temporalio.common import RawValue
from temporalio.worker import (
    ExecuteWorkflowInput, Interceptor, UnsandboxedWorkflowRunner, WorkflowInboundInterceptor,
    WorkflowInstance, WorkflowInstanceDetails, WorkflowInterceptorClassInput,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

Message = TypeVar("Message", bound=Proto)


@overload
def detached(message: None) -> None: ...


@overload
def detached(message: Message) -> Message: ...


def detached(message: Message | None) -> Message | None:
    """A copy of a protobuf message in memory of its own, not its activation's."""
    if message is None:
        return None
    copy = type(message)()
    copy.CopyFrom(message)
    return copy


def detached_map(messages: Mapping[str, Any]) -> dict[str, Any]:
    return {key: detached(value) for key, value in messages.items()}


def detached_details(det: WorkflowInstanceDetails) -> WorkflowInstanceDetails:
    info = dataclasses.replace(det.info, headers=detached_map(det.info.headers),
                               raw_memo=detached_map(det.info.raw_memo))
    return dataclasses.replace(det, info=info,
                               last_completion_result=detached(det.last_completion_result),
                               last_failure=detached(det.last_failure))


class DetachedStartRunner(UnsandboxedWorkflowRunner):
    """The unsandboxed runner, creating each run with details of its own."""

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return super().create_instance(detached_details(det))


class DetachedStartSandboxedRunner(SandboxedWorkflowRunner):
    """The SDK's sandbox, creating each run with details of its own."""

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return super().create_instance(detached_details(det))


class DetachedInput(WorkflowInboundInterceptor):
    async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
        # the SDK keeps this very input for the run's life: its parts become copies
        input.headers = detached_map(input.headers)
        input.args = [RawValue(detached(arg.payload)) if isinstance(arg, RawValue) else arg
                      for arg in input.args]
        return await super().execute_workflow(input)


class DetachedStart(Interceptor):
    """Give to the worker (and replayer) beside one of the runners above."""

    def workflow_interceptor_class(
            self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        return DetachedInput
