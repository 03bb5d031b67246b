"""The product's Temporal Schedules: the hourly archive and the monthly 通报.

Schedules are deployment, not a worker's side job: `yuqing schedules apply` creates or
updates both (the compose's one-shot setup job and `yuqing dev` run it); a worker never
touches them, so a server or identity that refuses schedules never stops a worker.
"""

from dataclasses import dataclass

import structlog
from temporalio.client import (
    Client, Schedule, ScheduleActionStartWorkflow, ScheduleAlreadyRunningError,
    ScheduleCalendarSpec, ScheduleIntervalSpec, ScheduleOverlapPolicy, SchedulePolicy,
    ScheduleRange, ScheduleSpec, ScheduleUpdate, ScheduleUpdateInput,
)

from temporal.names import ARCHIVE_SCHEDULE_ID, BULLETIN_SCHEDULE_ID, TASK_QUEUE
from workflows.archive import ARCHIVE_EVERY, ArchiveWorkflow
from workflows.bulletin import BulletinWorkflow

log = structlog.get_logger(__name__)


def archive_schedule() -> Schedule:
    """Every ARCHIVE_EVERY: closed incidents' histories into the archive."""
    return Schedule(
        action=ScheduleActionStartWorkflow(ArchiveWorkflow.run, id="yuqing-archive-run",
                                           task_queue=TASK_QUEUE),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=ARCHIVE_EVERY)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


def bulletin_schedule() -> Schedule:
    """The 1st of each month, 09:00 Beijing time: the bulletin of the month before.

    A missed month is issued by backfilling this schedule (Temporal's schedule backfill)
    or with `yuqing bulletin --month`; the workflow reports on the month before the
    time it was scheduled for.
    """
    return Schedule(
        action=ScheduleActionStartWorkflow(BulletinWorkflow.run, id="yuqing-bulletin-run",
                                           task_queue=TASK_QUEUE),
        spec=ScheduleSpec(calendars=[ScheduleCalendarSpec(
            day_of_month=[ScheduleRange(1)], hour=[ScheduleRange(9)],
            minute=[ScheduleRange(0)])], time_zone_name="Asia/Shanghai"),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.BUFFER_ALL),
    )


SCHEDULES = {ARCHIVE_SCHEDULE_ID: archive_schedule, BULLETIN_SCHEDULE_ID: bulletin_schedule}


@dataclass(frozen=True)
class Applied:
    schedule_id: str
    outcome: str  # "created" | "updated"


async def apply_schedule(client: Client, schedule_id: str, desired: Schedule) -> Applied:
    """Create the schedule, or bring an existing one to ``desired`` (its paused state and
    note kept: an operator's pause survives a redeploy). RPCError when the server refuses."""
    try:
        await client.create_schedule(schedule_id, desired)
        log.info("schedule created", schedule_id=schedule_id)
        return Applied(schedule_id, "created")
    except ScheduleAlreadyRunningError:
        pass

    def updated(existing: ScheduleUpdateInput) -> ScheduleUpdate:
        desired.state = existing.description.schedule.state
        return ScheduleUpdate(schedule=desired)

    await client.get_schedule_handle(schedule_id).update(updated)
    log.info("schedule updated", schedule_id=schedule_id)
    return Applied(schedule_id, "updated")


async def apply_schedules(client: Client) -> list[Applied]:
    """Both schedules as this release defines them; running it again changes nothing."""
    return [await apply_schedule(client, schedule_id, make())
            for schedule_id, make in SCHEDULES.items()]
