"""The product's Temporal Schedules: the hourly archive and the monthly 通报.

Both are created once (an existing one, from a reused database, is kept as it is) by
`yuqing dev` and by every `yuqing worker`, so the production compose has them too.
"""

import structlog
from temporalio.client import (
    Client, Schedule, ScheduleActionStartWorkflow, ScheduleAlreadyRunningError,
    ScheduleCalendarSpec, ScheduleIntervalSpec, ScheduleOverlapPolicy, SchedulePolicy,
    ScheduleRange, ScheduleSpec,
)

from domain.config import TASK_QUEUE
from workflows.archive import ARCHIVE_EVERY, ARCHIVE_SCHEDULE_ID, ArchiveWorkflow
from workflows.bulletin import BULLETIN_SCHEDULE_ID, BulletinWorkflow

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


async def ensure_bulletin_schedule(client: Client) -> None:
    """The 1st of each month, 09:00 Beijing time: the bulletin of the month before.

    A missed month is issued by backfilling this schedule (Temporal's schedule backfill)
    or with `yuqing bulletin --month`; the workflow reports on the month before the
    time it was scheduled for.
    """
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(BulletinWorkflow.run, id="yuqing-bulletin-run",
                                           task_queue=TASK_QUEUE),
        spec=ScheduleSpec(calendars=[ScheduleCalendarSpec(
            day_of_month=[ScheduleRange(1)], hour=[ScheduleRange(9)],
            minute=[ScheduleRange(0)])], time_zone_name="Asia/Shanghai"),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.BUFFER_ALL),
    )
    try:
        await client.create_schedule(BULLETIN_SCHEDULE_ID, schedule)
        log.info("bulletin schedule created", schedule_id=BULLETIN_SCHEDULE_ID)
    except ScheduleAlreadyRunningError:
        pass


async def ensure_schedules(client: Client) -> None:
    await ensure_archive_schedule(client)
    await ensure_bulletin_schedule(client)
