"""`yuqing audit export | replay | report`: the parsers (the work is in ``starter.audit_cli``)."""

import argparse
from pathlib import Path

from starter.cli_support import Connect
from settings.home import home_path


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    audit = commands.add_parser("audit", parents=[common],
                                help="审计：归档、重放、合规报告 / archive, replay, report")
    audit.set_defaults(handler=run_audit_command, quiet=True)
    sub = audit.add_subparsers(dest="audit_command", required=True, metavar="AUDIT_COMMAND")

    export = sub.add_parser("export", parents=[common],
                            help="归档事件历史 / archive histories as replayable JSON")
    export.add_argument("--id", action="append", default=[], metavar="INCIDENT_ID",
                        help="事件编号 / incident id, e.g. NT-20261121-0001 (repeatable; "
                             "a workflow id incident-… is accepted too)")
    export.add_argument("--query", help='visibility query, e.g. PolicyProfile="nantong-2017"')
    _archive_argument(export)

    for name, text in (("replay", "用当前代码重放历史 / replay histories against this code"),
                       ("report", "合规报告 / compliance report (Markdown, HTML, JSON)")):
        command = sub.add_parser(name, parents=[common], help=text)
        command.add_argument("files", nargs="*", type=Path, metavar="HISTORY.json")
        command.add_argument("--query", help="live histories from a visibility query")
        command.add_argument("--from-archive", action="store_true",
                             help="every history in the archive folder")
        _archive_argument(command)
        if name == "report":
            command.add_argument("--out", type=Path, default=home_path("reports"),
                                 help="report folder (default $YUQING_HOME/reports)")


def _archive_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive", type=Path,
                        help="归档目录 / archive folder (default $YUQING_ARCHIVE or $YUQING_HOME/archive)")


async def run_audit_command(args: argparse.Namespace, connect: Connect) -> int:
    """`yuqing audit …`: the user's input errors are one line and exit 2."""
    from temporalio.service import RPCError, RPCStatusCode

    from starter.audit_cli import AuditInputError, run_audit
    from starter.cli_support import EXIT_BAD_INPUT, CliError
    try:
        return await run_audit(args, connect)
    except (AuditInputError, OSError, ValueError) as err:
        raise CliError(f"{err}", EXIT_BAD_INPUT) from None
    except RPCError as err:
        missing = err.status == RPCStatusCode.NOT_FOUND
        raise CliError(f"{'没有该事件 / not found' if missing else '服务器拒绝 / refused'}: "
                       f"{err.message}", EXIT_BAD_INPUT if missing else 1) from None


