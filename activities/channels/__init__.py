"""Channels (通知渠道): the adapters behind the one delivery activity.

Each adapter sends one message to one recipient and answers with an ``Outcome``
(sent, refused by the channel, timed out, unreachable); it never raises for what the
channel did, so the activity can try the next channel and record every answer.
"""

from activities.channels.message import Answer, Channel, Message

__all__ = ["Answer", "Channel", "Message", "build_channels"]


def build_channels(settings) -> dict[str, Channel]:
    """Every configured channel, secrets resolved (``SecretMissing`` if one is not set).
    The adapters' libraries are imported only here: a workflow or the CLI needs neither."""
    from activities.channels.http import http_channel
    from activities.channels.mail import MailChannel

    return {name: MailChannel(name, conf) if conf.type == "email" else http_channel(name, conf)
            for name, conf in settings.channels.items()}
