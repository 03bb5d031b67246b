"""The Temporal Web UI (2.54) as a supervisor uses it, driven by Playwright in Debian's Chromium.

Selectors were found by trying the UI here. Its quirks, each handled once below:
- every dialog exists twice in the page (one hidden): always take the visible one;
- the JSON editor (CodeMirror) reformats its text when it loses focus, which moves the
  Submit button: blur with Tab and wait for the reformat before clicking Submit; clicking
  the dialog's title instead counts as a click outside and closes the dialog;
- summary, details and current details are Markdown rendered in iframes, and the current
  details are read once per page load: press "r" (the UI's refresh key) to read them again;
- a running workflow's page long-polls its history, so "network idle" never comes: wait for
  elements instead.
"""

import json
import re
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect


CHROMIUM = "/usr/bin/chromium"
# Headless on a machine with no internet: no background connections Chromium would retry.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def installed_browser() -> str:
    """Debian's chromium with the CJK fonts, as scripts/install-browser installs them (the one
    place that installs; ./scripts/test runs it first): checked here, never installed."""
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    missing = [what for what, there in ((CHROMIUM, Path(CHROMIUM).exists()),
                                        ("fonts-noto-cjk", "noto" in fonts.stdout.lower()))
               if not there]
    if missing:
        pytest.fail(f"not installed: {', '.join(missing)}; run scripts/install-browser "
                    "(apt-get, once per machine; ./scripts/test runs it)", pytrace=False)
    return CHROMIUM


def list_url(ui: str, query: str | None = None) -> str:
    url = f"{ui}/namespaces/default/workflows"
    return url + (f"?query={urllib.parse.quote_plus(query)}" if query else "")


async def filter_list(page: Page, ui: str, query: str) -> None:
    """Type a list filter into the raw query box, as a supervisor pastes one from the README."""
    await page.goto(list_url(ui))
    await page.get_by_test_id("toggle-manual-query").click()  # the "</>" button
    box = page.get_by_test_id("workflow-manual-search-input")
    await box.fill(query)
    await box.press("Enter")
    await page.wait_for_url(re.compile(r"[?&]query="))


async def wait_for_row(page: Page, workflow_id: str, attempts: int = 10) -> Locator:
    """The row's link; visibility is eventually consistent, so reload until it shows."""
    link = page.get_by_role("link", name=workflow_id, exact=True)
    for attempt in range(attempts):
        try:
            await link.wait_for(timeout=3000)
            return link
        except Exception:
            if attempt == attempts - 1:
                raise
            await page.reload()
    raise AssertionError("unreachable")


# README's recommended columns: with Status and Workflow ID they fit a 1920 px screen.
INCIDENT_COLUMNS = ["IncidentTitle", "IncidentStage", "OverdueUnits", "NextDeadline",
                    "EscalationLevel"]


async def show_incident_columns(page: Page) -> None:
    """Configure Columns (kept by the browser): the incident's attributes instead of run ids."""
    await page.get_by_test_id("workflows-summary-table-configuration-button").click()
    for column in ("Run ID", "Type", "Start", "End"):
        await page.get_by_role("button", name=f"Remove {column} column").click()
    for column in INCIDENT_COLUMNS:
        await page.get_by_role("button", name=f"Add {column} column").click()
    await page.get_by_test_id("drawer-close-button").click()
    await page.get_by_text("Configure Workflows Table").wait_for(state="hidden")
    for column in INCIDENT_COLUMNS:  # the table redraws after the drawer: read it once it has
        await expect(page.locator("thead")).to_contain_text(column)


async def open_tab(page: Page, name: str) -> None:
    await page.get_by_role("tab", name=name).click()
    slug = name.lower().replace(" ", "-")
    await page.wait_for_url(re.compile(rf"/{slug}(\?|$)"))


async def metadata_text(page: Page, frame_id: str) -> str:
    """Rendered text of one User Metadata iframe: summary, details or current-details."""
    frame = page.frame_locator(f"iframe#user-metadata-{frame_id}")
    await frame.locator("body").filter(has_text=re.compile(r"\S")).wait_for()
    return (await frame.locator("body").inner_text()).strip()


