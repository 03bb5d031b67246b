"""`yuqing dev`, `yuqing worker` and `yuqing schedules apply`: running and deploying."""

from __future__ import annotations

import argparse
from pathlib import Path

from starter.cli_support import Connect, CliError, print_json
from settings.home import home_path


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    dev = commands.add_parser(
        "dev", parents=[common],
        help="内嵌开发服务器 + worker / embedded dev server and a worker in one process")
    dev.add_argument("--ip", default="127.0.0.1", help="监听地址 / address to bind (default 127.0.0.1)")
    dev.add_argument("--port", type=int, default=7233, help="gRPC 端口 / gRPC port (default 7233)")
    dev.add_argument("--ui-port", type=int, help="Web UI 端口 / Web UI port (default: port + 1000)")
    dev.add_argument("--db-filename", type=Path, default=home_path("temporal.db"),
                     help="SQLite 数据文件 / SQLite file (default $YUQING_HOME/temporal.db)")
    add_outbox_argument(dev)
    dev.set_defaults(handler=run_dev)

    worker = commands.add_parser(
        "worker", parents=[common],
        help="连接已配置的服务器运行 worker / a worker against the configured server")
    add_outbox_argument(worker)
    worker.set_defaults(handler=run_worker_command)

    schedules = commands.add_parser(
        "schedules", parents=[common],
        help="定时任务（归档、月度通报）/ the archive and bulletin schedules")
    sub = schedules.add_subparsers(dest="subcommand", required=True, metavar="SCHEDULES_COMMAND")
    apply = sub.add_parser(
        "apply", parents=[common],
        help="创建或更新两个定时任务（可重复执行）/ create or update both schedules (idempotent)")
    apply.set_defaults(handler=run_schedules_apply, quiet=True)


def add_outbox_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--outbox", type=Path,
                        help="通知发件箱目录 / outbox folder (default $YUQING_OUTBOX or $YUQING_HOME/outbox)")


def outbox_dir(args: argparse.Namespace) -> Path:
    from activities import default_outbox_dir
    return args.outbox or default_outbox_dir()


async def run_schedules_apply(args: argparse.Namespace, connect: Connect) -> int:
    from temporalio.service import RPCError

    from workers.schedule import apply_schedules
    client = await connect()
    try:
        applied = await apply_schedules(client)
    except RPCError as err:
        raise CliError(f"服务器拒绝了定时任务 / the server refused the schedules: {err.message} "
                       f"(needs a server with Temporal Schedules and an identity allowed to "
                       f"manage them)") from None
    if args.output == "json":
        print_json([{"schedule_id": a.schedule_id, "outcome": a.outcome} for a in applied])
    for a in applied if args.output == "text" else ():
        print(f"{'已创建' if a.outcome == 'created' else '已更新'} / {a.outcome}: {a.schedule_id}")
    return 0


async def apply_schedules_or_warn(client) -> None:
    """`yuqing dev`: the schedules as in production; a server that refuses them is logged,
    never the end of the dev process."""
    import structlog
    from temporalio.service import RPCError

    from workers.schedule import apply_schedules
    try:
        await apply_schedules(client)
    except RPCError as err:
        structlog.get_logger(__name__).warning("schedules not applied", error=err.message)


async def run_dev(args: argparse.Namespace, connect: Connect) -> int:
    from starter.settings import load_worker_tuning
    from workers.dev_server import DevServerError, DevServerSettings
    from workers.namespace_setup import NamespaceSetupError
    settings = DevServerSettings(ip=args.ip, port=args.port, ui_port=args.ui_port or args.port + 1000,
                                 db_filename=args.db_filename, namespace=args.namespace or "default")
    try:
        return await _run_dev(settings, outbox_dir(args), load_worker_tuning())
    except (DevServerError, NamespaceSetupError) as err:
        raise CliError(f"无法启动开发服务器 / cannot start the dev server: {err}") from None


async def _run_dev(settings, outbox: Path, tuning) -> int:
    import asyncio
    import dataclasses

    from starter.settings import load_notice_settings
    from workers.codec_server import start_for_dev
    from workers.dev_server import DevServer
    from workers.run import run_worker
    from workers.shutdown import shutdown_requested
    codec_server, endpoint = start_for_dev(settings.ui_port)  # payloads encrypted at rest
    settings = dataclasses.replace(settings, codec_endpoint=endpoint)
    with shutdown_requested() as stop:
        async with DevServer(settings) as server:
            print(
                f"yuqing dev: Temporal {settings.address} (namespace {settings.namespace}, "
                f"db {settings.db_filename})\n"
                f"  Web UI:  {settings.ui_url}/namespaces/{settings.namespace}/workflows\n"
                f"  outbox:  {outbox}\n"
                "  Ctrl-C 停止 / to stop",
                flush=True,
            )
            await apply_schedules_or_warn(server.client)  # what `yuqing schedules apply` does
            server_exit = asyncio.create_task(server.wait_exited())
            server_exit.add_done_callback(lambda _: stop.set())
            await run_worker(server.client, outbox, stop=stop, tuning=tuning,
                             notices=load_notice_settings())  # channels and contacts
            if server_exit.done():
                raise CliError(f"temporal 服务器意外退出 / the dev server exited unexpectedly "
                               f"(code {server_exit.result()}); see {settings.log_file}")
            server_exit.cancel()
    return 0


async def run_worker_command(args: argparse.Namespace, connect: Connect) -> int:
    """A worker only: schedules are `yuqing schedules apply`'s (deployment), never its own."""
    from starter.settings import load_notice_settings, load_worker_tuning
    from workers.run import run_worker
    tuning = load_worker_tuning()  # a bad [worker] table stops here, before anything starts
    notices = load_notice_settings()  # [notices]: a missing channel secret stops here too
    client = await connect()
    await run_worker(client, outbox_dir(args), tuning=tuning, notices=notices)
    return 0
