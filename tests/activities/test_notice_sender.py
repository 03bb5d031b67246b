"""Who gets what, and exactly once: routing by urgency, the outbox as default and record,
the sent ledger that keeps a retry or a restarted worker from sending twice."""

from datetime import datetime, timezone

import pytest
from temporalio.exceptions import ApplicationError

from activities.channels import Answer
from activities.channels.settings import NoticeSettings
from activities.notices import NoticeSender
from activities.outbox import Outbox
from activities.sent_ledger import idempotency_key
from domain.notifications import (
    AssignmentForm, Notification, NotifyChannel, Outcome, Recipient,
)
from tests.support.receivers import HttpReceiver
from workers.dev_server import free_ports

UNIT = Recipient(recipient_id="nt-zjj", name="住建局")


def form(emergency: bool) -> AssignmentForm:
    now = datetime(2026, 12, 6, 5, 0, tzinfo=timezone.utc)
    return AssignmentForm(
        form_id=f"INC-9-nt-zjj-{int(emergency)}", incident_id="INC-9", title="小区停水", unit=UNIT,
        lead=True, category="R2", category_label="民生", severity="一般", reply_form="网上答复",
        handling_deadline=now, ack_deadline=now, reports=["微博 http://x 停水三天"],
        emergency=emergency, issued_by="网信办")


def settings(receiver: HttpReceiver, **paths: str) -> NoticeSettings:
    down = f"http://127.0.0.1:{free_ports(1)[0]}/down"
    return NoticeSettings.model_validate({
        "attempts": 2,
        "channels": {
            "wecom": {"type": "wecom", "url": paths.get("wecom", receiver.url("/wecom"))},
            "hook": {"type": "webhook", "url": paths.get("hook", receiver.url("/hook"))},
            "down": {"type": "sms", "url": down, "timeout_seconds": 1},
        },
        "contacts": {"nt-zjj": {"name": "住建局", "channels": paths.get("order", "wecom,hook").split(","),
                                "phone": ["13800000000"]}}})


@pytest.fixture
def receiver():
    server = HttpReceiver()
    yield server
    server.close()


async def test_a_routine_notice_goes_to_the_first_channel_that_takes_it(receiver, tmp_path):
    sender = NoticeSender(Outbox(tmp_path), settings(receiver, order="down,wecom,hook"))
    result = await sender.deliver("assignment_forms", form(False), {})
    assert [(a.channel, a.outcome) for a in result.attempts] == [
        ("down", Outcome.UNREACHABLE), ("wecom", Outcome.SENT)]
    assert result.delivered and result.notice.label == "交办单" and receiver.at("/hook") == []
    assert list((tmp_path / "assignment_forms").glob("*.json"))  # the outbox keeps the record


async def test_an_emergency_notice_goes_to_every_channel_the_unit_has(receiver, tmp_path):
    sender = NoticeSender(Outbox(tmp_path), settings(receiver))
    result = await sender.deliver("assignment_forms", form(True), {})
    assert sorted(a.channel for a in result.attempts if a.outcome == Outcome.SENT) == ["hook", "wecom"]
    assert result.urgency.label == "紧急"


async def test_without_channels_the_outbox_is_the_record(tmp_path):
    notice = Notification(key="INC-9:1:urge", incident_id="INC-9", kind="urge", recipients=[UNIT],
                          channels=[NotifyChannel.PHONE], subject="【催办】小区停水", body="请尽快回应")
    result = await NoticeSender(Outbox(tmp_path)).deliver("notifications", notice, {})
    [attempt] = result.attempts
    assert (attempt.channel, attempt.outcome, result.delivered) == ("outbox", Outcome.RECORDED, True)
    assert result.notice.label == "催办" and result.urgency.value == "emergency"


async def test_a_retry_sends_only_what_no_channel_took(receiver, tmp_path):
    receiver.behaviour["/hook"] = "error:503"
    sender = NoticeSender(Outbox(tmp_path), settings(receiver))
    with pytest.raises(ApplicationError, match="未送达 住建局") as raised:
        await sender.deliver("assignment_forms", form(True), {}, attempt=1)
    assert raised.value.type == "NoticeNotDelivered"
    receiver.behaviour["/hook"] = "ok"
    restarted = NoticeSender(Outbox(tmp_path), settings(receiver))  # a new worker, same outbox
    result = await restarted.deliver("assignment_forms", form(True), {}, attempt=2)
    assert (len(receiver.at("/wecom")), len(receiver.at("/hook"))) == (1, 2)
    assert [a.outcome for a in result.attempts if a.channel == "hook"] == [
        Outcome.REFUSED, Outcome.SENT]
    again = await restarted.deliver("assignment_forms", form(True), {}, attempt=3)
    assert (len(receiver.at("/wecom")), len(receiver.at("/hook"))) == (1, 2)  # nothing resent
    assert again.delivered


async def test_after_its_tries_an_undelivered_notice_is_returned_not_raised(receiver, tmp_path):
    receiver.behaviour["/wecom"] = "robot-error"
    sender = NoticeSender(Outbox(tmp_path), settings(receiver, order="wecom"))
    result = await sender.deliver("assignment_forms", form(False), {}, attempt=2)
    assert result.delivered is False and result.attempts[-1].outcome == Outcome.REFUSED


class Killed(Exception):
    """Stands for kill -9 in the middle of a call: nothing after it runs."""


class Interrupted:
    """A channel whose call never came back (the worker was killed during it)."""

    label, takes_key = "企业微信", False

    async def send(self, message) -> Answer:
        raise Killed


async def test_a_call_cut_short_is_resent_only_where_the_receiver_takes_the_key(receiver, tmp_path):
    conf = settings(receiver)
    cut = NoticeSender(Outbox(tmp_path), conf, channels={"wecom": Interrupted(), "hook": Interrupted()})
    with pytest.raises(Killed):
        await cut.deliver("assignment_forms", form(False), {})  # wecom first: cut mid-call
    with pytest.raises(Killed):  # and, for the same notice, the webhook cut mid-call
        await NoticeSender(Outbox(tmp_path), settings(receiver, order="hook"),
                           channels={"hook": Interrupted()}).deliver("assignment_forms", form(False), {})
    result = await NoticeSender(Outbox(tmp_path), conf).deliver(
        "assignment_forms", form(False), {}, attempt=2)
    # the robot may have posted it: not sent again, marked for a person to check
    assert [a.outcome for a in result.attempts if a.channel == "wecom"] == [Outcome.UNCONFIRMED]
    assert receiver.at("/wecom") == []
    # the webhook's receiver drops a repeat of the key: sent again, with the same key
    assert [a.outcome for a in result.attempts if a.channel == "hook"] == [Outcome.SENT]
    [again] = receiver.at("/hook")
    assert again.headers["Idempotency-Key"] == idempotency_key(form(False).form_id, "nt-zjj", "hook")
