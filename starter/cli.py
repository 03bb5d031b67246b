"""`yuqing`: the command line for operators and backend systems (see README for examples)."""

from __future__ import annotations

import argparse
import dataclasses
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn
from pathlib import Path

from pydantic import BaseModel
from temporalio.client import Client, WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from activities import default_outbox_dir
from domain.procedure.registry import MESSAGES
from starter.audit_cli import AuditInputError, add_audit_parser, run_audit
from starter.office_cli import add_office_parsers, run_bulletin, run_codec_server, run_overdue
from starter.api import (
    IncidentClosed, MessageRefused, load_start_file, report_incident, send_message,
    status_report,
)
from starter.input_errors import describe_input_error
from starter.outbox_view import print_outbox
from starter.settings import ConfigError, connection_hint, installed_version, load_notice_settings, load_worker_tuning  # noqa: E501
from starter.ui_links import ui_base_url, workflow_url
from workers.connect import connect, load_connect_config
from workers.dev_server import DevServer, DevServerError, DevServerSettings
from workers.logging import configure_logging
from workers.namespace_setup import NamespaceSetupError
from workers.run import run_worker
from workers.codec_server import start_for_dev
from workers.schedule import ensure_schedules
from workers.shutdown import shutdown_requested
from workers.tuning import WorkerTuning

EXIT_FAILED = 1  # the operation could not be done (server unreachable, unknown incident…)
EXIT_BAD_INPUT = 2  # the user's input is wrong; same code argparse uses for bad arguments