async def current_details_showing(page: Page, wanted: str, seconds: float = 30) -> str:
    """Re-read the current details (key "r"; every fifth time a reload) until a line contains
    every word of ``wanted``."""
    words = wanted.split()
    deadline, attempt = time.monotonic() + seconds, 0
    while True:
        text = await metadata_text(page, "current-details")
        if any(all(word in line for word in words) for line in text.splitlines()):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"current details never showed {wanted!r}:\n{text}")
        if attempt % 5 == 4:  # whatever holds the keys (a menu a failed step left open)
            await page.reload()
        else:
            await page.locator("body").press("r")
        attempt += 1
        await page.wait_for_timeout(700)


async def open_message_dialog(page: Page, kind: str, name: str) -> Locator:
    """More Actions → Send a Signal / Send an Update, with message ``name`` picked."""
    test_id = {"Signal": "signal", "Update": "update"}[kind]
    item = {"Signal": "Send a Signal", "Update": "Send an Update"}[kind]
    await page.get_by_role("button", name="More Actions").click()
    await page.get_by_role("menuitem", name=item).click()
    dialog = page.get_by_test_id(f"{test_id}-confirmation-modal").filter(visible=True)
    await dialog.wait_for()
    await dialog.get_by_test_id(f"{test_id}-select-button").click()
    # an option reads "<name> <description>": match the name at its start
    await dialog.get_by_role("option", name=re.compile(rf"^\s*{re.escape(name)}(\s|$)")).click()
    return dialog


async def type_json(dialog: Locator, payload: object) -> None:
    editor = dialog.get_by_role("textbox", name="Data")
    await editor.fill(json.dumps(payload, ensure_ascii=False))
    await editor.press("Tab")
    await expect(editor).to_contain_text("\n")  # reformatted: the Submit button has moved


async def submit_signal(page: Page, dialog: Locator) -> None:
    await dialog.get_by_test_id("confirm-modal-button").click()  # "Submit"
    await expect(page.locator("#workflow-signal-success-toast")).to_contain_text(
        "Workflow signaled.")
    await dialog.wait_for(state="hidden")


async def submit_update(page: Page, dialog: Locator) -> str | None:
    """None when accepted; else the refusal the dialog shows (the dialog stays open)."""
    await dialog.get_by_test_id("confirm-modal-button").click()  # "Submit"
    refused = dialog.locator("div[role=alert].alert.error")
    # An earlier update's toast may still be up, so the dialog itself tells: it closes when
    # the update is accepted and stays open with the refusal when it is rejected.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if await refused.count() and await refused.first.is_visible():
            return (await refused.first.inner_text()).strip()
        if not await dialog.count():
            await expect(page.get_by_text("Update successful").first).to_be_visible()
            return None
        await page.wait_for_timeout(200)
    raise AssertionError("the update dialog neither closed nor showed a refusal")


async def close_dialog(dialog: Locator) -> None:
    await dialog.get_by_test_id("cancel-modal-button").click()
    await dialog.wait_for(state="hidden")


def screenshot_path(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


async def table_overflow(page: Page) -> int:
    """How many pixels the list's table is wider than its box (0: no sideways scrolling)."""
    return await page.evaluate("""() => {
        const table = document.querySelector('table');
        let box = table.parentElement;
        while (box && box.scrollWidth <= box.clientWidth && box !== document.body) box = box.parentElement;
        const outer = box || table.parentElement;
        return Math.max(0, table.scrollWidth - outer.clientWidth,
                        document.documentElement.scrollWidth - window.innerWidth);
    }""")


async def listed_count(page: Page) -> int:
    """The count the list's heading shows ("3 Workflows")."""
    heading = page.locator("h1").first
    await expect(heading).to_have_text(re.compile(r"^\s*[\d,]+\s+Workflows?"), timeout=20000)
    return int(re.match(r"\s*([\d,]+)", await heading.inner_text()).group(1).replace(",", ""))
