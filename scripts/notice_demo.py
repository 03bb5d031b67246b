"""Issue 25's done-when demo: notices through every channel, receipts, and an outage.

Starts receivers on this machine (an HTTP server standing in for the 企业微信 and 钉钉
robots, the SMS gateway and the office's webhook; an SMTP server with STARTTLS and a
login), writes a yuqing.toml whose [notices] table points at them, and runs `yuqing dev`
with it. Then:

1. a routine incident (R2 一般 → 住建局) and an emergency one (E1 重大 → 应急局) are worked to
   their close: every notice goes out through the configured channels, and the receipts
   are read back from each incident's current details;
2. outage: 交通局's robot answers 503 and the SMS gateway hangs while an emergency
   incident's W-AUTH deadline falls due; the window is recorded missed at its deadline all
   the same, and once the channels are back every notice goes out. 卫生局's only robot
   stays down: after its rounds its 交办单 is listed under 待办 and 网信办 is alerted.
   None is lost.

Usage: .venv/bin/python scripts/notice_demo.py    (about two minutes; exit 1 on a failure)
"""

import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from temporalio.api.sdk.v1 import WorkflowMetadata  # noqa: E402

from temporal.names import workflow_id_for  # noqa: E402
from domain.messages import IncidentStart  # noqa: E402
from starter.api import MessageRefused, incident_status, report_incident, send_message  # noqa: E402
from tests.runtime.dev_process import start_dev, stop_process_group  # noqa: E402
from tests.support.receivers import HttpReceiver, MailReceiver  # noqa: E402
from workers.connect import connect_client  # noqa: E402

SECRETS = {"DEMO_SMTP_PASSWORD": "s3cret", "DEMO_DING_SECRET": "SEC-demo", "DEMO_SMS_TOKEN": "t0k"}
ACTOR = {"actor": "网信办 演示"}


def configuration(http: HttpReceiver, mail: MailReceiver) -> str:
    def robot(name: str, kind: str, path: str, extra: str = "") -> str:
        return f'[notices.channels.{name}]\ntype = "{kind}"\nurl = "{http.url(path)}"\n{extra}\n'

    def contact(who: str, name: str, channels: str, extra: str = "") -> str:
        return f'[notices.contacts.{who}]\nname = "{name}"\nchannels = [{channels}]\n{extra}\n'

    return "\n".join([
        "[notices]\nattempts = 4\n",
        robot("zjj-wecom", "wecom", "/robot/zjj?key=demo-zjj"),
        robot("yjj-ding", "dingtalk", "/robot/yjj?access_token=demo-yjj",
              'secret = "env:DEMO_DING_SECRET"'),
        robot("jtj-wecom", "wecom", "/robot/jtj?key=demo-jtj"),
        robot("wsj-wecom", "wecom", "/robot/wsj?key=demo-wsj"),
        robot("office-hook", "webhook", "/hook/office"),
        robot("sms", "sms", "/sms", 'token = "env:DEMO_SMS_TOKEN"\ntimeout_seconds = 3'),
        f'[notices.channels.mail]\ntype = "email"\nhost = "127.0.0.1"\nport = {mail.port}\n'
        f'username = "yuqing"\npassword = "env:DEMO_SMTP_PASSWORD"\n'
        f'sender = "yuqing@example.gov.cn"\nca_file = "{mail.cert}"\n',
        contact("u-zjj", "住建局", '"zjj-wecom", "mail"', 'email = ["zjj@example.gov.cn"]'),
        contact("u-yjj", "应急局", '"yjj-ding", "sms", "mail"',
                'phone = ["13800000001"]\nemail = ["yjj@example.gov.cn"]'),
        contact("u-jtj", "交通局", '"jtj-wecom", "sms"', 'phone = ["13800000002"]'),
        contact("u-wsj", "卫生局", '"wsj-wecom"'),
        contact("cac", "网信办", '"office-hook", "mail"', 'email = ["cac@example.gov.cn"]'),
        contact("city-leaders", "市相关领导", '"sms"', 'phone = ["13800000009"]'),
        contact("gov-office", "市政府办公室", '"mail"', 'email = ["zfb@example.gov.cn"]'),
    ])


