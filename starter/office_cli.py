"""`yuqing bulletin` (the monthly 通报) and `yuqing overdue` (every unit late now)."""

import argparse
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

from temporalio.client import Client

from activities.archive import HistoryArchive, default_archive_dir
from domain.audit_report import OFFICE_ROW
from domain.bulletin import TREND_MONTHS, Bulletin, compute, previous_months
from temporal.names import WORKFLOW_TYPE
from domain.status import OFFICE, IncidentStatus
from activities.bulletin_source import (
    parse_month, statuses_from_archive, statuses_from_server, trend_start,
)
from starter.cli_support import beijing, beijing_text, print_json

Connect = Callable[[], Awaitable[Client]]


async def run_codec_server(args: argparse.Namespace, connect: Connect) -> int:
    """Serve until stopped; keys as for every other command (YUQING_KEYS / YUQING_KEYS_FILE)."""
    from settings.keys import require_keyring
    from temporal.codec import EncryptionCodec
    from workers.codec_server import serve_in_background
    from workers.shutdown import shutdown_requested
    keyring = require_keyring()
    if keyring is None:
        raise ValueError("解密服务需要密钥 / the codec server needs keys (YUQING_PLAINTEXT is set)")
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
    from activities import bulletin_files  # matplotlib and openpyxl: this command's only
    month = parse_month(args.month)  # ValueError: the caller's bad input
    if args.from_archive is not None:
        folder = Path(args.from_archive) if args.from_archive else default_archive_dir()
        statuses = statuses_from_archive(HistoryArchive(folder))
    else:
        statuses = await statuses_from_server(await connect(), trend_start(month, TREND_MONTHS))
    bulletin, history = bulletin_of(month, statuses, datetime.now(timezone.utc))
    paths = bulletin_files.write(bulletin, history, args.out)
    i = bulletin.incidents
    if getattr(args, "output", "text") == "json":
        print_json({"month": month, "files": [str(p) for p in paths], "reported": i.reported,
                    "closed": i.closed, "open": i.open, "units": len(bulletin.units),
                    "generated_at": bulletin.generated_at})
        return 0
    for path in paths:
        print(path)
    print(f"{month}：舆情 {i.reported} 件（已结束 {i.closed}，办理中 {i.open}），"
          f"责任单位 {len(bulletin.units)} 个；生成于 {beijing_text(bulletin.generated_at)}")
    return 0


def overdue_rows(statuses: list[IncidentStatus], now: datetime) -> list[dict]:
    """Unit, incident, window, deadline (+08:00), overdue by (whole seconds): every
    unresolved miss a unit or the office owes, for scripts; ``overdue_text`` says it for people."""
    rows = []
    for status in statuses:
        if status.stage.is_final:
            continue
        names = {a.unit_id: a.name for a in status.assignments if a.state.value != "returned"}
        names[OFFICE] = OFFICE_ROW  # the offices' own misses are listed too (SPEC §8)
        for w in status.windows:
            if not w.unresolved_miss:
                continue
            for unit in w.owed_by or ([w.unit_id] if w.unit_id else []):
                if unit not in names:
                    continue
                late = int((now - w.deadline).total_seconds())
                rows.append({"unit_id": unit, "name": names[unit],
                             "incident_id": status.incident_id, "window": w.id.value,
                             "deadline": beijing(w.deadline).isoformat(),
                             "overdue_by_seconds": late,
                             "overdue_by_hours": round(late / 3600, 2)})
    return sorted(rows, key=lambda r: (r["unit_id"], r["deadline"]))


def overdue_text(rows: list[dict]) -> list[str]:
    if not rows:
        return ["当前没有超期单位 / no unit is overdue now"]
    lines = ["单位编号\t单位\t事件\t时限\t截止（北京时间）\t已超期"]
    for r in rows:
        hours, minutes = divmod(r["overdue_by_seconds"] // 60, 60)
        lines.append(f"{r['unit_id']}\t{r['name']}\t{r['incident_id']}\t{r['window']}\t"
                     f"{r['deadline'][:16].replace('T', ' ')}\t{hours}小时{minutes:02d}分")
    return lines


async def run_overdue(args: argparse.Namespace, connect: Connect) -> int:
    client = await connect()
    query = f'WorkflowType="{WORKFLOW_TYPE}" AND ExecutionStatus="Running" AND Overdue=true'
    statuses = [await client.get_workflow_handle(e.id).query("status", result_type=IncidentStatus)
                async for e in client.list_workflows(query)]
    rows = overdue_rows(statuses, datetime.now(timezone.utc))
    if args.output == "json":
        print_json(rows)
    else:
        print("\n".join(overdue_text(rows)))
    return 0
