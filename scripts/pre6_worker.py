"""The release before workflow version 6, as its worker ran: for scripts/record_legacy_adoption.py.

Run by the Python of a checkout of that release (commit d5f64de~1; that script's docstring
says how to make one), never by this repository's: every import below is that release's.
It reports one incident through that release's starter (so the start names workflow
version 5), prints the workflow id, and serves the incident with that release's worker
until its run continues as new. There it stops: it stops polling before the task that
continues is answered, so the continued run is left for the current worker, as when a
deployment replaces the old workers. Nothing here changes a command of the workflow.

Usage: PRE6/.venv/bin/python scripts/pre6_worker.py TARGET_HOST START_JSON OUTBOX_DIR
"""

import asyncio
import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

from temporalio.client import Client
from temporalio.worker import (
    Interceptor, Worker, WorkflowInboundInterceptor, WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from activities import build_activities
from domain.messages import IncidentStart
from starter.api import report_incident
from temporal.data_converter import DATA_CONVERTER
from temporal.names import TASK_QUEUE
from workers.detached_start import DetachedStart, DetachedStartRunner
from workflows import IncidentWorkflow

STAND_DOWN_SECONDS = 1  # the worker's polls end before the continuing task is answered
LONGEST_RUN = 600  # seconds: a run that never continues is a failed recording


class StandDown(Interceptor):
    """Calls ``stop`` when a run continues as new, then lets the continue-as-new go on as is."""

    def __init__(self, stop: Callable[[], None]) -> None:
        self.stop = stop

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> Any:
        stop = self.stop

        class Outbound(WorkflowOutboundInterceptor):
            def continue_as_new(self, input: Any) -> NoReturn:
                stop()
                time.sleep(STAND_DOWN_SECONDS)  # (unsandboxed: the task's own thread)
                super().continue_as_new(input)

        class Inbound(WorkflowInboundInterceptor):
            def init(self, outbound: WorkflowOutboundInterceptor) -> None:
                super().init(Outbound(outbound))

        return Inbound


async def main(target: str, start: dict, outbox: Path) -> None:
    client = await Client.connect(target, data_converter=DATA_CONVERTER)
    loop, stopping = asyncio.get_running_loop(), asyncio.Event()
    with ThreadPoolExecutor(max_workers=4) as executor:
        worker = Worker(  # as that release's workers/run.py built it, plus the stand-down
            client, task_queue=TASK_QUEUE, workflows=[IncidentWorkflow],
            activities=build_activities(outbox), activity_executor=executor,
            workflow_failure_exception_types=[], workflow_runner=DetachedStartRunner(),
            graceful_shutdown_timeout=timedelta(seconds=5),
            interceptors=[DetachedStart(), StandDown(
                lambda: loop.call_soon_threadsafe(stopping.set))])
        async with worker:
            handle = await report_incident(client, IncidentStart.model_validate(start))
            print(json.dumps({"workflow_id": handle.id, "run_id": handle.result_run_id}),
                  flush=True)
            await asyncio.wait_for(stopping.wait(), LONGEST_RUN)
    print(json.dumps({"stood_down": True}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])))
