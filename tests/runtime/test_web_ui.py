"""Issues 4, 12, 23: a supervisor works incidents end to end in the real Temporal Web UI.

`yuqing dev` (embedded server, UI, worker) runs on free ports; Debian's Chromium, installed by
scripts/install-browser and driven by Playwright through ``executable_path`` (no browser
download), does what a supervisor does: filters the list to a freshly reported incident,
opens it, reads its summary and current details, sends ``acknowledge`` through "Send a
Signal" with typed JSON and sees the unit signed, sends an accepted and a malformed update
and sees the receipt and the refusal. Then (issue #23) the page tells the truth at a glance:
the state first, the late duties with how late, the full text to decide on, the last receipt,
a withdrawn, a closed and a terminated incident reading as such, Chinese title search, every
README filter counted against `temporal workflow list`, and no terminate or reset in the UI.
The tests run in order and share one page.

Screenshots go to $YUQING_UI_SCREENSHOTS (default var/ui-screenshots); the README shows the
copies in docs/ui/, made with YUQING_UI_SCREENSHOTS=docs/ui.
"""

import asyncio
import json
import os
import re
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Page, async_playwright, expect

from tests.runtime.cli_helpers import ROOT, cli_env, run_yuqing
from tests.runtime.dev_process import DevProcess
from workers.dev_server import find_temporal_binary
from tests.runtime.web_ui import (
    CHROMIUM_ARGS, INCIDENT_COLUMNS, close_dialog, current_details_showing, filter_list, installed_browser,
    listed_count, metadata_text, open_message_dialog, open_tab, screenshot_path,
    show_incident_columns, submit_signal, submit_update, table_overflow, type_json, wait_for_row,
)

pytestmark = pytest.mark.timeout(600)

INCIDENT_ID = f"NT-UI-{uuid.uuid4().hex[:6]}"
WORKFLOW_ID = f"incident-{INCIDENT_ID}"
TITLE = "某小区电梯频繁故障无人维修"
LEAD, SECOND = ("nt-zjj", "南通市住房和城乡建设局"), ("nt-scjgj", "南通市市场监督管理局")
SCREENSHOTS = Path(os.environ.get("YUQING_UI_SCREENSHOTS") or ROOT / "var/ui-screenshots")
FULL_HD = {"width": 1920, "height": 1080}
# Tall enough for the whole current details (the UI scrolls inside its own pane).
TALL = {"width": 1600, "height": 1400}
BEIJING = timezone(timedelta(hours=8))


def shot(name: str) -> dict:
    return {"path": screenshot_path(SCREENSHOTS, name)}


@pytest.fixture(scope="module")
def chromium() -> str:
    return installed_browser()


@pytest.fixture(scope="module")
def ui(running_dev: DevProcess) -> str:
    return f"http://127.0.0.1:{running_dev.ui_port}"


@pytest.fixture(scope="module")
def reported(running_dev: DevProcess) -> None:
    """The incident, reported with `yuqing report` as the monitoring platform would."""
    start = json.loads((ROOT / "examples/nantong-routine.json").read_text(encoding="utf-8"))
    start["incident_id"] = INCIDENT_ID
    start["report"]["detected_at"] = datetime.now(timezone(timedelta(hours=8))).isoformat()
    start["analysis"]["units"].append({"unit_id": SECOND[0], "name": SECOND[1]})
    # The page's story supervises at once; from rules version 3 a 督办 needs a unit urged first.
    start["rules_version"] = 2
    path = running_dev.workdir / "ui-incident.json"
    path.write_text(json.dumps(start, ensure_ascii=False), encoding="utf-8")
    result = run_yuqing("report", str(path), env=running_dev.env())
    assert result.returncode == 0, result.stderr


@pytest_asyncio.fixture(scope="module")
async def page(chromium: str, reported) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True,
                                                   args=CHROMIUM_ARGS)
        # zh-CN picks the Simplified Chinese glyphs of the Noto CJK fonts.
        context = await browser.new_context(viewport=TALL,
                                            locale="zh-CN", timezone_id="Asia/Shanghai")
        opened = await context.new_page()
        opened.set_default_timeout(20000)
        try:
            yield opened
        finally:
            await browser.close()


