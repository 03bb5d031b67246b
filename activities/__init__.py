"""Side effects of incidents, as Temporal activities."""

from collections.abc import Callable
from pathlib import Path

from activities.channels.settings import NoticeSettings
from activities.delivery import DeliveryActivities
from activities.deployment import deployment_settings
from activities.notices import NoticeSender
from activities.outbox import Outbox, default_outbox_dir


def build_activities(outbox_dir: Path | None = None,
                     notices: NoticeSettings | None = None) -> list[Callable]:
    """``notices``: the deployment's channels and contacts (none: everything to the outbox)."""
    sender = NoticeSender(Outbox(outbox_dir or default_outbox_dir()), notices)
    delivery = DeliveryActivities(sender)
    return [delivery.send_notification, delivery.issue_assignment_form,
            delivery.transfer_rumour_case, deployment_settings]


__all__ = ["build_activities", "DeliveryActivities", "Outbox", "default_outbox_dir"]
