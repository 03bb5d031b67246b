"""Issue #22: in the real Temporal Web UI, the login decides who acts, not the typed actor.

A local test identity provider (an RSA key pair, its JWKS served by the test) issues a
住建局 user's access token; the UI's codec endpoint is the yuqing codec server with OIDC
on, and the browser forwards the token to it as the production UI does with
``TEMPORAL_CODEC_PASS_ACCESS_TOKEN``. The deployment's roster (the worker's yuqing.toml,
``require_verified = true``) maps login identities to units. The user acknowledges for
住建局 (accepted, whatever name is typed as ``actor``) and not for 市场监管局 (refused,
even typing that unit's staff's name); without a token the UI cannot encode at all.
"""

import asyncio
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timezone

import pytest
import pytest_asyncio
from playwright.async_api import Page, async_playwright

from domain.messages import IncidentStart
from starter.api import incident_status, report_incident
from tests.runtime.web_ui import (
    CHROMIUM_ARGS, close_dialog, installed_browser, open_message_dialog, submit_update, type_json,
)
from tests.support.identity_provider import LocalIdentityProvider
from tests.workflows.scenario import start_payload
from settings.keys import require_keyring
from temporal.codec import EncryptionCodec
from workers.codec_server import serve_in_background
from workers.dev_server import DevServer, DevServerSettings, free_ports
from workers.run import run_worker

pytestmark = pytest.mark.timeout(1200)  # the first run installs Chromium with apt-get

ZJJ_USER, SCJGJ_USER = "wangwu@zjj.nantong.gov.cn", "lisi@scjgj.nantong.gov.cn"
ZJJ, SCJGJ = "nt-zjj", "nt-scjgj"
INCIDENT_ID = f"NT-LOGIN-{uuid.uuid4().hex[:6]}"
ROSTER = f'''[roster]
require_verified = true
[roster.units]
"{ZJJ}" = ["{ZJJ_USER}"]
"{SCJGJ}" = ["{SCJGJ_USER}"]
'''


@dataclasses.dataclass
class LoginStack:
    ui: str
    codec: str
    idp: LocalIdentityProvider
    server: DevServer


@pytest_asyncio.fixture(scope="module")
async def stack(tmp_path_factory) -> AsyncIterator[LoginStack]:
    folder = tmp_path_factory.mktemp("login")
    (folder / "yuqing.toml").write_text(ROSTER, encoding="utf-8")
    saved = os.environ.get("YUQING_CONFIG")
    os.environ["YUQING_CONFIG"] = str(folder / "yuqing.toml")  # the worker's deployment
    idp = LocalIdentityProvider()
    port, ui_port = free_ports(2)
    ui = f"http://127.0.0.1:{ui_port}"
    codec = serve_in_background(EncryptionCodec(require_keyring()), 0, [ui], login=idp.login())
    settings = DevServerSettings(port=port, ui_port=ui_port, db_filename=folder / "temporal.db",
                                 codec_endpoint=f"http://127.0.0.1:{codec.server_port}")
    stop = asyncio.Event()
    try:
        async with DevServer(settings) as server:
            worker = asyncio.create_task(run_worker(server.client, folder / "outbox", stop=stop))
            yield LoginStack(ui, settings.codec_endpoint, idp, server)
            stop.set()
            await worker
    finally:
        codec.shutdown()
        idp.close()
        if saved is None:
            os.environ.pop("YUQING_CONFIG", None)
        else:
            os.environ["YUQING_CONFIG"] = saved


@pytest_asyncio.fixture(scope="module")
async def reported(stack: LoginStack) -> str:
    start = start_payload(INCIDENT_ID, datetime.now(timezone.utc), units=(ZJJ, SCJGJ))
    handle = await report_incident(stack.server.client, IncidentStart.model_validate(start))
    return handle.id


@pytest_asyncio.fixture(scope="module")
async def page(stack: LoginStack, reported: str) -> AsyncIterator[Page]:
    """The incident's page, for a browser logged in as 住建局's 王五."""
    chromium = installed_browser()
    token = stack.idp.token(ZJJ_USER)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True,
                                                   args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1600, "height": 1200},
                                            locale="zh-CN", timezone_id="Asia/Shanghai")

        async def with_token(route) -> None:  # what TEMPORAL_CODEC_PASS_ACCESS_TOKEN does
            headers = {**route.request.headers, "authorization": f"Bearer {token}"}
            await route.continue_(headers=headers)

        await context.route(f"{stack.codec}/**", with_token)
        opened = await context.new_page()
        opened.set_default_timeout(20000)
        await opened.goto(f"{stack.ui}/namespaces/default/workflows/{reported}")
        await opened.get_by_role("heading", name=reported).wait_for()
        try:
            yield opened
        finally:
            await browser.close()


async def acknowledge(page: Page, unit_id: str, actor: str) -> str | None:
    dialog = await open_message_dialog(page, "Update", "acknowledge")
    await type_json(dialog, {"unit_id": unit_id, "actor": actor})
    refusal = await submit_update(page, dialog)
    if refusal is not None:
        await close_dialog(dialog)
    return refusal


async def test_the_login_cannot_act_for_another_unit_whatever_name_it_types(page: Page):
    refusal = await acknowledge(page, SCJGJ, "南通市市场监督管理局 李四")
    assert refusal is not None and f"不在单位 {SCJGJ} 的名册中" in refusal
    assert ZJJ_USER in refusal  # the identity the login proved, not the typed name


async def test_the_login_acknowledges_for_its_own_unit_and_both_names_are_recorded(
        page: Page, stack: LoginStack):
    assert await acknowledge(page, ZJJ, "随便填写的名字 Mallory") is None
    status = await incident_status(stack.server.client, INCIDENT_ID)
    assert status.assignment(ZJJ).state.value == "acknowledged"
    assert status.assignment(SCJGJ).state.value != "acknowledged"
    [entry] = [e for e in status.timeline if e.action == "acknowledge"]
    assert (entry.actor, entry.principal) == ("随便填写的名字 Mallory", ZJJ_USER)