async def test_supervisor_finds_the_new_incident_with_a_readme_filter(page: Page, ui: str):
    """待签收 for one unit: the README's filter, narrowed to this incident and unit."""
    await filter_list(page, ui, f'IncidentStage="assignment" AND ResponsibleUnits="{SECOND[0]}" '
                                f'AND WorkflowId="{WORKFLOW_ID}"')
    row = await wait_for_row(page, WORKFLOW_ID)
    assert re.match(r"^1\s+Workflow$", await page.locator("h1").first.inner_text())
    await show_incident_columns(page)
    headers = await page.locator("thead th").all_inner_texts()
    assert [h.strip() for h in headers if h.strip() in INCIDENT_COLUMNS] == INCIDENT_COLUMNS
    cells = await page.locator("tbody tr").first.locator("td").all_inner_texts()
    assert "assignment" in cells and TITLE in [c.strip() for c in cells]
    await page.set_viewport_size(FULL_HD)  # README's columns fit a 1920 px screen
    await page.wait_for_timeout(500)
    assert await table_overflow(page) == 0
    await page.screenshot(**shot("01-list-filtered"))
    await page.set_viewport_size(TALL)
    await row.click()
    await page.get_by_role("heading", name=WORKFLOW_ID).wait_for()


async def test_incident_page_shows_summary_and_current_details(page: Page):
    await open_tab(page, "User Metadata")
    assert await metadata_text(page, "summary") == f"{TITLE}｜R2 一般｜nantong-2017"
    assert "南通市住房和城乡建设局、南通市市场监督管理局" in await metadata_text(page, "details")
    details = await current_details_showing(page, "状态：进行中 · 交办（待签收）")
    assert details.startswith("状态：进行中")  # the true state first
    recent = details.split("最近记录（新→旧）", 1)[1].splitlines()
    order = [next(i for i, x in enumerate(recent) if what in x)  # all at the same moment:
             for what in (f"{SECOND[0]}-1 至", f"{LEAD[0]}-1 至", "研判：", "上报：")]
    assert order == sorted(order)  # the later recorded first
    for unit_name in (LEAD[1], SECOND[1]):
        assert any(unit_name in line and "待签收" in line and "剩余" in line
                   for line in details.splitlines())
    assert "W-RESP 予以回应" in details and "W-ACK 签收回传交办单" in details
    await page.screenshot(**shot("02-incident-current-details"), full_page=True)


async def test_acknowledge_sent_as_a_signal_shows_in_current_details(page: Page):
    dialog = await open_message_dialog(page, "Signal", "acknowledge")
    assert "签收回传交办单" in await dialog.inner_text()  # the description, Chinese first
    await type_json(dialog, {"unit_id": LEAD[0], "actor": "南通市住建局 张三"})
    await page.screenshot(**shot("03-send-signal-acknowledge"))
    await submit_signal(page, dialog)
    await current_details_showing(page, f"{LEAD[1]} 已签收")
    await page.screenshot(**shot("04-after-signal"), full_page=True)


async def test_accepted_update_acknowledges_the_second_unit(page: Page):
    dialog = await open_message_dialog(page, "Update", "acknowledge")
    await type_json(dialog, {"unit_id": SECOND[0], "actor": "南通市市场监管局 李四"})
    assert await submit_update(page, dialog) is None
    details = await current_details_showing(page, "上一条消息 acknowledge 李四 已受理 阶段 办理回应")
    assert "下一时限 W-RESP 予以回应" in details  # the receipt the UI itself does not show
    await current_details_showing(page, f"{SECOND[1]} 已签收")


async def test_malformed_update_is_refused_with_its_reason(page: Page):
    dialog = await open_message_dialog(page, "Update", "record_response")
    await type_json(dialog, {"unit_id": LEAD[0], "actor": "南通市住建局 张三",
                             "channel": "微博", "summary": "已回复网民"})
    refusal = await submit_update(page, dialog)
    assert refusal is not None and "channel：取值无效" in refusal and "facts_release" in refusal
    assert "Traceback" not in refusal and 'File "' not in refusal  # the reason, not a stack trace
    await page.screenshot(**shot("05-update-refused"))
    await close_dialog(dialog)


