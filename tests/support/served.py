"""Which shell serves a run: the frozen one of versions 1–5 (``LegacyIncident``) or the loop.

An interceptor, on a worker or a replayer: the shell that served each run, the run's state
as it began, and each message a shell took live (not replayed). The shells are told apart
by their class's name: in the sandbox the loop's class is the sandbox's own copy.
"""

from typing import Any

from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.worker import (
    ExecuteWorkflowInput, HandleSignalInput, HandleUpdateInput, Interceptor,
    WorkflowInboundInterceptor, WorkflowInterceptorClassInput,
)

from domain.engine.step import IncidentState
from workers.audit.replay import replayer


class Served(Interceptor):
    """Which shell served a run, its state as the run began, and the messages taken live."""

    def __init__(self) -> None:
        self.shell: object = None  # of the run that began last
        self.first_state: IncidentState | None = None
        self.live: list[tuple[str, str]] = []  # (message, the class of the shell that took it)

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> Any:
        served = self

        def taken(message: str) -> None:
            if not workflow.unsafe.is_replaying():
                served.live.append((message, type(workflow.instance().shell).__name__))

        class Inbound(WorkflowInboundInterceptor):
            async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
                instance = workflow.instance()
                served.shell = instance.shell
                served.first_state = instance.state.model_copy(deep=True)
                return await super().execute_workflow(input)

            async def handle_signal(self, input: HandleSignalInput) -> None:
                taken(input.signal)
                await super().handle_signal(input)

            async def handle_update_handler(self, input: HandleUpdateInput) -> Any:
                taken(input.update)
                return await super().handle_update_handler(input)

        return Inbound


async def served_by(history: WorkflowHistory) -> Served:
    """The shell that serves a recorded run when it is replayed (as the worker runs it)."""
    served = Served()
    result = await replayer(interceptors=[served]).replay_workflow(
        history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
    return served
