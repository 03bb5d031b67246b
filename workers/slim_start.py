"""A workflow runner that gives each new run a slim copy of its first activation.

The SDK (1.35) keeps a run's first activation for the run's whole life: the workflow
input and the last completion result it holds point into that message, and one
reference keeps all of it, the start's search attributes included. So each run gets
a copy without what it never reads again (search attributes and memo, already in
``workflow.info()``; the last completion result and failure, passed detached). About
6 KB per cached incident. The content the workflow sees is unchanged.
"""

import dataclasses
from collections.abc import Sequence
from typing import Any

from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.bridge.proto.workflow_completion import WorkflowActivationCompletion
from temporalio.worker import WorkflowInstance, WorkflowInstanceDetails, WorkflowRunner

# Fields of the start job that only built workflow.info() (or come detached in the details).
NOT_KEPT = ("search_attributes", "memo", "last_completion_result", "continued_failure")


def _detached(message: Any) -> Any:
    """A copy of a protobuf message in its own memory, not its activation's."""
    if message is None:
        return None
    copy = type(message)()
    copy.CopyFrom(message)
    return copy


def slim_first_activation(act: WorkflowActivation) -> WorkflowActivation:
    """The activation without what the run never reads again, in memory of its own."""
    copy = WorkflowActivation()
    copy.CopyFrom(act)
    for job in copy.jobs:
        if job.HasField("initialize_workflow"):
            for name in NOT_KEPT:
                job.initialize_workflow.ClearField(name)
    # re-parsed, so that what was cleared does not stay in the copy's arena either
    return WorkflowActivation.FromString(copy.SerializeToString())


class SlimStartRunner(WorkflowRunner):
    """Wraps the runner the worker would use (sandboxed or not)."""

    def __init__(self, inner: WorkflowRunner) -> None:
        self.inner = inner

    def prepare_workflow(self, defn: Any) -> None:
        self.inner.prepare_workflow(defn)

    def set_worker_level_failure_exception_types(
            self, types: Sequence[type[BaseException]]) -> None:
        self.inner.set_worker_level_failure_exception_types(types)

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        info = dataclasses.replace(
            det.info, headers={k: _detached(v) for k, v in det.info.headers.items()},
            raw_memo={k: _detached(v) for k, v in det.info.raw_memo.items()})
        return _SlimStartInstance(self.inner.create_instance(dataclasses.replace(
            det, info=info, last_completion_result=_detached(det.last_completion_result),
            last_failure=_detached(det.last_failure))))


class _SlimStartInstance(WorkflowInstance):
    def __init__(self, inner: WorkflowInstance) -> None:
        self._inner = inner

    def activate(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        if any(job.HasField("initialize_workflow") for job in act.jobs):
            act = slim_first_activation(act)
        return self._inner.activate(act)

    def get_serialization_context(self, command_info: Any) -> Any:
        return self._inner.get_serialization_context(command_info)

    def get_external_store_context(self, command_info: Any) -> Any:
        return self._inner.get_external_store_context(command_info)

    def get_info(self) -> Any:
        return self._inner.get_info()

    def get_thread_id(self) -> int | None:
        return self._inner.get_thread_id()