async def test_update_not_allowed_now_is_refused_with_its_reason(page: Page):
    dialog = await open_message_dialog(page, "Update", "acknowledge")
    await type_json(dialog, {"unit_id": LEAD[0], "actor": "南通市住建局 张三"})
    refusal = await submit_update(page, dialog)
    assert refusal is not None and "无需再次签收" in refusal
    await close_dialog(dialog)


async def test_malformed_signal_is_listed_among_refused_messages(page: Page):
    """A signal cannot answer back: its refusal shows at the bottom of the current details."""
    dialog = await open_message_dialog(page, "Signal", "submit_feedback")
    await type_json(dialog, {"unit_id": LEAD[0], "actor": "南通市住建局 张三", "summary": "已维修"})
    await submit_signal(page, dialog)
    details = await current_details_showing(page, "submit_feedback resolved")
    assert "最近被拒绝的消息" in details
    await page.screenshot(**shot("06-signal-refused-in-current-details"), full_page=True)


# ------------------------------------------- the whole lifecycle from the page (issue #12)

async def update_from_the_page(page: Page, name: str, payload: dict) -> None:
    dialog = await open_message_dialog(page, "Update", name)
    await type_json(dialog, payload)
    assert await submit_update(page, dialog) is None, f"{name} was refused"


async def test_response_and_extension_are_readable_on_the_page(page: Page):
    await update_from_the_page(page, "record_response", {
        "unit_id": LEAD[0], "actor": "南通市住建局 张三", "channel": "platform_reply",
        "summary": "已在原帖回复：三日内更换控制柜"})
    await current_details_showing(page, "原平台回复 三日内更换控制柜")
    until = (datetime.now(timezone(timedelta(hours=8))) + timedelta(days=10)).isoformat()
    await update_from_the_page(page, "request_extension", {
        "unit_id": SECOND[0], "actor": "南通市市场监管局 李四", "reason": "需第三方检测报告",
        "until": until})
    details = await current_details_showing(page, "待审批 需第三方检测报告")
    assert any(SECOND[1] in line and "北京时间" in line for line in details.splitlines()
               if "待审批" in line)
    await page.screenshot(**shot("07-waiting-for-approval"), full_page=True)
    await update_from_the_page(page, "decide_extension", {
        "unit_id": SECOND[0], "actor": "网信办 王五", "approved": True})
    await current_details_showing(page, "网信办 王五 同意延期")


# A 294-character report: shown whole where it awaits a decision (issue #23 found it cut at 120).
LONG_FEEDBACK = ("电梯控制柜已于本周更换，特种设备检验机构现场检验合格并出具报告；物业公司已建立每日巡检台账，"
                 "维保单位承诺故障两小时内到场。") * 4 + "已向业主公示维保电话与处理结果，业主代表签字确认。"


async def test_feedback_is_reviewed_rejected_then_accepted(page: Page):
    assert len(LONG_FEEDBACK) >= 200
    await update_from_the_page(page, "submit_feedback", {
        "unit_id": LEAD[0], "actor": "南通市住建局 张三", "summary": LONG_FEEDBACK,
        "resolved": True, "outcome": "difficulty_solved"})
    details = await current_details_showing(page, "待审核 张三 提交 北京时间")
    assert f"「{LONG_FEEDBACK}」" in details  # the full text, with who and when
    await page.screenshot(**shot("08-feedback-to-review"), full_page=True)
    await update_from_the_page(page, "review_feedback", {
        "unit_id": LEAD[0], "actor": "网信办 王五", "accepted": False, "comment": "请附检验报告"})
    await current_details_showing(page, "审核意见 网信办 王五 北京时间 请附检验报告")
    await update_from_the_page(page, "submit_feedback", {
        "unit_id": LEAD[0], "actor": "南通市住建局 张三", "summary": "已附检验报告",
        "resolved": True, "outcome": "difficulty_solved"})
    await update_from_the_page(page, "review_feedback", {
        "unit_id": LEAD[0], "actor": "网信办 王五", "accepted": True})
    await current_details_showing(page, f"{LEAD[1]} 已办结")


