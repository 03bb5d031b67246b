"""A delivery's activity is scheduled with the options beside the activities
(``activities.delivery.DELIVERY_OPTIONS``): the bounds of its rounds, as the history records
them."""

from datetime import timedelta

from temporalio.api.enums.v1 import EventType

from activities.delivery import DELIVERY_OPTIONS
from tests.workflows.scenario import report


async def test_a_delivery_is_scheduled_with_the_delivery_options(env, worker, incident_id):
    incident = await report(env, incident_id)
    await incident.delivered()
    scheduled = [e.activity_task_scheduled_event_attributes
                 for e in (await incident.handle.fetch_history()).events
                 if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]
    assert scheduled, "the opening sends the 交办单 and notices"
    retry, attempt = DELIVERY_OPTIONS["retry_policy"], DELIVERY_OPTIONS["start_to_close_timeout"]
    for one in scheduled:
        assert one.start_to_close_timeout.ToTimedelta() == attempt
        assert one.schedule_to_close_timeout.ToTimedelta() == timedelta(days=3)
        assert one.retry_policy.maximum_attempts == retry.maximum_attempts == 20
        assert one.retry_policy.maximum_interval.ToTimedelta() == timedelta(minutes=10)
