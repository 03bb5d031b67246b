"""ArchiveWorkflow: run by a Temporal Schedule, archives every incident closed since the last run."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.archive import ArchiveRun

ARCHIVE_SCHEDULE_ID = "yuqing-archive"
ARCHIVE_EVERY = timedelta(hours=1)  # far inside any retention the namespace keeps


@workflow.defn(name="ArchiveWorkflow")
class ArchiveWorkflow:
    @workflow.run
    async def run(self) -> ArchiveRun:
        return await workflow.execute_activity(
            "archive_closed_incidents", start_to_close_timeout=timedelta(minutes=30),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=10),
            result_type=ArchiveRun, summary="归档已结束的舆情事件")