async def test_the_deadline_that_stands_after_competing_decisions_is_said_once(page: Page):
    """Extension approved, then 退回重办 with its own deadline: one line says which stands."""
    await update_from_the_page(page, "submit_feedback", {
        "unit_id": SECOND[0], "actor": "南通市市场监管局 李四", "summary": "已抽检",
        "resolved": True})
    until = (datetime.now(BEIJING) + timedelta(days=5)).replace(microsecond=0)
    await update_from_the_page(page, "review_feedback", {
        "unit_id": SECOND[0], "actor": "网信办 赵六", "accepted": False, "comment": "请全面排查",
        "until": until.isoformat()})
    details = await current_details_showing(page, "现行办理期限 网信办 赵六 为准 此前 1 项决定的期限不再适用")
    assert sum("现行办理期限" in line for line in details.splitlines()) == 1
    await page.screenshot(**shot("08b-deadline-that-stands"), full_page=True)


async def test_supervision_shows_who_decided(page: Page):
    await update_from_the_page(page, "supervise", {"actor": "市政府督查室 赵六",
                                                   "reason": "群众反映强烈，督办"})
    details = await current_details_showing(page, "状态：进行中 督办 督办中")
    assert "市政府督查室 赵六" in details
    await page.screenshot(**shot("09-supervised"), full_page=True)


async def test_the_ui_offers_no_terminate_reset_or_cancel_and_a_cancel_is_refused(
        page: Page, running_dev, dev_client):
    """`yuqing dev` hides them like production (workers/ui_gate.py); one sent anyway is refused."""
    await page.reload()
    await page.get_by_role("heading", name=WORKFLOW_ID).wait_for()
    for button in ("Terminate", "Reset"):
        assert await page.get_by_role("button", name=button).count() == 0, button
    cancel = page.get_by_role("button", name="Request Cancellation")  # shown disabled, as in production
    assert await cancel.count() == 0 or await cancel.first.is_disabled()
    await page.get_by_role("button", name="More Actions").click()
    # the menu opens with an animation: read its items once the first is there
    await page.get_by_role("menuitem", name="Send a Signal").wait_for()
    items = " ".join(await page.get_by_role("menuitem").all_inner_texts())
    await page.keyboard.press("Escape")  # a menu left open would take the details' "r"
    assert "Send a Signal" in items and "Send an Update" in items
    assert "Terminate" not in items and "Reset" not in items and "Cancel" not in items
    await dev_client.get_workflow_handle(WORKFLOW_ID).cancel()  # as `temporal workflow cancel`
    await page.reload()  # closes the menu (it keeps the keys the details' refresh needs)
    await page.get_by_role("heading", name=WORKFLOW_ID).wait_for()
    details = await current_details_showing(page, "被拒绝 cancel")
    assert "取消请求被拒绝" in details
    await page.screenshot(**shot("10-cancellation-refused"), full_page=True)
    status = run_yuqing("status", INCIDENT_ID, env=running_dev.env())
    assert json.loads(status.stdout)["stage"] not in ("closed", "withdrawn")


async def test_a_misspelled_message_is_recorded_with_its_actor_and_whole_reason(
        page: Page, dev_client):
    await dev_client.get_workflow_handle(WORKFLOW_ID).signal(
        "acknowlege", {"unit_id": LEAD[0], "actor": "南通市住建局 张三"})
    details = await current_details_showing(page, "✗ 被拒绝 acknowlege 南通市住建局 张三")
    line = next(x for x in details.splitlines() if "acknowlege" in x and "张三" in x)
    assert line.rstrip().endswith("(unknown message name)")  # the reason, whole


# --------------------------------------------- other incidents, each as a supervisor sees it

def report_file(running_dev, start: dict) -> subprocess.CompletedProcess:
    path = running_dev.workdir / f"{start['incident_id']}.json"
    path.write_text(json.dumps(start, ensure_ascii=False), encoding="utf-8")
    return run_yuqing("report", str(path), env=running_dev.env())


def incident_start(incident_id: str, title: str, hours_ago: float, units=(LEAD, SECOND),
                   analysed: bool = True) -> dict:
    start = json.loads((ROOT / "examples/nantong-routine.json").read_text(encoding="utf-8"))
    start.update(incident_id=incident_id, title=title)
    start["report"]["detected_at"] = (datetime.now(BEIJING) - timedelta(hours=hours_ago)).isoformat()
    if analysed:
        start["analysis"]["units"] = [{"unit_id": u, "name": n, "lead": i == 0}
                                      for i, (u, n) in enumerate(units)]
    else:
        start.pop("analysis")
    return start


