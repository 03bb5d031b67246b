"""Exactly once per notice: `kill -9` of a worker in the middle of its calls to the channels,
then a new worker; the receivers on this machine count what reached them.

A robot call the kill cut short may have been posted: it is not sent again (marked
未确认 for a person to check) and the notice goes on to the unit's next channel. A webhook
that takes ``Idempotency-Key`` gets the same key again, which its receiver drops.
"""

import asyncio
import signal
import subprocess
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from domain.messages import IncidentStart
from starter.api import report_incident
from tests.runtime.dev_process import start_worker_process, stop_process_group
from tests.support.receivers import HttpReceiver, MailReceiver
from settings.keys import configured_converter
from workers.local_server import start_local_server

ROUTINE, EMERGENCY = 4, 2


def notices_table(http: HttpReceiver, mail: MailReceiver) -> str:
    return f"""
[notices]
attempts = 3

[notices.channels.u1-robot]
type = "wecom"
url = "{http.url('/u1-robot?key=k1')}"

[notices.channels.u2-robot]
type = "dingtalk"
url = "{http.url('/u2-robot?access_token=t2')}"
secret = "env:TEST_DING_SECRET"

[notices.channels.u2-hook]
type = "webhook"
url = "{http.url('/u2-hook')}"

[notices.channels.mail]
type = "email"
host = "127.0.0.1"
port = {mail.port}
username = "yuqing"
password = "env:TEST_SMTP_PASSWORD"
sender = "yuqing@example.gov.cn"
ca_file = "{mail.cert}"

[notices.contacts.u1]
name = "住建局"
channels = ["u1-robot", "mail"]
email = ["zjj@example.gov.cn"]

[notices.contacts.u2]
name = "应急局"
channels = ["u2-robot", "u2-hook", "mail"]
email = ["yjj@example.gov.cn"]
"""


async def start_worker(folder: Path, address: str, name: str) -> subprocess.Popen:
    return await start_worker_process(folder, address, name, TEST_SMTP_PASSWORD="s3cret",
                                      TEST_DING_SECRET="SEC-ding")


async def report(client, n: int, emergency: bool):
    kind = {"category": "E1", "severity": "重大"} if emergency else {"category": "R2",
                                                                    "severity": "一般"}
    start = IncidentStart.model_validate({
        "incident_id": f"KILL-{'E' if emergency else 'R'}{n}", "profile": "nantong-2017",
        "title": f"{'突发' if emergency else '例行'}事件 {n}", "actor": "网信办监测平台",
        "report": {"platform": "留言板", "url": f"https://example.org/{n}",
                   "detected_at": datetime.now(timezone.utc).isoformat()},
        "analysis": {**kind, "units": [{"unit_id": "u2" if emergency else "u1", "lead": True}]}})
    return await report_incident(client, start)  # the worker's defaults


async def receipts_settled(handles, seconds: float) -> list[dict]:
    """Every incident's 交办单 (and 紧急电话通知) has its receipts on the timeline."""
    for _ in range(int(seconds)):
        statuses = [await h.query("status") for h in handles]
        if all(any(e["action"] == "notice_receipt" and e["detail"].startswith(
                ("交办单" if "R" in s["incident_id"] else "紧急电话通知")) for e in s["timeline"])
               for s in statuses):
            return statuses
        await asyncio.sleep(1)
    pytest.fail("receipts never recorded:\n" + "\n".join(
        f"{s['incident_id']}: {[e['detail'] for e in s['timeline'][-4:]]}" for s in statuses))


@pytest.mark.timeout(300)
async def test_kill_9_mid_call_sends_no_notice_twice(tmp_path: Path):
    http, mail = HttpReceiver({"/u1-robot": "slow:3", "/u2-robot": "slow:3"}), MailReceiver(tmp_path)
    (tmp_path / "yuqing.toml").write_text(notices_table(http, mail), encoding="utf-8")
    env = await start_local_server(data_converter=configured_converter())
    address = env.client.service_client.config.target_host
    first = second = None
    try:
        first = await start_worker(tmp_path, address, "worker-a")
        handles = [await report(env.client, n, emergency=False) for n in range(ROUTINE)]
        handles += [await report(env.client, n, emergency=True) for n in range(EMERGENCY)]
        for _ in range(200):  # until both robots hold calls they have not answered yet
            if http.at("/u1-robot") and http.at("/u2-robot"):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        stop_process_group(first, signal.SIGKILL)  # kill -9, mid-call
        cut = len(http.at("/u1-robot")) + len(http.at("/u2-robot"))
        second = await start_worker(tmp_path, address, "worker-b")
        statuses = await receipts_settled(handles, seconds=150)
    finally:
        for process in (first, second):
            if process is not None:
                stop_process_group(process)
        await env.shutdown()
        http.close()
        mail.close()
    robot = Counter(r.body.get("text", r.body.get("markdown", {})).get("content")
                    or r.body["markdown"]["text"] for r in http.requests if "robot" in r.path)
    mails = Counter(m["Message-ID"] for _, m in mail.messages)
    hooks = Counter(r.headers["Idempotency-Key"] for r in http.at("/u2-hook"))
    print(f"\nkill -9 with {cut} robot calls in flight; at the receivers: robot messages "
          f"{sum(robot.values())} ({len(robot)} distinct), mails {sum(mails.values())} "
          f"({len(mails)} Message-IDs), webhook calls {sum(hooks.values())} ({len(hooks)} keys)")
    assert cut >= 2 and robot and max(robot.values()) == 1, robot  # no robot message twice
    assert mails and max(mails.values()) == 1, mails  # no mail twice
    assert hooks and max(hooks.values()) <= 2  # a repeat carries its key: the receiver drops it
    details = [e["detail"] for s in statuses for e in s["timeline"] if e["action"] == "notice_receipt"]
    assert any("未确认" in d for d in details)  # the cut calls, marked for a person to check
    for status in statuses[:ROUTINE]:  # each routine form reached its unit (mail, after the robot)
        assert any(e["detail"].startswith("交办单 已送达") for e in status["timeline"]), status["timeline"]