async def report(client, tag: str, category: str, severity: str, unit: str,
                 detected_ago: timedelta = timedelta(0)):
    now = datetime.now(timezone.utc)
    start = IncidentStart.model_validate({
        "incident_id": f"DEMO-{tag}-{int(time.time())}", "profile": "nantong-2017",
        "title": f"演示 {tag}", **ACTOR,
        "report": {"platform": "留言板", "url": f"https://example.org/{tag}",
                   "detected_at": (now - detected_ago).isoformat()},
        "analysis": {"category": category, "severity": severity,
                     "units": [{"unit_id": unit, "lead": True}]}})
    await report_incident(client, start, now=now)
    return start.incident_id


async def work_to_close(client, incident_id: str, unit: str, emergency: bool) -> None:
    steps = [("backfill_form", {"note": "已补填交办单"})] if emergency else []
    steps += [("acknowledge", {}),
              ("record_response", {"channel": "authoritative_release" if emergency
                                   else "platform_reply", "summary": "已回应"}),
              ("submit_feedback", {"summary": "已办理", "resolved": True}),
              ("review_feedback", {"accepted": True})]
    for name, fields in steps:
        try:
            await send_message(client, incident_id, name, {**ACTOR, "unit_id": unit, **fields})
        except MessageRefused as refused:
            print(f"  （{name} 被拒绝：{refused.reason}）")
    await client.get_workflow_handle(workflow_id_for(incident_id)).result()


async def current_details(client, incident_id: str) -> str:
    handle = client.get_workflow_handle(workflow_id_for(incident_id))
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    return metadata.current_details


async def settled(client, incident_id: str, seconds: float) -> None:
    """Until no delivery of the incident is still running (its rounds all done)."""
    handle = client.get_workflow_handle(workflow_id_for(incident_id))
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not (await handle.describe()).raw_description.pending_activities:
            return
        await asyncio.sleep(1)


def outbox_keys(outbox: Path, incident_id: str) -> set[str]:
    import json
    return {json.loads(p.read_text("utf-8"))["key"] for p in outbox.glob("*/*.json")
            if incident_id in p.read_text("utf-8")}


def accounted(status, keys: set[str]) -> tuple[int, int, int]:
    """(delivered, undelivered with the office alerted, lost) among the outbox's notices."""
    reached = {r.key for r in status.notices if r.outcome.reached}
    alerted = {u.key for u in status.undelivered} - reached
    return len(keys & reached), len(keys & alerted), len(keys - reached - alerted)


def receiver_counts(http: HttpReceiver, mail: MailReceiver) -> None:
    paths = Counter(r.path for r in http.requests)
    for path, n in sorted(paths.items()):
        print(f"  {path:<16} {n:>3} 次请求")
    ids = Counter(m["Message-ID"] for _, m in mail.messages)
    print(f"  {'SMTP':<16} {sum(ids.values()):>3} 封邮件（{len(ids)} 个不同 Message-ID）")