def send(running_dev, incident_id: str, name: str, payload: dict) -> dict:
    result = run_yuqing("send", incident_id, name, json.dumps(payload, ensure_ascii=False),
                        env=running_dev.env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


async def open_incident(page: Page, ui: str, workflow_id: str) -> None:
    await page.goto(f"{ui}/namespaces/default/workflows/{workflow_id}")
    await page.get_by_role("heading", name=workflow_id).wait_for()
    await open_tab(page, "User Metadata")


def waiting_listed(details: str) -> bool:
    """Whether the current details have a 待办 section."""
    return any(line.strip() == "待办" for line in details.splitlines())


SUFFIX = uuid.uuid4().hex[:6]
LATE = f"NT-LATE-{SUFFIX}"  # reported 4 days after detection: W-RESP long missed
UNANALYSED = f"NT-ANA-{SUFFIX}"  # no 研判 5 hours after detection: the office's W-ANALYZE
CLOSED = f"NT-DONE-{SUFFIX}"
TERMINATED = f"NT-TERM-{SUFFIX}"


async def test_overdue_block_says_who_is_late_by_how_much(page: Page, ui: str, running_dev,
                                                            dev_client):
    assert report_file(running_dev, incident_start(LATE, "某路段积水严重无人处置", 96)).returncode == 0
    send(running_dev, LATE, "return_assignment", {"unit_id": SECOND[0], "actor": "市场监管局 李四",
                                                  "reason": "道路积水不属本单位职责"})
    await open_incident(page, ui, f"incident-{LATE}")
    # W-RESP fell due before anyone was assigned: the office's own (rules version 3, A-HOLD)
    details = await current_details_showing(
        page, "网信办/市政府办（交办方） W-RESP 予以回应 截止 北京时间 已超期 2天")
    block = details.split("超期（", 1)[1].split("上一条消息", 1)[0]
    assert SECOND[1] not in block  # a returned unit owes nothing any more
    assert f"待重新交办（网信办）：{SECOND[1]} 称非本单位职责「道路积水不属本单位职责」" in details
    assert "上一条消息：return_assignment（市场监管局 李四" in details
    await page.screenshot(**shot("11-overdue-block"), full_page=True)
    shown = (await dev_client.get_workflow_handle(f"incident-{LATE}").describe()).search_attributes
    assert shown["Overdue"] == [True]
    assert shown["NextDeadline"][0] <= datetime.now(timezone.utc)  # never a future time when late


async def test_the_offices_own_late_analysis_then_withdrawal(page: Page, ui: str, running_dev):
    start = incident_start(UNANALYSED, "网传某学校食堂食材过期", 5, analysed=False)
    assert report_file(running_dev, start).returncode == 0
    await open_incident(page, ui, f"incident-{UNANALYSED}")
    await current_details_showing(page, "网信办/市政府办（交办方） W-ANALYZE 研判 已超期 3小时")
    send(running_dev, UNANALYSED, "withdraw", {"actor": "网信办 王五", "reason": "经核实为旧闻"})
    details = await current_details_showing(page, "状态：已撤销 北京时间 网信办 王五")
    assert "经核实为旧闻" in details
    assert not waiting_listed(details) and "剩余" not in details and "按写入时计算）" not in details
    await page.screenshot(**shot("12-withdrawn"), full_page=True)


async def test_a_closed_incident_reads_as_closed(page: Page, ui: str, running_dev):
    assert report_file(running_dev, incident_start(CLOSED, "某小区电梯停运三天", 1, (LEAD,))
                       ).returncode == 0
    actor = {"actor": "南通市住建局 张三", "unit_id": LEAD[0]}
    send(running_dev, CLOSED, "acknowledge", actor)
    send(running_dev, CLOSED, "record_response", {**actor, "channel": "platform_reply",
                                                  "summary": "已回复：今日恢复运行"})
    send(running_dev, CLOSED, "submit_feedback", {**actor, "summary": "已恢复运行",
                                                  "resolved": True})
    receipt = send(running_dev, CLOSED, "review_feedback", {"unit_id": LEAD[0], "accepted": True,
                                                            "actor": "网信办 王五"})
    assert receipt["stage"] == "closed"
    await open_incident(page, ui, f"incident-{CLOSED}")
    details = await current_details_showing(page, "状态：办结 北京时间 网信办 王五")
    assert not waiting_listed(details) and "剩余" not in details
    await page.screenshot(**shot("13-closed"), full_page=True)


async def test_a_terminated_incident_reads_as_terminated(page: Page, ui: str, running_dev,
                                                         dev_client):
    start = incident_start(TERMINATED, "某商场扶梯夹伤儿童", 1, (LEAD,))
    assert report_file(running_dev, start).returncode == 0
    handle = dev_client.get_workflow_handle(f"incident-{TERMINATED}")
    for _ in range(300):  # opened: the task that read the settings (its marker) completed
        history = await handle.fetch_history()
        if any(e.HasField("marker_recorded_event_attributes") for e in history.events):
            break
        await asyncio.sleep(0.1)
    else:  # terminated unopened, it would fail below on its stage, with no hint why
        pytest.fail("the incident did not open within 30 s (no settings marker in its history)")
    await handle.terminate(reason="运维误操作（演示：界面不提供此操作）")
    again = report_file(running_dev, start)
    assert again.returncode == 2 and "已终止" in again.stderr, again.stderr
    status = run_yuqing("status", TERMINATED, env=running_dev.env())
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert shown["execution"].startswith("已终止") and shown["stage"] == "assignment"
    await open_incident(page, ui, f"incident-{TERMINATED}")
    await expect(page.get_by_text("Terminated").first).to_be_visible()
    details = await metadata_text(page, "current-details")
    assert "页首若显示 Terminated（已终止），本详情停在终止之前" in details
    await page.screenshot(**shot("14-terminated"), full_page=True)


def readme_filters() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Finding incidents in the UI", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| ([^|`]+?) \| `([^`]+)` \|$", section, flags=re.M))


