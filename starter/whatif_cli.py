"""`yuqing whatif` (政策推演): the month's 通报 as issued and as the proposal would have made it.

Reads histories only (the audit archive, or the live server's histories and statuses);
nothing is written to the server. A proposal the configuration would refuse exits 2
with one line saying why. The parser imports nothing heavy: the replay, the charts and
the archive reader load only when the command runs.
"""

import argparse
from pathlib import Path

from settings.home import home_path
from starter.cli_support import Connect


def register(commands: argparse._SubParsersAction,
             common: argparse.ArgumentParser | None = None) -> None:
    whatif = commands.add_parser(
        "whatif", parents=[common] if common is not None else [],
        help="政策推演 / the month's bulletin as issued and under proposed settings")
    whatif.add_argument("--month", required=True, metavar="YYYY-MM",
                        help="推演月份（北京时间）/ the month, Beijing time")
    whatif.add_argument("--set", dest="settings", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="拟议的本地默认值，如 ack_hours=1（可重复）/ a proposed "
                             "[local_defaults] value (repeatable)")
    whatif.add_argument("--rules-version", type=int, metavar="N",
                        help="拟议的规则版本 / a proposed rules version")
    whatif.add_argument("--from-archive", nargs="?", const="", metavar="DIR",
                        help="从审计归档推演（缺省为归档目录）/ from the audit archive")
    whatif.add_argument("--out", type=Path, default=home_path("whatif"),
                        help="输出目录 / output folder (default $YUQING_HOME/whatif)")
    whatif.set_defaults(handler=run_whatif, quiet=True)


async def run_whatif(args: argparse.Namespace, connect: Connect) -> int:
    from datetime import datetime, timezone

    from activities.archive import default_archive_dir
    from activities.bulletin_source import parse_month
    from domain.whatif.report import report_json
    from domain.whatif.settings import parse_proposal
    from starter import whatif_files
    from starter.whatif_source import from_archive, from_server

    month = parse_month(args.month)  # ValueError: the caller's bad input (exit 2)
    proposal = parse_proposal(args.settings, args.rules_version)  # ProposalError (exit 2)
    generated_at = datetime.now(timezone.utc)
    if args.from_archive is not None:
        folder = Path(args.from_archive) if args.from_archive else default_archive_dir()
        whatif = from_archive(folder, month, proposal, generated_at)
    else:
        whatif = await from_server(await connect(), month, proposal, generated_at)
    report = report_json(whatif)
    for path in whatif_files.write(report, args.out):
        print(path)
    limits = report["limits"]
    print(f"{month}：舆情 {limits['incidents']} 件，重放 {limits['replayed']} 件；"
          f"结果改变 {len(report['changed_incidents'])} 件（现被拒绝的消息 "
          f"{limits['refused_now_messages']} 条，晚于新截止 {limits['late_now_windows']} 个时限）")
    return 0
