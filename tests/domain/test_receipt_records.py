"""Receipts as the incident records them (domain.receipts), without a server."""

from datetime import datetime, timezone

from domain.current_details import render_current_details
from domain.notifications import (
    Attempt, Delivery, Notification, NotifyChannel, Outcome, Recipient, RumourTransfer,
)
from domain.engine.step import Deliver, IncidentState
from domain.receipts import record_delivery, record_delivery_failed
from tests.domain.builders import incident

AT = datetime(2026, 12, 6, 5, 22, tzinfo=timezone.utc)  # 13:22 北京时间
UNIT = Recipient(recipient_id="nt-zjj", name="住建局")
URGE = Notification(key="X:1:urge", incident_id="X", kind="urge", recipients=[UNIT],
                    channels=[NotifyChannel.PHONE], subject="【催办】t", body="请尽快")


def answer(outcome: Outcome, channel="企业微信", detail="") -> Attempt:
    return Attempt(recipient_id="nt-zjj", recipient="住建局", channel="zjj", channel_label=channel,
                   outcome=outcome, at=AT, detail=detail)


def delivery(*attempts: Attempt, delivered: bool) -> Delivery:
    return Delivery(key="X:1:urge", channels=["zjj"], location="/outbox/x.json", delivered_at=AT,
                    attempts=list(attempts), delivered=delivered)


def test_each_answer_is_on_the_timeline_and_in_the_details():
    state = IncidentState(status=incident())
    effects = record_delivery(state, "【催办】t", URGE, delivery(
        answer(Outcome.TIMED_OUT, "短信", "10 秒无应答"), answer(Outcome.SENT), delivered=True),
        AT)
    assert effects == []
    assert [e.detail for e in state.status.timeline if e.action == "notice_receipt"] == [
        "催办 超时 住建局（短信 12-06 13:22，北京时间；10 秒无应答）",
        "催办 已送达 住建局（企业微信 12-06 13:22，北京时间）"]
    details = render_current_details(state.status, AT)
    assert "- 催办 已送达 住建局（企业微信 12-06 13:22，北京时间）" in details


def test_a_notice_nobody_received_alerts_the_office_and_waits_under_todo():
    state = IncidentState(status=incident())
    [alert] = record_delivery(state, "【催办】t", URGE, delivery(
        answer(Outcome.REFUSED, detail="HTTP 503"), delivered=False), AT)
    assert isinstance(alert, Deliver)
    assert alert.payload.kind == "delivery_alert"
    assert [r.recipient_id for r in alert.payload.recipients] == ["cac"]
    assert state.status.undelivered[0].recipients == ["住建局"]
    todo = render_current_details(state.status, AT).split("**待办**")[1]
    assert "⚠️ 未送达：催办「【催办】t」 → 住建局" in todo
    assert not any(e.action.startswith("window") for e in state.status.timeline)


def test_a_failed_alert_is_recorded_but_never_alerted_again():
    state = IncidentState(status=incident())
    alert = Notification(key="X:2:delivery_alert", incident_id="X", kind="delivery_alert",
                         recipients=[Recipient(recipient_id="cac", name="网信办")],
                         subject="【未送达】t", body="…")
    assert record_delivery_failed(state, "【未送达】t", alert, "timed out", AT) == []
    assert state.status.undelivered[0].notice == "未送达提醒"


def test_an_activity_that_gave_up_names_every_receiver():
    state = IncidentState(status=incident())
    transfer = RumourTransfer(key="X:rumour-transfer", incident_id="X", title="t", reason="谣言",
                              leads=[], actor="网信办")
    [alert] = record_delivery_failed(state, "移交公安、网络监管部门", transfer, "超时", AT)
    assert state.status.undelivered[0].recipients == ["公安机关", "网络监管部门"]
    assert "移交" in alert.payload.body


def test_an_undelivered_notice_stays_under_todo_once_the_incident_has_ended():
    from domain.status import Stage
    state = IncidentState(status=incident())
    record_delivery(state, "【撤销】t", URGE, delivery(answer(Outcome.TIMED_OUT), delivered=False), AT)
    state.status.stage, state.status.closed_at = Stage.WITHDRAWN, AT
    todo = render_current_details(state.status, AT).split("**待办**")[1].split("\n\n")[0]
    assert todo.strip().splitlines() == [
        "- ⚠️ 未送达：催办「【撤销】t」 → 住建局（住建局：企业微信超时；12-06 13:22 已提醒网信办，请电话或人工送达）"]
