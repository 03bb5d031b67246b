"""The one definition of a test worker: the incident workflow and the shipped activities."""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.worker import Interceptor, Worker

from activities import build_activities
from activities.deployment import deployment_settings
from temporal.names import TASK_QUEUE
from workers.detached_start import DetachedStart, DetachedStartSandboxedRunner
from workflows import IncidentWorkflow


def incident_worker(client: Client, outbox_dir: Path, *, task_queue: str = TASK_QUEUE,
                    activities: Sequence[Callable] | None = None,
                    interceptors: Sequence[Interceptor] = (), workflow: type = IncidentWorkflow,
                    **options: Any) -> Worker:
    """A worker like production's; ``activities`` replaces the delivery activities (faults),
    ``interceptors`` are added to production's (a test's slow task), ``workflow`` stands in
    for the incident's (a worker of an earlier release: tests/support/release_before_six.py);
    ``options``: the SDK's ``Worker`` options a test needs (no cache, to stop and restart).

    Its workflows run in the SDK's sandbox, so workflow code is checked at run time on
    every tested path; no run keeps its first activation, as shipped.
    """
    return Worker(client, task_queue=task_queue, workflows=[workflow],
                  workflow_runner=DetachedStartSandboxedRunner(),
                  interceptors=[DetachedStart(), *interceptors],
                  activities=[*{*activities, deployment_settings}] if activities is not None
                  else build_activities(outbox_dir), **options)