def cli_count(running_dev, query: str) -> int:
    """What `temporal workflow list --query` lists (one JSON object a line)."""
    result = subprocess.run(
        [str(find_temporal_binary()), "workflow", "list", "--query", query, "--address",
         running_dev.address, "-o", "jsonl", "--limit", "1000"],
        capture_output=True, text=True, timeout=60, env=cli_env(), stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return len([line for line in result.stdout.splitlines() if line.strip()])


async def test_chinese_title_search_finds_what_the_readme_says(page: Page, ui: str):
    query = readme_filters()["按标题查找（“电梯”）"]
    await filter_list(page, ui, query)
    await wait_for_row(page, WORKFLOW_ID)  # 某小区电梯频繁故障无人维修
    await wait_for_row(page, f"incident-{CLOSED}")  # 某小区电梯停运三天
    assert await page.get_by_role("link", name=f"incident-{LATE}", exact=True).count() == 0
    await page.set_viewport_size(FULL_HD)
    await page.screenshot(**shot("15-title-search"))
    await page.set_viewport_size(TALL)


async def test_every_readme_filter_counts_what_temporal_workflow_list_lists(
        page: Page, ui: str, running_dev):
    """Each README filter in the UI, against `temporal workflow list`; the counts are kept in
    filter-counts.txt beside the screenshots."""
    rows, counts = [], {}
    for purpose, query in readme_filters().items():
        if "IncidentStage=" in query and "closed" not in query and "withdrawn" not in query:
            assert 'ExecutionStatus="Running"' in query, purpose  # every stage filter
        await filter_list(page, ui, query)
        listed = cli_count(running_dev, query)
        for _ in range(15):  # the heading shows the previous list's count until this one loads
            if (shown := await listed_count(page)) == listed:
                break
            await page.wait_for_timeout(1000)
        rows.append(f"{purpose}\tUI {shown}\ttemporal workflow list {listed}")
        counts[purpose] = listed
        assert shown == listed, (purpose, query, shown, listed)
    (SCREENSHOTS / "filter-counts.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print("\n".join(rows))
    assert counts["被强制终止（须追查）"] == 1 and counts["已撤销"] == 1
    assert counts["按标题查找（“电梯”）"] == 2 and counts["待签收"] == 1  # the late one; not the terminated one
    assert counts["所有超期（含未签收、未回应、未反馈、研判）"] >= 1 and counts["超期未回应"] >= 1