async def main() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        http, mail = HttpReceiver(), MailReceiver(folder)
        (folder / "yuqing.toml").write_text(configuration(http, mail), encoding="utf-8")
        dev = start_dev(folder, **SECRETS)
        os.environ.update(dev.env())
        try:
            client = await connect_client()
            print("== 1. 渠道正常：一般事件与紧急事件办结 ==")
            for tag, category, severity, unit, emergency in [
                    ("routine", "R2", "一般", "u-zjj", False), ("emergency", "E1", "重大", "u-yjj", True)]:
                incident_id = await report(client, tag, category, severity, unit)
                await work_to_close(client, incident_id, unit, emergency)
                status = await incident_status(client, incident_id)
                delivered, alerted, lost = accounted(status, outbox_keys(dev.outbox, incident_id))
                outcomes = Counter(r.outcome.label for r in status.notices)
                print(f"{incident_id}（{status.stage.label}）：通知 {delivered + alerted + lost} 条，"
                      f"已送达 {delivered}，未送达并已提醒 {alerted}，丢失 {lost}；回执 {dict(outcomes)}")
                section = (await current_details(client, incident_id)).split("**通知送达（新→旧）**")
                shown = section[1].strip().split("\n\n")[0].splitlines()[:4] if len(section) > 1 else []
                print("  当前详情·通知送达：\n    " + "\n    ".join(shown))
                failures += [f"{incident_id}: {lost} lost"] if lost or alerted else []
                failures += [] if shown else [f"{incident_id}: no receipts in the details"]
            receiver_counts(http, mail)

            print("\n== 2. 渠道故障：交通局机器人 503、短信网关无应答，W-AUTH 截止期间 ==")
            http.behaviour.update({"/robot/jtj": "error:503", "/sms": "slow:20",
                                   "/robot/wsj": "error:503"})
            incident_id = await report(client, "outage", "E1", "重大", "u-jtj",
                                       detected_ago=timedelta(hours=5) - timedelta(seconds=40))
            unreachable = await report(client, "unreachable", "R2", "一般", "u-wsj")
            status = await incident_status(client, incident_id)
            auth = next(w for w in status.windows if w.id.value == "W-AUTH")
            wait = (auth.deadline - datetime.now(timezone.utc)).total_seconds() + 5
            await asyncio.sleep(max(wait, 0))
            status = await incident_status(client, incident_id)
            auth = next(w for w in status.windows if w.id.value == "W-AUTH")
            missed = next((e.at for e in status.timeline if e.rule == "W-AUTH"), None)
            late = (missed - auth.deadline).total_seconds() if missed else None
            pending = len((await client.get_workflow_handle(workflow_id_for(incident_id))
                           .describe()).raw_description.pending_activities)
            print(f"W-AUTH 截止 {auth.deadline:%H:%M:%S} UTC，状态「{auth.state.label}」，"
                  f"记录于截止后 {late:.1f} 秒；此时仍在重试的投递 {pending} 个")
            failures += [] if auth.state.value == "missed" and late is not None and late < 5 \
                else ["W-AUTH was not recorded missed at its deadline"]
            http.behaviour = {"/robot/wsj": "error:503"}
            print("渠道恢复（卫生局机器人除外），等待各投递的下一轮……")
            await settled(client, incident_id, seconds=150)
            status = await incident_status(client, incident_id)
            delivered, alerted, lost = accounted(status, outbox_keys(dev.outbox, incident_id))
            outcomes = Counter(r.outcome.label for r in status.notices)
            print(f"{incident_id}：通知 {delivered + alerted + lost} 条，已送达 {delivered}，"
                  f"未送达并已提醒网信办 {alerted}，丢失 {lost}；回执 {dict(outcomes)}")
            failures += [f"{incident_id}: {lost} lost"] if lost else []
            await settled(client, unreachable, seconds=60)
            status = await incident_status(client, unreachable)
            delivered, alerted, lost = accounted(status, outbox_keys(dev.outbox, unreachable))
            todo = (await current_details(client, unreachable)).split("**待办**")[1].split("\n\n")[0]
            alerts = [r for r in http.at("/hook/office") if r.body["kind"] == "delivery_alert"]
            print(f"{unreachable}：通知 {delivered + alerted + lost} 条，已送达 {delivered}，"
                  f"未送达并已提醒网信办 {alerted}（网信办收到提醒 {len(alerts)} 条），丢失 {lost}")
            print("  当前详情·待办：" + todo.replace("\n", "\n    "))
            failures += [f"{unreachable}: lost {lost}, alerts {len(alerts)}"] \
                if lost or not alerted or not alerts else []
            receiver_counts(http, mail)
        finally:
            stop_process_group(dev.process)
            http.close()
            mail.close()
    print("\n" + ("OK: 每条通知都有回执，法定时限未受影响，没有通知丢失" if not failures
                  else "FAILED: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    code = asyncio.run(main())
    sys.stdout.flush()
    os._exit(code)  # as the CLI does: the SDK's threads can abort CPython's finalization
