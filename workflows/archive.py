"""ArchiveWorkflow: run by a Temporal Schedule, archives every incident closed since the last run."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.archive import ArchiveActivities, ArchiveRun
    from temporal.names import ARCHIVE_WORKFLOW_TYPE

ARCHIVE_EVERY = timedelta(hours=1)  # far inside any retention the namespace keeps


@workflow.defn(name=ARCHIVE_WORKFLOW_TYPE)
class ArchiveWorkflow:
    @workflow.run
    async def run(self) -> ArchiveRun:
        return await workflow.execute_activity_method(
            ArchiveActivities.archive_closed_incidents,
            start_to_close_timeout=timedelta(minutes=30),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=10),
            summary="归档已结束的舆情事件")
