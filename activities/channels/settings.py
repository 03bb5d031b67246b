"""Who gets what (通知渠道与联系人): the deployment's ``[notices]`` table, read by the worker.

Channels are named once (``[notices.channels.<name>]``: a robot, a mail server, an SMS
gateway, a webhook); each unit or office (``[notices.contacts.<recipient_id>]``, the ids the
procedure names: a unit's id, ``cac``, ``gov-office``, ``inspection-office`` …) lists the
channels that reach it, in the order to try them. Nothing here comes from a client's payload.

A secret is never written in the file: ``"env:NAME"`` reads an environment variable and
``"secret:NAME"`` a key of the secrets file named by ``YUQING_NOTICE_SECRETS`` (a TOML
table of name = value, e.g. a compose secret). A missing secret stops the worker's start.
"""

import os
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SECRETS_FILE_ENV = "YUQING_NOTICE_SECRETS"
MAX_TIMEOUT_SECONDS = 30.0


class SecretMissing(ValueError):
    """A secret the configuration names is not set (the worker refuses to start)."""


def resolve(value: str | None, where: str) -> str | None:
    """``env:NAME`` / ``secret:NAME`` to its value; anything else is taken as written."""
    if value is None or ":" not in value or value.split(":", 1)[0] not in ("env", "secret"):
        return value
    source, name = value.split(":", 1)
    if source == "env":
        found = os.environ.get(name)
    else:
        found = _secrets_file().get(name)
    if not found:
        raise SecretMissing(f"{where}：密钥 {value} 未设置 (secret {value} is not set)")
    return str(found)


def _secrets_file() -> dict:
    path = os.environ.get(SECRETS_FILE_ENV)
    if not path:
        raise SecretMissing(f"{SECRETS_FILE_ENV} 未设置，无法读取 secret:… (no secrets file)")
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SecretMissing(f"{path}: 无法读取密钥文件 (cannot read secrets): {error}") from None


class _Channel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    timeout_seconds: float = Field(10.0, gt=0, le=MAX_TIMEOUT_SECONDS,
                                   description="一次调用的时限（连接、发送、应答）")


class WebhookSettings(_Channel):
    """Generic JSON webhook; sends ``Idempotency-Key``."""

    type: Literal["webhook"]
    url: str = Field(description="可写 env:NAME / secret:NAME")


class DingTalkSettings(_Channel):
    """政务钉钉 / 钉钉 group robot; ``secret`` turns on its timestamp signing (加签)."""

    type: Literal["dingtalk"]
    url: str
    secret: str | None = None


class WeComSettings(_Channel):
    """企业微信 group robot (its URL carries the robot's key: keep it a secret)."""

    type: Literal["wecom"]
    url: str


class SmsSettings(_Channel):
    """An SMS gateway over HTTP: JSON ``{to, content, …}``, bearer token, ``Idempotency-Key``."""

    type: Literal["sms"]
    url: str
    token: str | None = None


class MailSettings(_Channel):
    """E-mail over SMTP; STARTTLS unless turned off (only for a local relay)."""

    type: Literal["email"]
    host: str
    port: int = Field(587, ge=1, le=65535)
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    sender: str = Field(description="发件人地址")
    ca_file: str | None = Field(None, description="信任的 CA 证书（内网邮件服务器）")


ChannelSettings = Annotated[
    WebhookSettings | DingTalkSettings | WeComSettings | SmsSettings | MailSettings,
    Field(discriminator="type")]


class Contact(BaseModel):
    """One unit's or office's way to be reached."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    channels: list[str] = Field(min_length=1, description="渠道名，按优先顺序")
    email: list[str] = Field(default_factory=list, description="可写 env:NAME / secret:NAME")
    phone: list[str] = Field(default_factory=list, description="可写 env:NAME / secret:NAME")


class NoticeSettings(BaseModel):
    """``[notices]``: channels, contacts, and how many tries before the office is alerted."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channels: dict[str, ChannelSettings] = Field(default_factory=dict)
    contacts: dict[str, Contact] = Field(default_factory=dict)
    attempts: int = Field(4, ge=1, le=20, description="每条通知最多尝试几轮（之后提醒网信办）")

    @model_validator(mode="after")
    def _contacts_name_known_channels(self) -> "NoticeSettings":
        for who, contact in self.contacts.items():
            for name in contact.channels:
                channel = self.channels.get(name)
                if channel is None:
                    raise ValueError(f"contacts.{who}: 渠道 {name!r} 未在 [notices.channels] 中定义")
                if channel.type == "email" and not contact.email:
                    raise ValueError(f"contacts.{who}: 渠道 {name!r} 是邮件，须填写 email")
                if channel.type == "sms" and not contact.phone:
                    raise ValueError(f"contacts.{who}: 渠道 {name!r} 是短信，须填写 phone")
        return self
