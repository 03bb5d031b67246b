"""Compliance reports from histories alone: windows with rule, source, deadline and outcome."""

from pathlib import Path

from temporalio.client import WorkflowHistory

from domain.audit_report import incident_html, incident_markdown, summarise, summary_markdown
from workers.replay import status_from_history

HISTORIES = Path(__file__).parent.parent / "histories"


async def rebuilt(name: str):
    text = (HISTORIES / f"{name}.json").read_text("utf-8")
    return await status_from_history(WorkflowHistory.from_json(name, text))


async def test_incident_report_lists_every_window_with_its_source_and_outcome():
    status = await rebuilt("escalation-ladder-liuzhou")
    text = incident_markdown(status)
    assert "| W-FACTS | 发布已掌握的事实信息 | — | 柳政办〔2017〕120号 一(一)1（法定） |" in text
    assert "（record_response:facts_release） | 超期 |" in text  # met late, still a miss
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
