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

``COPIED`` names those parts, and the code copies what it names. If an SDK release keeps
another part, nothing breaks, but the memory comes back silently. So
tests/workers/test_detached_start.py reads the three classes' type hints and fails, naming
the field, when one holds protobuf messages that ``COPIED`` does not name; and
``scripts/bench_speed.py --memory-only`` measures the memory (README, "Upgrading the Temporal
SDK"). ``docs/scaling.md`` has the upstream issue that would make this module unnecessary.
"""

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar, overload

from google.protobuf.message import Message as Proto
from temporalio.common import RawValue
from temporalio.worker import (
    ExecuteWorkflowInput, Interceptor, UnsandboxedWorkflowRunner, WorkflowInboundInterceptor,
    WorkflowInstance, WorkflowInstanceDetails, WorkflowInterceptorClassInput,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner
from temporalio.workflow import Info

Message = TypeVar("Message", bound=Proto)

# Every field of what the SDK keeps per run that holds protobuf messages, by class: each is
# replaced by a copy. ``args`` is typed ``Sequence[Any]``; it holds the start as a RawValue.
COPIED: Mapping[type, tuple[str, ...]] = MappingProxyType({
    Info: ("headers", "raw_memo"),
    WorkflowInstanceDetails: ("last_completion_result", "last_failure"),
    ExecuteWorkflowInput: ("args", "headers"),
})


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


def detached_item(value: Any) -> Any:
    """A protobuf message, or a RawValue's, copied; anything else as it is."""
    if isinstance(value, RawValue):
        return RawValue(detached(value.payload))
    return detached(value) if isinstance(value, Proto) else value


def detached_value(value: Any) -> Any:
    """A field's value with each protobuf message in it (itself, a RawValue's, a list's item
    or a mapping's value) replaced by a copy; the workflow's own values as they are."""
    if isinstance(value, Mapping):
        return {key: detached_item(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [detached_item(item) for item in value]
    return detached_item(value)


def detached_fields(kept: Any, kind: type) -> dict[str, Any]:
    """Copies of the fields ``COPIED`` names for ``kind``, by name. ``kind`` is given, not
    ``type(kept)``: the SDK may hand a subclass of it."""
    return {name: detached_value(getattr(kept, name)) for name in COPIED[kind]}


def detached_details(det: WorkflowInstanceDetails) -> WorkflowInstanceDetails:
    info = dataclasses.replace(det.info, **detached_fields(det.info, Info))
    return dataclasses.replace(det, info=info, **detached_fields(det, WorkflowInstanceDetails))


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
        for name, copy in detached_fields(input, ExecuteWorkflowInput).items():
            setattr(input, name, copy)
        return await super().execute_workflow(input)


class DetachedStart(Interceptor):
    """Give to the worker (and replayer) beside one of the runners above."""

    def workflow_interceptor_class(
            self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        return DetachedInput
