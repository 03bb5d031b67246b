"""The incident page at a glance (issues #12, #23): the true state first, who is late by how
much, what waits for whom with the full text to decide on, who did what, with times."""

from domain.current_details import render_current_details
from domain.engine.standing import refresh
from domain.engine.step import record_refusal
from domain.status import MessageReceipt, Stage
from tests.domain.procedure.drive import at, expire, reported, send, unit


def page(state, hours: float, last_update=None) -> str:
    """As the workflow shows it: stage, deadlines and overdue derived first."""
    refresh(state.status)
    return render_current_details(state.status, at(hours), last_update)


def section(text: str, title: str) -> list[str]:
    """The list lines under one bold section title."""
    after = text.split(f"**{title}", 1)[1].split("\n\n", 1)[0]
    return [line for line in after.splitlines() if line.startswith(("- ", "  - "))]


LONG = "电梯控制柜已更换，并经特种设备检验机构检验合格。" * 12  # 300 characters


def test_what_waits_for_whom_with_the_full_text_to_decide_on():
    state, _ = reported(units=("u1", "u2"))
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply",
         summary="已在原帖回复，三日内修复")
    send(state, "submit_feedback", 5, unit_id="u1", summary=LONG, resolved=True)
    send(state, "acknowledge", 1.5, unit_id="u2")
    send(state, "request_extension", 6, unit_id="u2", reason="需第三方检测",
         until=at(120).isoformat())
    text = page(state, 7)
    assert text.startswith("## 状态：进行中 · 办理回应 · 督办 无")
    waiting = section(text, "待办")
    assert waiting[0] == ("- 待审核（网信办）：单位u1 的情况反馈〔办理情况〕"
                          f"（网信办 测试员 2026-11-21 14:00 北京时间 提交）：「{LONG}」")
    assert waiting[1] == ("- 待审批：单位u2 申请延期至 2026-11-26 09:00 北京时间（网信办 测试员 "
                          "2026-11-21 15:00 北京时间 申请），理由：「需第三方检测」")
    assert "原平台回复（单位u1）：已在原帖回复，三日内修复" in text
    assert "写于 2026-11-21 16:00 北京时间" in text


def test_review_comment_and_the_deadline_that_stands_with_who_and_when():
    state, _ = reported(units=("u1",))
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "request_extension", 2, unit_id="u1", reason="需检测", until=at(120).isoformat())
    send(state, "decide_extension", 3, unit_id="u1", approved=True, actor="网信办 王五")
    send(state, "submit_feedback", 4, unit_id="u1", summary="已修复", resolved=True)
    send(state, "review_feedback", 5, unit_id="u1", accepted=False, comment="请附检验报告",
         until=at(100).isoformat(), actor="网信办 赵六")
    units = section(page(state, 6), "各单位")
    assert units[1] == "  - 审核意见（网信办 赵六 2026-11-21 14:00 北京时间）：「请附检验报告」"
    assert units[2] == ("  - 现行办理期限 2026-11-25 13:00 北京时间：以 2026-11-21 14:00 北京时间 "
                        "网信办 赵六「退回重办（请附检验报告）」为准；此前 1 项决定的期限不再适用")


def test_finished_incidents_read_as_such_with_no_waiting_and_no_countdown():
    state, _ = reported(units=("u1",))
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "withdraw", 2, reason="重复报送，已并入 NT-0", actor="网信办 王五")
    text = page(state, 3)
    assert text.startswith("## 状态：已撤销 · 2026-11-21 11:00 北京时间 · 网信办 王五\n\n"
                           "事件已撤销：重复报送，已并入 NT-0；无待办")
    assert "**待办**" not in text and "剩余" not in text and "⚠️" not in text

    state, _ = reported(units=("u1",))
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")
    send(state, "submit_feedback", 3, unit_id="u1", summary="已修复", resolved=True)
    send(state, "review_feedback", 4, unit_id="u1", accepted=True, actor="网信办 王五")
    text = page(state, 5)
    assert state.status.stage == Stage.CLOSED
    assert text.startswith("## 状态：办结 · 2026-11-21 13:00 北京时间 · 网信办 王五")
    assert "**待办**" not in text and "剩余" not in text and "待研判" not in text


