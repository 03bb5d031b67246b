"""`yuqing bulletin`, `yuqing overdue`, `yuqing codec-server`: the parsers (the work is in
``starter.office_cli``, which loads the bulletin's charts and spreadsheet only when run)."""

import argparse
import importlib
from pathlib import Path

from starter.cli_support import Connect
from settings.home import home_path


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    bulletin = commands.add_parser(
        "bulletin", parents=[common], help="月度通报 / the monthly bulletin (JSON, Markdown, HTML, XLSX, public)")
    bulletin.add_argument("--month", required=True, metavar="YYYY-MM",
                          help="通报月份（北京时间）/ the month, Beijing time")
    bulletin.add_argument("--out", type=Path, default=home_path("bulletins"),
                          help="输出目录 / output folder (default $YUQING_HOME/bulletins)")
    bulletin.add_argument("--from-archive", nargs="?", const="",
                          metavar="DIR", help="从审计归档计算（超出保留期的事件）/ from the audit archive")
    bulletin.set_defaults(handler=bad_input_as_cli_error("run_bulletin"), quiet=True)
    overdue = commands.add_parser("overdue", parents=[common],
                                  help="当前超期单位 / every unit overdue now")
    overdue.set_defaults(handler=bad_input_as_cli_error("run_overdue"), quiet=True)
    codec = commands.add_parser(
        "codec-server", parents=[common], help="解密服务 / the codec server the Web UI and temporal CLI decrypt through")
    codec.add_argument("--port", type=int, default=8081)
    codec.add_argument("--host", default="127.0.0.1")
    codec.add_argument("--ui-origin", action="append", default=[],
                       help="允许的 UI 来源 / the UI's origin, e.g. https://temporal.example.gov (repeatable)")
    codec.set_defaults(handler=bad_input_as_cli_error("run_codec_server"))


def bad_input_as_cli_error(name: str):
    """``starter.office_cli.<name>``, imported when run; the command's own input errors
    (a bad month, an unreadable archive) are one line, exit 2."""
    async def handler(args: argparse.Namespace, connect: Connect) -> int:
        from starter.cli_support import EXIT_BAD_INPUT, CliError
        run = getattr(importlib.import_module("starter.office_cli"), name)
        try:
            return await run(args, connect)
        except (OSError, ValueError) as err:
            raise CliError(f"{err}", EXIT_BAD_INPUT) from None
    return handler


