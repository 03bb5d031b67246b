"""The incident page at a glance (issue #12): who did what, what waits for whom, with times."""

from domain.current_details import render_current_details
from domain.procedure.publication import refresh
from tests.domain.procedure.drive import at, expire, reported, send, unit


def page(state, hours: float) -> str:
    """As the workflow shows it: stage, deadlines and overdue derived first."""
    refresh(state.status)
    return render_current_details(state.status, at(hours))


def test_what_waits_for_whom_with_the_text_to_decide_on():
    state, _ = reported(units=("u1", "u2"))
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply",
         summary="已在原帖回复，三日内修复")
    send(state, "submit_feedback", 5, unit_id="u1", summary="电梯已修复并通过检验", resolved=True)
    send(state, "acknowledge", 1.5, unit_id="u2")
    send(state, "request_extension", 6, unit_id="u2", reason="需第三方检测",
         until=at(120).isoformat())
    text = page(state, 7)
    assert "- 待审核（网信办）：单位u1 的情况反馈〔办理情况〕「电梯已修复并通过检验」" in text
    assert "- 待审批：单位u2 申请延期至 2026-11-26 09:00 北京时间，理由「需第三方检测」" in text
    assert "原平台回复（单位u1）：已在原帖回复，三日内修复" in text
    assert "写于 2026-11-21 16:00 北京时间" in text


def test_who_did_what_accepted_and_refused_newest_first():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    try:
        send(state, "acknowledge", 2, unit_id="u1")
    except Exception as refusal:  # refused: recorded as the workflow does
        from domain.procedure.step import record_refusal
        record_refusal(state, "acknowledge", refusal.reason, "张三", at(2))
    recent = page(state, 3).split("**最近记录（新→旧）**")[1]
    lines = [line for line in recent.splitlines() if line.startswith("- ")]
    assert lines[0].startswith("- 11-21 11:00 ✗ 被拒绝 `acknowledge`（张三）")
    assert "网信办 测试员：签收回传交办单" in recent


def test_units_and_windows_by_name_with_date_and_zone():
    state, _ = reported(units=("u1",))
    expire(state, "W-ACK", "u1")
    text = page(state, 3)
    assert "- **单位u1**（牵头） · 待签收 · 办理期限 2026-11-24 09:00 北京时间（写入时剩余" in text
    assert "W-ACK 签收回传交办单 · 单位u1 · 截止 2026-11-21 11:00 北京时间 · 超期" in text
    assert "⚠️ **超期** 单位u1" in text
    send(state, "analyze", 4, units=[unit("u2")])
    assert "**责任单位** 单位u1（牵头）、单位u2" in page(state, 4)
