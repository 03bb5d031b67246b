"""Side effects of incidents, as Temporal activities."""

from collections.abc import Callable
from pathlib import Path

from activities.delivery import DeliveryActivities
from activities.deployment import deployment_settings
from activities.outbox import Outbox, default_outbox_dir


def build_activities(outbox_dir: Path | None = None) -> list[Callable]:
    delivery = DeliveryActivities(Outbox(outbox_dir or default_outbox_dir()))
    return [delivery.send_notification, delivery.issue_assignment_form,
            delivery.transfer_rumour_case, deployment_settings]


__all__ = ["build_activities", "DeliveryActivities", "Outbox", "default_outbox_dir"]