def test_overdue_block_names_every_late_duty_with_how_late_returned_units_excluded():
    state, _ = reported(units=("u1", "u2"))
    send(state, "return_assignment", 0.5, unit_id="u2", reason="电梯维保属市场监管局职责",
         actor="住建局 王五")
    expire(state, "W-ACK", "u1")
    text = page(state, 50 + 1 / 6)
    assert text.startswith("## 状态：进行中 · 交办（待签收） · 督办 无 · ⚠️ 超期\n\n"
                           "**⚠️ 超期（2 项，按写入时计算）**\n"
                           "- 单位u1 · W-ACK 签收回传交办单 · 截止 2026-11-21 11:00 北京时间 · "
                           "已超期 2天0小时\n"
                           "- 单位u1 · W-RESP 予以回应 · 截止 2026-11-23 09:00 北京时间 · "
                           "已超期 2小时10分")
    assert "单位u2 ·" not in text.split("**分类")[0]
    assert section(text, "待办")[0] == (
        "- 待重新交办（网信办）：单位u2 称非本单位职责「电梯维保属市场监管局职责」，住建局 王五 "
        "2026-11-21 09:30 北京时间 退回；请发 `analyze` 指定承办单位")
    send(state, "analyze", 51, units=[unit("u3", name="市场监管局")])
    assert "待重新交办" not in page(state, 51)


def test_the_offices_own_late_analysis_is_in_the_block():
    state, _ = reported(analysed=False)
    expire(state, "W-ANALYZE")
    assert "- 网信办/市政府办（交办方） · W-ANALYZE 研判 · 截止 2026-11-21 11:00 北京时间 · " \
           "已超期 3小时00分" in page(state, 5)


def test_the_last_update_receipt_is_written_in():
    state, _ = reported(units=("u1",))
    recorded = len(state.status.timeline)
    send(state, "acknowledge", 1, unit_id="u1", actor="住建局 张三")
    refresh(state.status)
    receipt = MessageReceipt(message="acknowledge", accepted_at=at(1), stage=state.status.stage,
                             escalation=state.status.escalation,
                             next_deadline=state.status.next_deadline,
                             effects=state.status.timeline[recorded:])
    text = page(state, 1, (receipt, "住建局 张三"))
    assert ("**上一条消息**：`acknowledge`（住建局 张三，2026-11-21 10:00 北京时间）已受理："
            "签收回传交办单 → 阶段 办理回应、下一时限 W-RESP 予以回应 2026-11-23 09:00 北京时间"
            ) in text


def test_who_did_what_newest_first_refusals_signed_and_whole():
    state, _ = reported()
    send(state, "return_assignment", 1, unit_id="u1", reason="非本单位职责")  # two entries at 1 h
    unknown = "未知消息 'acknowlege'：" + "很长的理由" * 40
    record_refusal(state, "acknowlege", unknown, "住建局 张三", at(2))
    lines = section(page(state, 3), "最近记录（新→旧）")
    assert lines[0] == f"- 11-21 11:00 ✗ 被拒绝 `acknowlege`（住建局 张三）：{unknown}"
    assert lines[1] == "- 11-21 10:00 系统：全部单位已退回，待网信办重新研判交办"
    assert lines[2] == "- 11-21 10:00 网信办 测试员：退回：非本单位职责"


def test_units_and_windows_by_name_with_date_and_zone():
    state, _ = reported(units=("u1",))
    expire(state, "W-ACK", "u1")
    text = page(state, 3)
    assert "- **单位u1**（牵头） · 待签收 · 办理期限 2026-11-24 09:00 北京时间（写入时剩余" in text
    assert "W-ACK 签收回传交办单 · 单位u1 · 截止 2026-11-21 11:00 北京时间 · 超期" in text
    send(state, "analyze", 4, units=[unit("u2")])
    assert "**责任单位** 单位u1（牵头）、单位u2" in page(state, 4)
