"""Compliance reports from recorded histories alone (domain/audit_report.py over statuses the
product's replayer rebuilds): windows with rule, source, deadline and outcome."""

from pathlib import Path

from temporalio.client import WorkflowHistory

from domain.audit_report import (
    incident_html, incident_markdown, local_time, summarise, summary_markdown,
)
from workers.audit.replay import status_from_history

HISTORIES = Path(__file__).parents[2] / "histories"


async def rebuilt(name: str):
    text = (HISTORIES / f"{name}.json").read_text("utf-8")
    return await status_from_history(WorkflowHistory.from_json(name, text))


async def test_incident_report_lists_every_window_with_its_source_and_outcome():
    status = await rebuilt("escalation-ladder-liuzhou")
    text = incident_markdown(status)
    # Recorded under rules version 1: no owner was kept, so the responsible units owed it.
    assert "| W-FACTS | 发布已掌握的事实信息 | — | u1 | 柳政办〔2017〕120号 一(一)1（法定） |" in text
    # Made good late, still a miss, and never called 满足
    assert "| 逾期补办 " in text and "（record_response:facts_release） | 超期 |" in text
    assert "本地默认（签收回传见004 二(二)）（非法定）" in text
    assert "| E-SUPERVISE |" in text and "| E-ACCOUNT |" in text
    assert str(status.first_detected_at.year) in text


async def test_refused_messages_appear_in_the_report():
    status = await rebuilt("rumour-unanalysed-nantong")
    assert status.rejected_inputs
    html = incident_html(status)
    assert "被拒绝的消息" in html and status.rejected_inputs[0].reason in html
    assert "<script" not in html


async def test_batch_summary_counts_on_time_rates_per_unit_and_window():
    statuses = [await rebuilt(n) for n in ("routine-nantong", "escalation-ladder-liuzhou")]
    summary = summarise(statuses)
    ack = next(r for r in summary.per_window if r.key == "W-ACK")
    assert (ack.met, ack.missed) == (1, 1) and ack.on_time_rate == 0.5
    assert summary.incidents == 2 and summary.closed == 1 and summary.withdrawn == 1
    assert summary.accountability == 1
    assert "| W-ACK | 1 | 1 | 50% |" in summary_markdown(summary)


async def test_the_handling_row_shows_the_original_and_the_extended_deadline():
    """暂不具备办理条件 accepted: the W-HANDLE row starts at the original deadline and ends at
    the unit's expected date; the explanation (not 办结) is not credited on it."""
    status = await rebuilt("explained-late-analysis-nantong")
    handle = next(w for w in status.windows if w.id.value == "W-HANDLE")
    text = incident_markdown(status)
    row = next(line for line in text.splitlines() if line.startswith("| W-HANDLE |"))
    assert f"原 {local_time(handle.original_deadline)} → {local_time(handle.deadline)}" in row
    assert "逾期补办" in row and "submit_feedback" in row and "| 超期" in row


async def test_the_office_owes_the_backfill_and_units_owe_the_fast_windows():
    """Per-unit rates count every window a unit owed (W-PRESS for the lead unit); the missed
    W-BACKFILL counts for the assigning office, never against the unit."""
    status = await rebuilt("emergency-office-duties-nantong")
    summary = summarise([status])
    rows = {r.key: (r.met, r.missed) for r in summary.per_unit}
    assert rows["交办方（网信办、市政府办）"] == (0, 1)  # W-BACKFILL
    assert rows["u1"] == (3, 2)  # met W-AUTH, W-CONT, W-ACK; missed W-PRESS, W-HANDLE
    text = incident_markdown(status)
    assert "| W-BACKFILL | 补充填报交办单 | u1 | 交办方（网信办、市政府办） |" in text


async def test_the_report_shows_each_declared_actor_beside_the_identity_the_server_saw():
    """Issue #13: the self-declared actor alone proves nothing; the history keeps the client's
    identity for every start and signal, and the report shows both."""
    from workers.audit.request_records import requests_of
    history = WorkflowHistory.from_json(
        "h", (HISTORIES / "multi-unit-return-nantong.json").read_text("utf-8"))
    requests = requests_of(history)
    assert requests[0].kind == "start" and requests[0].actor == "网信办监测平台"
    signals = [r for r in requests if r.kind == "signal"]
    assert signals and all(r.identity != "—" and r.actor == "录制脚本" for r in signals[1:])
    text = incident_markdown(await rebuilt("multi-unit-return-nantong"), requests)
    assert "## 请求来源 Requests" in text and signals[-1].identity in text
