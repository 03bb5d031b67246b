"""Activities for every side effect of an incident: notices, forms, transfers.

Each is idempotent (keyed deliveries in the outbox) so Temporal may retry it
freely; the workflow never awaits them on the path of a statutory timer.
"""

from temporalio import activity

from activities.outbox import Outbox
from domain.notifications import AssignmentForm, Delivery, Notification, RumourTransfer


class DeliveryActivities:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    @activity.defn
    async def send_notification(self, notification: Notification) -> Delivery:
        """通知: phone / SMS / system message to units and offices."""
        return self.outbox.deliver(
            "notifications", notification.key, [c.value for c in notification.channels],
            notification.model_dump(mode="json"),
        )

    @activity.defn
    async def issue_assignment_form(self, form: AssignmentForm) -> Delivery:
        """交办单: the written assignment form, delivered to the unit."""
        return self.outbox.deliver("assignment_forms", form.form_id, ["message"],
                                   form.model_dump(mode="json"))

    @activity.defn
    async def transfer_rumour_case(self, transfer: RumourTransfer) -> Delivery:
        """移交: the rumour case and its leads, to public security and the network regulator."""
        return self.outbox.deliver("rumour_transfers", transfer.key, ["message"],
                                   transfer.model_dump(mode="json"))