class CliError(Exception):
    """A failure explained to the user in one paragraph, without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yuqing",
        description="网络政务舆情回应交办督办 — government online public-opinion incidents "
        "as durable Temporal workflows.",
        epilog="连接设置与 temporal CLI 相同 / connection settings as for the temporal CLI: "
        "TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS variables, TOML profiles.",
    )
    parser.add_argument("--profile", help="Temporal 配置档 / client config profile (TEMPORAL_PROFILE)")
    parser.add_argument("--log-level", default="INFO", type=str.upper,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="日志级别 / log level (default INFO)")
    parser.add_argument("--version", action="version", version=f"yuqing {installed_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dev = commands.add_parser(
        "dev", help="内嵌开发服务器 + worker / embedded dev server and a worker in one process"
    )
    dev.add_argument("--ip", default="127.0.0.1", help="监听地址 / address to bind (default 127.0.0.1)")
    dev.add_argument("--port", type=int, default=7233, help="gRPC 端口 / gRPC port (default 7233)")
    dev.add_argument("--ui-port", type=int, help="Web UI 端口 / Web UI port (default: port + 1000)")
    dev.add_argument("--db-filename", type=Path, default=Path("var/temporal.db"),
                     help="SQLite 数据文件 / SQLite file (default var/temporal.db)")  # fmt: skip
    dev.add_argument("--namespace", default="default", help="命名空间 / namespace (default default)")
    _add_outbox_argument(dev)

    worker = commands.add_parser("worker", help="连接已配置的服务器运行 worker / a worker against the configured server")
    _add_outbox_argument(worker)

    report = commands.add_parser(
        "report", help="上报舆情（新建或并入）/ start the incident in FILE, or merge into the running one"
    )
    report.add_argument("file", type=Path, metavar="FILE.json", help="上报 JSON / incident start JSON")

    send = commands.add_parser(
        "send", help="发送消息并等待回执（validated update）/ send a message, print its receipt")
    send.add_argument("incident_id", metavar="INCIDENT_ID")
    send.add_argument("message", metavar="MESSAGE", choices=list(MESSAGES),
                      help=f"消息名 / message name: {', '.join(MESSAGES)}")
    send.add_argument("payload", metavar="JSON",
                      help="JSON 对象，或 @文件，或 - 读标准输入 / a JSON object, @FILE, or - for stdin")

    status = commands.add_parser("status", help="查询事件状态 JSON / print an incident's status as JSON")
    status.add_argument("incident_id", metavar="INCIDENT_ID")

    add_audit_parser(commands)
    add_office_parsers(commands)

    outbox = commands.add_parser("outbox", help="查看已发送的通知 / list what notification adapters delivered")
    outbox.add_argument("--tail", type=int, metavar="N", help="只看最新 N 条 / only the newest N")
    _add_outbox_argument(outbox)
    return parser


def _add_outbox_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--outbox", type=Path,
                        help="通知发件箱目录 / outbox folder (default $YUQING_OUTBOX or var/outbox)")  # fmt: skip


def _outbox_dir(args: argparse.Namespace) -> Path:
    return args.outbox or default_outbox_dir()


async def _connect(args: argparse.Namespace) -> Client:
    try:
        config = load_connect_config(args.profile)
    except Exception as err:  # the config loader reports bad TOML/unknown profile as plain errors
        raise CliError(f"Temporal 连接配置无效 / invalid Temporal client configuration: {err}",
                       EXIT_BAD_INPUT) from None  # fmt: skip
    try:
        return await connect(config)
    except RuntimeError as err:
        raise CliError(f"无法连接 Temporal / cannot reach Temporal at {config['target_host']} "
                       f"(namespace {config['namespace']}): {err}. {connection_hint(str(err))}"
                       ) from None


async def _dev(args: argparse.Namespace) -> int:
    settings = DevServerSettings(ip=args.ip, port=args.port, ui_port=args.ui_port or args.port + 1000,
                                 db_filename=args.db_filename, namespace=args.namespace)
    try:
        return await _run_dev(settings, _outbox_dir(args), load_worker_tuning())
    except (DevServerError, NamespaceSetupError) as err:
        raise CliError(f"无法启动开发服务器 / cannot start the dev server: {err}") from None


async def _run_dev(settings: DevServerSettings, outbox_dir: Path, tuning: WorkerTuning) -> int:
    codec_server, endpoint = start_for_dev(settings.ui_port)  # payloads encrypted at rest
    settings = dataclasses.replace(settings, codec_endpoint=endpoint)
    with shutdown_requested() as stop:
        async with DevServer(settings) as server:
            print(
                f"yuqing dev: Temporal {settings.address} (namespace {settings.namespace}, "
                f"db {settings.db_filename})\n"
                f"  Web UI:  {settings.ui_url}/namespaces/{settings.namespace}/workflows\n"
                f"  outbox:  {outbox_dir}\n"
                "  Ctrl-C 停止 / to stop",
                flush=True,
            )
            await ensure_schedules(server.client)
            server_exit = asyncio.create_task(server.wait_exited())
            server_exit.add_done_callback(lambda _: stop.set())
            await run_worker(server.client, outbox_dir, stop=stop, tuning=tuning, notices=load_notice_settings())
            if server_exit.done():
                raise CliError(f"temporal 服务器意外退出 / the dev server exited unexpectedly "
                               f"(code {server_exit.result()}); see {settings.log_file}")  # fmt: skip
            server_exit.cancel()
    return 0


async def _worker(args: argparse.Namespace) -> int:
    tuning, notices = load_worker_tuning(), load_notice_settings()  # a bad table stops here
    client = await _connect(args)
    await ensure_schedules(client)  # production: the archive and the monthly 通报
    await run_worker(client, _outbox_dir(args), tuning=tuning, notices=notices)
    return 0


async def _report(args: argparse.Namespace) -> int:
    try:
        start = load_start_file(args.file)
    except (OSError, ValueError) as err:  # ValueError covers bad JSON and pydantic validation
        raise CliError(describe_input_error(args.file, err), EXIT_BAD_INPUT) from None
    client = await _connect(args)
    try:
        handle = await report_incident(client, start)
    except ValueError as err:
        raise CliError(f"已拒绝 / refused: {err}", EXIT_BAD_INPUT) from None
    except IncidentClosed as err:
        raise CliError(f"已拒绝 / refused: {err}", EXIT_BAD_INPUT) from None
    except RPCError as err:
        raise CliError(f"上报失败 / the report was refused: {err.message}") from None
    run_id = handle.result_run_id or handle.run_id
    base = ui_base_url(client.service_client.config.target_host)
    print(f"已上报 / reported: {handle.id}")
    print(f"UI: {workflow_url(base, client.namespace, handle.id, run_id)}")
    return 0


def _read_payload(argument: str) -> object:
    source = argument
    try:
        if argument == "-":
            source, text = "stdin", sys.stdin.read()
        elif argument.startswith("@"):
            source, text = argument[1:], Path(argument[1:]).read_text(encoding="utf-8")
        else:
            text = argument
        return json.loads(text)
    except OSError as err:
        raise CliError(describe_input_error(Path(source), err), EXIT_BAD_INPUT) from None
    except json.JSONDecodeError as err:
        raise CliError(f"消息不是有效的 JSON / the message is not valid JSON: {err.msg} "
                       f"(line {err.lineno}, column {err.colno})", EXIT_BAD_INPUT) from None


async def _send(args: argparse.Namespace) -> int:
    payload = _read_payload(args.payload)
    client = await _connect(args)
    try:
        receipt = await send_message(client, args.incident_id, args.message, payload)
    except (MessageRefused, ValueError) as err:
        raise CliError(f"已拒绝 / refused: {err}", EXIT_BAD_INPUT) from None
    except RPCError as err:
        raise _incident_rpc_error(err, args.incident_id, client, "发送失败 / could not send") from None
    except WorkflowUpdateFailedError as err:
        raise CliError(f"发送失败 / could not send: {err.cause or err}") from None
    _print_json(receipt)
    return 0


async def _status(args: argparse.Namespace) -> int:
    client = await _connect(args)
    try:
        status = await status_report(client, args.incident_id)  # "execution": 已终止 …
    except RPCError as err:
        raise _incident_rpc_error(err, args.incident_id, client,
                                  "查询失败 / status query failed") from None
    except WorkflowQueryFailedError as err:
        raise CliError(f"查询失败 / status query failed: {err}") from None
    print(json.dumps(status, ensure_ascii=False, indent=2))
    return 0


def _incident_rpc_error(err: RPCError, incident_id: str, client: Client, failed: str) -> CliError:
    if err.status == RPCStatusCode.NOT_FOUND:
        return CliError(f"没有该事件 / no incident {incident_id!r} in namespace {client.namespace}")
    return CliError(f"{failed}: {err.message}")


def _print_json(model: BaseModel) -> None:
    print(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2))


def _outbox(args: argparse.Namespace) -> int:
    return print_outbox(_outbox_dir(args), args.tail)


async def _audit(args: argparse.Namespace) -> int:
    """audit, bulletin and overdue: their input errors exit with EXIT_BAD_INPUT."""
    runner = {"audit": run_audit, "bulletin": run_bulletin, "overdue": run_overdue,
              "codec-server": run_codec_server}[args.command]
    try:
        return await runner(args, lambda: _connect(args))
    except (AuditInputError, OSError, ValueError) as err:
        raise CliError(f"{err}", EXIT_BAD_INPUT) from None


_ASYNC_COMMANDS = {"dev": _dev, "worker": _worker, "report": _report, "send": _send,
                   "status": _status, "audit": _audit, "bulletin": _audit, "overdue": _audit,
                   "codec-server": _audit}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = args.command in ("report", "send", "status", "outbox", "audit", "bulletin",
                             "overdue")
    # stdout of report/status is for people and scripts; only problems go to stderr
    configure_logging("WARNING" if quiet else args.log_level)
    try:
        if args.command == "outbox":
            return _outbox(args)
        code = asyncio.run(_ASYNC_COMMANDS[args.command](args))
    except (CliError, ConfigError) as err:
        print(f"yuqing {args.command}: {err}", file=sys.stderr)
        code = getattr(err, "exit_code", EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # `yuqing status … | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    _exit_skipping_finalization(code)


def _exit_skipping_finalization(code: int) -> NoReturn:
    """The SDK's Rust threads can abort CPython's shutdown with SIGABRT (sdk-python#300)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # e.g. `yuqing status … | head` closed the pipe
            pass
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
