"""Each channel against a real server on this machine: what it sends, and how it classifies
what the channel answered (sent / refused / timed out / unreachable)."""

import base64
import hashlib
import hmac
import socket
from pathlib import Path

import pytest

from activities.channels import Message
from activities.channels.http import HttpChannel
from activities.channels.mail import MailChannel, message_id
from activities.channels.settings import (
    DingTalkSettings, MailSettings, SecretMissing, SmsSettings, WebhookSettings, WeComSettings,
)
from domain.notifications import NoticeKind, Outcome, Urgency
from tests.support.receivers import HttpReceiver, MailReceiver
from workers.dev_server import free_ports

MESSAGE = Message(key="k" * 40, incident_id="INC-1", kind=NoticeKind.ASSIGNMENT_FORM,
                  urgency=Urgency.EMERGENCY, recipient_id="nt-zjj", recipient="住建局",
                  subject="【交办单】小区停水", body="答复时间：12-06 18:00 前（北京时间）",
                  email=["zjj@example.gov.cn"], phone=["13800000000"])


@pytest.fixture(scope="module")
def receiver():
    server = HttpReceiver()
    yield server
    server.close()


async def test_generic_webhook_sends_the_notice_and_its_key(receiver):
    answer = await HttpChannel("hook", WebhookSettings(type="webhook", url=receiver.url("/hook"))
                               ).send(MESSAGE)
    assert answer.outcome == Outcome.SENT
    [got] = receiver.at("/hook")
    assert got.headers["Idempotency-Key"] == MESSAGE.key
    assert got.body["kind_label"] == "交办单" and got.body["urgency"] == "emergency"
    assert got.body["recipient"] == "住建局"


async def test_dingtalk_robot_message_is_signed(receiver, monkeypatch):
    monkeypatch.setenv("TEST_DING_SECRET", "SEC-abc")
    conf = DingTalkSettings(type="dingtalk", url=receiver.url("/ding?access_token=t1"),
                            secret="env:TEST_DING_SECRET")
    assert (await HttpChannel("ding", conf).send(MESSAGE)).outcome == Outcome.SENT
    [got] = receiver.at("/ding")
    timestamp, sign = got.query["timestamp"][0], got.query["sign"][0]
    expected = base64.b64encode(hmac.new(b"SEC-abc", f"{timestamp}\nSEC-abc".encode(),
                                         hashlib.sha256).digest()).decode()
    assert sign == expected and got.query["access_token"] == ["t1"]
    assert got.body["msgtype"] == "markdown" and got.body["markdown"]["title"] == "【紧急】【交办单】小区停水"
    assert got.body["at"]["atMobiles"] == ["13800000000"]


async def test_wecom_robot_text_mentions_the_phones(receiver):
    conf = WeComSettings(type="wecom", url=receiver.url("/wecom?key=abc"))
    assert (await HttpChannel("wx", conf).send(MESSAGE)).outcome == Outcome.SENT
    [got] = receiver.at("/wecom")
    assert got.body["msgtype"] == "text" and got.query["key"] == ["abc"]
    assert got.body["text"]["content"].startswith("【紧急】【交办单】小区停水\n致 住建局")
    assert got.body["text"]["mentioned_mobile_list"] == ["13800000000"]


async def test_sms_gateway_gets_a_bearer_token_from_the_environment(receiver, monkeypatch):
    monkeypatch.setenv("TEST_SMS_TOKEN", "tok-1")
    conf = SmsSettings(type="sms", url=receiver.url("/sms"), token="env:TEST_SMS_TOKEN")
    assert (await HttpChannel("sms", conf).send(MESSAGE)).outcome == Outcome.SENT
    [got] = receiver.at("/sms")
    assert got.headers["Authorization"] == "Bearer tok-1"
    assert got.body["to"] == ["13800000000"] and got.headers["Idempotency-Key"] == MESSAGE.key


def test_a_secret_that_is_not_set_stops_the_channel(monkeypatch):
    monkeypatch.delenv("TEST_UNSET", raising=False)
    with pytest.raises(SecretMissing, match="env:TEST_UNSET"):
        HttpChannel("x", WeComSettings(type="wecom", url="env:TEST_UNSET"))


@pytest.mark.parametrize(("behaviour", "outcome", "detail"), [
    ("error:503", Outcome.REFUSED, "HTTP 503"),
    ("error:401", Outcome.REFUSED, "HTTP 401"),
    ("robot-error", Outcome.REFUSED, "errcode 310000"),
    ("slow:2", Outcome.TIMED_OUT, "0.5 秒无应答"),
])
async def test_what_the_channel_answered_is_classified(receiver, behaviour, outcome, detail):
    path = f"/case-{behaviour.replace(':', '-')}"
    receiver.behaviour[path] = behaviour
    conf = WeComSettings(type="wecom", url=receiver.url(path), timeout_seconds=0.5)
    answer = await HttpChannel("wx", conf).send(MESSAGE)
    assert (answer.outcome, answer.detail.startswith(detail)) == (outcome, True)


async def test_a_channel_that_is_down_is_unreachable():
    conf = WebhookSettings(type="webhook", url=f"http://127.0.0.1:{free_ports(1)[0]}/down")
    assert (await HttpChannel("hook", conf).send(MESSAGE)).outcome == Outcome.UNREACHABLE


@pytest.fixture(scope="module")
def mail(tmp_path_factory):
    server = MailReceiver(tmp_path_factory.mktemp("smtp"))
    yield server
    server.close()


def mail_settings(mail: MailReceiver, password: str = "env:TEST_SMTP_PASSWORD") -> MailSettings:
    return MailSettings(type="email", host="127.0.0.1", port=mail.port, username="yuqing",
                        password=password, sender="yuqing@example.gov.cn",
                        ca_file=str(mail.cert), timeout_seconds=5)


async def test_mail_over_starttls_with_a_login_from_the_secrets_file(mail, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('smtp_password = "s3cret"\n', encoding="utf-8")
    monkeypatch.setenv("YUQING_NOTICE_SECRETS", str(secrets))
    channel = MailChannel("mail", mail_settings(mail, "secret:smtp_password"))
    assert (await channel.send(MESSAGE)).outcome == Outcome.SENT
    [(to, got)] = [(t, m) for t, m in mail.messages if m["Message-ID"] == message_id(MESSAGE.key)]
    assert to == ["zjj@example.gov.cn"]
    assert got["Subject"] == "【紧急】【交办单】小区停水"
    assert "答复时间" in got.get_content()


async def test_mail_with_a_wrong_password_is_refused(mail, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    answer = await MailChannel("mail", mail_settings(mail)).send(MESSAGE)
    assert answer.outcome == Outcome.REFUSED


async def test_mail_server_down_is_unreachable(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    conf = MailSettings(type="email", host="127.0.0.1", port=free_ports(1)[0],
                        sender="yuqing@example.gov.cn", timeout_seconds=2)
    assert (await MailChannel("mail", conf).send(MESSAGE)).outcome == Outcome.UNREACHABLE


async def test_a_mail_server_that_never_greets_times_out():
    silent = socket.socket()  # accepts connections (the backlog) and never says a word
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        conf = MailSettings(type="email", host="127.0.0.1", port=silent.getsockname()[1],
                            sender="yuqing@example.gov.cn", timeout_seconds=0.5)
        answer = await MailChannel("mail", conf).send(MESSAGE)
    finally:
        silent.close()
    assert answer.outcome == Outcome.TIMED_OUT
