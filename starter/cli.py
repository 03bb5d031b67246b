"""`yuqing`: the command line for operators and backend systems (see README for examples).

Each command lives in a module of ``COMMAND_MODULES`` with ``register(commands, common)``:
it adds its parsers, each with ``handler`` (``async (args, connect) -> int`` or a plain
function) and, for commands that only print, ``quiet=True``. Parsers import nothing heavy;
a handler imports what it needs, so `yuqing --help` and `yuqing status` start at once.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from starter.cli_support import (
    EXIT_BAD_INPUT, CliError, connect, global_options, with_global_defaults,
)

# the one place a command is registered (order = order in `yuqing --help`)
COMMAND_MODULES = (
    "starter.server_cli",     # dev, worker, schedules
    "starter.incident_cli",   # report, send, status
    "starter.audit_commands",   # audit export | replay | report
    "starter.office_commands",  # bulletin, overdue, codec-server
    "starter.outbox_view",    # outbox
    "starter.keys_cli",       # keys create
    "starter.whatif_cli",     # whatif
)


def build_parser() -> argparse.ArgumentParser:
    common = global_options()
    parser = argparse.ArgumentParser(
        prog="yuqing", parents=[common],
        description="网络政务舆情回应交办督办 — government online public-opinion incidents "
        "as durable Temporal workflows.",
        epilog="连接设置与 temporal CLI 相同 / connection settings as for the temporal CLI: "
        "--address/--namespace/--profile, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, "
        "TEMPORAL_API_KEY, TLS variables, TOML profiles. 时间均为北京时间 (UTC+8).",
    )
    parser.add_argument("--version", action="version", version=f"yuqing {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands, common)
    return parser


def _version() -> str:
    import importlib.metadata
    try:
        return importlib.metadata.version("yuqing")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


async def run_command(args: argparse.Namespace) -> int:
    result = args.handler(args, lambda **options: connect(args, **options))
    return await result if inspect.isawaitable(result) else result


def main(argv: Sequence[str] | None = None) -> int:
    args = with_global_defaults(build_parser().parse_args(argv))
    command = " ".join(filter(None, (args.command, getattr(args, "subcommand", None),
                                     getattr(args, "audit_command", None))))
    from workers.logging import configure_logging
    # stdout of report/status is for people and scripts; only problems go to stderr
    configure_logging("WARNING" if getattr(args, "quiet", False) else args.log_level)
    try:
        code = asyncio.run(run_command(args))
    except CliError as err:
        print(f"yuqing {command}: {err}", file=sys.stderr)
        code = err.exit_code
    except ValueError as err:  # ConfigError and the handlers' input errors: one line
        print(f"yuqing {command}: {' '.join(str(err).split())}", file=sys.stderr)
        code = EXIT_BAD_INPUT
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # `yuqing status … | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except Exception as err:  # noqa: BLE001 — still one line; the traceback on request
        if args.log_level == "DEBUG":
            traceback.print_exc()
        message = " ".join(f"{type(err).__name__}: {err}".split())
        print(f"yuqing {command}: 未预期的错误 / unexpected error: {message} "
              "(--log-level DEBUG shows the traceback)", file=sys.stderr)
        code = 1
    _exit_skipping_finalization(code)


def _exit_skipping_finalization(code: int) -> NoReturn:
    """The SDK's Rust threads can abort CPython's shutdown with SIGABRT (sdk-python#300).
    ``os._exit`` runs no atexit hook: the log's queue is written out here first, or the
    last lines ("worker stopped") could be lost."""
    log_setup = sys.modules.get("workers.logging")  # loaded only by commands that log
    if log_setup is not None:
        log_setup.stop_logging()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # e.g. `yuqing status … | head` closed the pipe
            pass
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
