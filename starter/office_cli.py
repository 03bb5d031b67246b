"""`yuqing bulletin` (the monthly 通报) and `yuqing overdue` (every unit late now)."""

import argparse
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

from temporalio.client import Client

from activities.archive import HistoryArchive, default_archive_dir
from domain.bulletin import OFFICE_NAME, TREND_MONTHS, Bulletin, compute, previous_months
from domain.config import WORKFLOW_TYPE
from domain.presentation import local_time, time_left
from domain.status import OFFICE, IncidentStatus
from activities import bulletin_files
from activities.bulletin_source import (
    parse_month, statuses_from_archive, statuses_from_server, trend_start,
)
from workers.codec import EncryptionCodec, load_keyring
from workers.codec_server import serve_in_background
from workers.shutdown import shutdown_requested
from workflows import IncidentWorkflow

Connect = Callable[[], Awaitable[Client]]


def add_office_parsers(commands: argparse._SubParsersAction) -> None:
    bulletin = commands.add_parser(
        "bulletin", help="月度通报 / the monthly bulletin (JSON, Markdown, HTML, XLSX, public)")
    bulletin.add_argument("--month", required=True, metavar="YYYY-MM",
                          help="通报月份（北京时间）/ the month, Beijing time")
    bulletin.add_argument("--out", type=Path, default=Path("var/bulletins"),
                          help="输出目录 / output folder (default var/bulletins)")
    bulletin.add_argument("--from-archive", type=Path, nargs="?", const=default_archive_dir(),
                          metavar="DIR", help="从审计归档计算（超出保留期的事件）/ from the audit archive")
    overdue = commands.add_parser("overdue", help="当前超期单位 / every unit overdue now")
    overdue.add_argument("-o", "--output", choices=["table", "json"], default="table")
    codec = commands.add_parser(
        "codec-server", help="解密服务 / the codec server the Web UI and temporal CLI decrypt through")
    codec.add_argument("--port", type=int, default=8081)
    codec.add_argument("--host", default="127.0.0.1")
    codec.add_argument("--ui-origin", action="append", default=[],
                       help="允许的 UI 来源 / the UI's origin, e.g. https://temporal.example.gov (repeatable)")


async def run_codec_server(args: argparse.Namespace, connect: Connect) -> int:
    """Serve until stopped; keys as for every other command (YUQING_KEYS / YUQING_KEYS_FILE)."""
    keyring = load_keyring()
    if keyring is None:
        raise ValueError("没有配置密钥 / no keys configured: set YUQING_KEYS or YUQING_KEYS_FILE")
    origins = args.ui_origin or ["http://localhost:8233", "http://127.0.0.1:8233"]
    server = serve_in_background(EncryptionCodec(keyring), args.port, origins, args.host)
    print(f"codec server: http://{args.host}:{server.server_port} (UI origins {', '.join(origins)})",
          flush=True)
    with shutdown_requested() as stop:
        await stop.wait()
    server.shutdown()
    return 0


def bulletin_of(month: str, statuses: list[IncidentStatus],
                now: datetime) -> tuple[Bulletin, list[Bulletin]]:
    history = [compute(statuses, m, now) for m in previous_months(month, TREND_MONTHS)]
    return history[-1], history


async def run_bulletin(args: argparse.Namespace, connect: Connect) -> int:
    month = parse_month(args.month)  # ValueError: the caller's bad input
    if args.from_archive is not None:
        statuses = statuses_from_archive(HistoryArchive(args.from_archive))
    else:
        statuses = await statuses_from_server(await connect(), trend_start(month, TREND_MONTHS))
    bulletin, history = bulletin_of(month, statuses, datetime.now(timezone.utc))
    for path in bulletin_files.write(bulletin, history, args.out):
        print(path)
    i = bulletin.incidents
    print(f"{month}：舆情 {i.reported} 件（已结束 {i.closed}，办理中 {i.open}），"
          f"责任单位 {len(bulletin.units)} 个")
    return 0


def overdue_rows(statuses: list[IncidentStatus], now: datetime) -> list[dict]:
    """Unit, incident, window, deadline, overdue by: every unresolved miss a unit or the office owes."""
    rows = []
    for status in statuses:
        if status.stage.is_final:
            continue
        names = {a.unit_id: a.name for a in status.assignments if a.state.value != "returned"}
        names[OFFICE] = OFFICE_NAME  # the offices' own misses are listed too (SPEC §8)
        for w in status.windows:
            if not w.unresolved_miss:
                continue
            for unit in w.owed_by or ([w.unit_id] if w.unit_id else []):
                if unit not in names:
                    continue
                rows.append({"unit_id": unit, "name": names[unit],
                             "incident_id": status.incident_id, "window": w.id.value,
                             "deadline": w.deadline.isoformat(),
                             "overdue_by": time_left(w.deadline, now).removeprefix("已超期 "),
                             "deadline_local": local_time(w.deadline, with_year=True)})
    return sorted(rows, key=lambda r: (r["unit_id"], r["deadline"]))


async def run_overdue(args: argparse.Namespace, connect: Connect) -> int:
    client = await connect()
    query = f'WorkflowType="{WORKFLOW_TYPE}" AND ExecutionStatus="Running" AND Overdue=true'
    statuses = [await client.get_workflow_handle(e.id).query(IncidentWorkflow.status)
                async for e in client.list_workflows(query)]
    rows = overdue_rows(statuses, datetime.now(timezone.utc))
    if args.output == "json":
        print(json.dumps([{k: v for k, v in r.items() if k != "deadline_local"} for r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("当前没有超期单位 / no unit is overdue now")
        return 0
    print("单位编号\t单位\t事件\t时限\t截止（北京时间）\t已超期")
    for r in rows:
        print(f"{r['unit_id']}\t{r['name']}\t{r['incident_id']}\t{r['window']}\t"
              f"{r['deadline_local']}\t{r['overdue_by']}")
    return 0
