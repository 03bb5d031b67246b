"""Issue 4: a supervisor works an incident end to end in the real Temporal Web UI.

`yuqing dev` (embedded server, UI, worker) runs on free ports; Debian's Chromium, installed by
scripts/install-browser and driven by Playwright through ``executable_path`` (no browser
download), does what a supervisor does: filters the list to a freshly reported incident,
opens it, reads its summary and current details, sends ``acknowledge`` through "Send a
Signal" with typed JSON and sees the unit signed, sends an accepted and a malformed update
and sees the receipt and the refusal. The tests run in order and share one page.

Screenshots go to $YUQING_UI_SCREENSHOTS (default var/ui-screenshots); the README shows the
copies in docs/ui/, made with YUQING_UI_SCREENSHOTS=docs/ui.
"""

import json
import os
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Page, async_playwright

from tests.runtime.cli_helpers import ROOT, run_yuqing
from tests.runtime.dev_process import DevProcess
from tests.runtime.web_ui import (
    CHROMIUM_ARGS, INCIDENT_COLUMNS, close_dialog, current_details_showing, filter_list, install_browser,
    metadata_text, open_message_dialog, open_tab, screenshot_path, show_incident_columns,
    submit_signal, submit_update, type_json, wait_for_row,
)

pytestmark = pytest.mark.timeout(1200)  # the first run installs Chromium with apt-get

INCIDENT_ID = f"NT-UI-{uuid.uuid4().hex[:6]}"
WORKFLOW_ID = f"incident-{INCIDENT_ID}"
TITLE = "某小区电梯频繁故障无人维修"
LEAD, SECOND = ("nt-zjj", "南通市住房和城乡建设局"), ("nt-scjgj", "南通市市场监督管理局")
SCREENSHOTS = Path(os.environ.get("YUQING_UI_SCREENSHOTS") or ROOT / "var/ui-screenshots")


def shot(name: str) -> dict:
    return {"path": screenshot_path(SCREENSHOTS, name)}


@pytest.fixture(scope="module")
def chromium() -> str:
    return install_browser()


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
        # Tall enough for the whole current details (the UI scrolls inside its own pane);
        # zh-CN picks the Simplified Chinese glyphs of the Noto CJK fonts.
        context = await browser.new_context(viewport={"width": 1600, "height": 1400},
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
    assert "assignment" in cells and "nt-zjj,nt-scjgj" in [c.strip() for c in cells]
    await page.screenshot(**shot("01-list-filtered"))
    await row.click()
    await page.get_by_role("heading", name=WORKFLOW_ID).wait_for()


async def test_incident_page_shows_summary_and_current_details(page: Page):
    await open_tab(page, "User Metadata")
    assert await metadata_text(page, "summary") == f"{TITLE}｜R2 一般｜nantong-2017"
    assert "南通市住房和城乡建设局、南通市市场监督管理局" in await metadata_text(page, "details")
    details = await current_details_showing(page, "阶段 交办（待签收）")
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
    details = await current_details_showing(page, f"{SECOND[1]} 已签收")
    assert "阶段 办理回应" in details


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


async def test_feedback_is_reviewed_rejected_then_accepted(page: Page):
    await update_from_the_page(page, "submit_feedback", {
        "unit_id": LEAD[0], "actor": "南通市住建局 张三", "summary": "电梯已修复", "resolved": True,
        "outcome": "difficulty_solved"})
    details = await current_details_showing(page, "待审核 电梯已修复")
    assert "阶段" in details
    await page.screenshot(**shot("08-feedback-to-review"), full_page=True)
    await update_from_the_page(page, "review_feedback", {
        "unit_id": LEAD[0], "actor": "网信办 王五", "accepted": False, "comment": "请附检验报告"})
    await current_details_showing(page, "审核意见 请附检验报告")
    await update_from_the_page(page, "submit_feedback", {
        "unit_id": LEAD[0], "actor": "南通市住建局 张三", "summary": "已附检验报告",
        "resolved": True, "outcome": "difficulty_solved"})
    await update_from_the_page(page, "review_feedback", {
        "unit_id": LEAD[0], "actor": "网信办 王五", "accepted": True})
    await current_details_showing(page, f"{LEAD[1]} 已办结")


async def test_supervision_shows_who_decided(page: Page):
    await update_from_the_page(page, "supervise", {"actor": "市政府督查室 赵六",
                                                   "reason": "群众反映强烈，督办"})
    details = await current_details_showing(page, "督办 督办中")
    assert "市政府督查室 赵六" in details
    await page.screenshot(**shot("09-supervised"), full_page=True)


async def test_the_cancellation_button_does_not_end_the_incident(page: Page, running_dev):
    await page.get_by_role("button", name="Request Cancellation").click()
    modal = page.locator("[data-testid$=confirmation-modal]").filter(visible=True).first
    await modal.wait_for()
    reason = modal.get_by_role("textbox")
    if await reason.count():
        await reason.first.fill("误点取消")
    await modal.get_by_test_id("confirm-modal-button").click()
    details = await current_details_showing(page, "被拒绝 cancel")
    assert "取消请求被拒绝" in details
    await page.screenshot(**shot("10-cancellation-refused"), full_page=True)
    status = run_yuqing("status", INCIDENT_ID, env=running_dev.env())
    assert json.loads(status.stdout)["stage"] not in ("closed", "withdrawn")
