"""Activities for every side effect of an incident: notices, forms, transfers.

Each goes out through the channels the deployment configured for its recipients
(``activities.notices``), recorded in the outbox and the sent ledger first, so Temporal
may retry it freely; the workflow never awaits them on the path of a statutory timer.
"""

from collections.abc import Callable
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import RetryPolicy

from activities.notices import NoticeSender, current_attempt
from domain.notifications import AssignmentForm, Delivery, Notification, RumourTransfer


class DeliveryActivities:
    def __init__(self, sender: NoticeSender) -> None:
        self.sender = sender

    @activity.defn
    async def send_notification(self, notification: Notification) -> Delivery:
        """通知: phone / SMS / system message to units and offices."""
        return await self.sender.deliver("notifications", notification,
                                         notification.model_dump(mode="json"), current_attempt())

    @activity.defn
    async def issue_assignment_form(self, form: AssignmentForm) -> Delivery:
        """交办单: the written assignment form, delivered to the unit."""
        return await self.sender.deliver("assignment_forms", form, form.model_dump(mode="json"),
                                         current_attempt())

    @activity.defn
    async def transfer_rumour_case(self, transfer: RumourTransfer) -> Delivery:
        """移交: the rumour case and its leads, to public security and the network regulator."""
        return await self.sender.deliver("rumour_transfers", transfer,
                                         transfer.model_dump(mode="json"), current_attempt())


# Which activity carries each kind of delivery (both shells start them by this table).
DELIVERY_ACTIVITIES: dict[type, Callable] = {
    Notification: DeliveryActivities.send_notification,
    AssignmentForm: DeliveryActivities.issue_assignment_form,
    RumourTransfer: DeliveryActivities.transfer_rumour_case,
}
# Each tries the channels round by round (``activities.notices``) and answers with the
# receipts (``domain.receipts``). The run loop starts it with these options, which bound the
# rounds from outside (the frozen shell, ``legacy``, keeps its own copies).
DELIVERY_OPTIONS = workflow.ActivityConfig(
    start_to_close_timeout=timedelta(seconds=40),  # a round: channels tried in turn, each ≤ 30 s
    # keeps retrying a down service for days, then records failure
    schedule_to_close_timeout=timedelta(days=3),
    retry_policy=RetryPolicy(initial_interval=timedelta(seconds=10), backoff_coefficient=2.0,
                             maximum_interval=timedelta(minutes=10), maximum_attempts=20))
