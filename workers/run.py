"""The yuqing worker on task queue `yuqing`: the incident, archive and bulletin workflows and
their activities (deliveries, the archive, the bulletin)."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import structlog
from temporalio.client import Client
from temporalio.worker import Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxRestrictions

from activities import build_activities
from activities.archive import ArchiveActivities, HistoryArchive, default_archive_dir
from activities.bulletin import BulletinActivities
from activities.channels.settings import NoticeSettings
from activities.notices import NoticeSender
from activities.outbox import Outbox
from temporal.names import TASK_QUEUE
from workers.detached_start import DetachedStart, DetachedStartRunner, DetachedStartSandboxedRunner
from workers.shutdown import shutdown_requested
from workers.tuning import WorkerTuning
from workflows import IncidentWorkflow
from workflows.archive import ArchiveWorkflow
from workflows.bulletin import BulletinWorkflow

log = structlog.get_logger(__name__)

# time running activities get to finish (and write their outbox file) on shutdown
GRACEFUL_SHUTDOWN = timedelta(seconds=10)


# What workflow code imports that the SDK's sandbox does not pass through already
# (tests/workers/test_sandboxed_worker.py finds it as the layering guards do), shared across
# runs rather than imported again for each: the guards check it keeps no state between runs,
# and of `activities` workflow code names the activities and reads their options (data). Not `workflows`: a sandboxed
# worker imports it afresh for every run, so the sandbox checks the shell's every line.
PASSED_THROUGH = ("domain", "temporal", "legacy", "activities")


def workflow_runner(tuning: WorkerTuning) -> WorkflowRunner:
    """Unsandboxed unless ``[worker] sandbox = true`` (README, "Speed and scale"); either way
    no run keeps its first activation (``workers.detached_start``, with its interceptor)."""
    if not tuning.sandbox:
        return DetachedStartRunner()
    return DetachedStartSandboxedRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSED_THROUGH))


def build_worker(client: Client, outbox_dir: Path, executor: ThreadPoolExecutor,
                 archive_dir: Path | None = None, tuning: WorkerTuning | None = None,
                 notices: NoticeSettings | None = None) -> Worker:
    """``notices``: the deployment's channels and contacts (none: every notice to the outbox)."""
    tuning = tuning or WorkerTuning()
    folder = archive_dir or default_archive_dir()
    archive = ArchiveActivities(client, HistoryArchive(folder))
    bulletin = BulletinActivities(client, folder / "bulletins",
                                  NoticeSender(Outbox(outbox_dir), notices))
    return Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[IncidentWorkflow, ArchiveWorkflow, BulletinWorkflow],
        activities=[*build_activities(outbox_dir, notices), archive.archive_closed_incidents,
                    bulletin.list_incident_page, bulletin.compute_page, bulletin.issue_bulletin],
        # adapters that write files may be plain functions; they need threads
        activity_executor=executor,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
        # A bug in workflow code fails the workflow *task*, never the workflow: the
        # incident pauses with nothing lost, the UI shows the failing task and its stack
        # trace, the worker logs it as an error, and the task is retried once a fixed
        # worker is deployed. Bad input never gets that far: it is refused at the boundary.
        workflow_failure_exception_types=[],
        max_cached_workflows=tuning.max_cached_workflows,
        max_concurrent_workflow_tasks=tuning.max_concurrent_workflow_tasks,
        max_concurrent_activities=tuning.max_concurrent_activities,
        workflow_runner=workflow_runner(tuning),
        interceptors=[DetachedStart()],
    )


async def run_worker(
    client: Client, outbox_dir: Path, *, stop: asyncio.Event | None = None,
    tuning: WorkerTuning | None = None, notices: NoticeSettings | None = None,
) -> None:
    """Run until ``stop`` is set, or until SIGINT/SIGTERM when no event is given."""
    tuning = tuning or WorkerTuning()
    outbox_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if stop is None:
            stop = stack.enter_context(shutdown_requested())
        executor = stack.enter_context(ThreadPoolExecutor(max_workers=8))
        worker = build_worker(client, outbox_dir, executor, tuning=tuning, notices=notices)
        async with worker:
            log.info("worker started", task_queue=TASK_QUEUE, namespace=client.namespace,
                     outbox=str(outbox_dir), **tuning.model_dump())
            await stop.wait()
            log.info("worker stopping; finishing running tasks")
    log.info("worker stopped")
