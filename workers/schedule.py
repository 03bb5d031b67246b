"""The archive schedule: a Temporal Schedule that starts ArchiveWorkflow every hour."""

import structlog
from temporalio.client import (
    Client, Schedule, ScheduleActionStartWorkflow, ScheduleAlreadyRunningError,
    ScheduleIntervalSpec, ScheduleOverlapPolicy, SchedulePolicy, ScheduleSpec,
)

from domain.config import TASK_QUEUE
from workflows.archive import ARCHIVE_EVERY, ARCHIVE_SCHEDULE_ID, ArchiveWorkflow

log = structlog.get_logger(__name__)


async def ensure_archive_schedule(client: Client) -> None:
    """Create the schedule once; an existing one (reused database) is kept as it is."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(ArchiveWorkflow.run, id="yuqing-archive-run",
                                           task_queue=TASK_QUEUE),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=ARCHIVE_EVERY)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        await client.create_schedule(ARCHIVE_SCHEDULE_ID, schedule)
        log.info("archive schedule created", schedule_id=ARCHIVE_SCHEDULE_ID,
                 every=str(ARCHIVE_EVERY))
    except ScheduleAlreadyRunningError:
        pass
