"""The raw-Temporal anchor: a workflow of the routine incident's shape, written the plain way.

Four no-op activities, three signals and one timer race (the acknowledgement against its
deadline), on a default ``Worker``: what Temporal costs before any of yuqing's rules.
"""

from datetime import timedelta

from temporalio import activity, workflow

RAW_TASK_QUEUE = "raw-shape"
# the same workflow on a worker without the sandbox: the SDK's own floor, on its own queue
UNSANDBOXED_TASK_QUEUE = "raw-shape-unsandboxed"
RAW_WORKFLOW = "RawShapeWorkflow"
ACTIVITY_TIMEOUT = timedelta(seconds=30)


@activity.defn(name="raw_noop")
async def noop(step: str) -> str:
    return step


@workflow.defn(name=RAW_WORKFLOW)
class RawShapeWorkflow:
    def __init__(self) -> None:
        self.acknowledged = self.responded = self.fed_back = False

    @workflow.signal
    def acknowledge(self) -> None:
        self.acknowledged = True

    @workflow.signal
    def respond(self) -> None:
        self.responded = True

    @workflow.signal
    def feed_back(self) -> None:
        self.fed_back = True

    @workflow.run
    async def run(self, incident_id: str) -> str:
        await workflow.execute_activity(noop, "assignment form", start_to_close_timeout=ACTIVITY_TIMEOUT)
        try:  # the timer race: the acknowledgement against its 24-hour deadline
            await workflow.wait_condition(lambda: self.acknowledged, timeout=timedelta(hours=24))
        except TimeoutError:
            await workflow.execute_activity(noop, "urge", start_to_close_timeout=ACTIVITY_TIMEOUT)
        await workflow.wait_condition(lambda: self.responded)
        await workflow.execute_activity(noop, "response noted", start_to_close_timeout=ACTIVITY_TIMEOUT)
        await workflow.wait_condition(lambda: self.fed_back)
        await workflow.execute_activity(noop, "feedback noted", start_to_close_timeout=ACTIVITY_TIMEOUT)
        await workflow.execute_activity(noop, "closed", start_to_close_timeout=ACTIVITY_TIMEOUT)
        return incident_id
