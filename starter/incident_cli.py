"""`yuqing report`, `yuqing send`, `yuqing status`: one incident at a time."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from starter.cli_support import EXIT_BAD_INPUT, CliError, Connect, print_json


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser(
        "report", parents=[common],
        help="上报舆情（新建或并入）/ start the incident in FILE, or merge into the running one")
    report.add_argument("file", type=Path, metavar="FILE.json", help="上报 JSON / incident start JSON")
    report.set_defaults(handler=run_report, quiet=True)

    send = commands.add_parser(
        "send", parents=[common],
        help="发送消息并等待回执（validated update）/ send a message, print its receipt")
    send.add_argument("incident_id", metavar="INCIDENT_ID")
    send.add_argument("message", metavar="MESSAGE",  # checked when run: the models load then
                      help="消息名 / message name, e.g. acknowledge (README, \"Messages\")")
    send.add_argument("payload", metavar="JSON",
                      help="JSON 对象，或 @文件，或 - 读标准输入 / a JSON object, @FILE, or - for stdin")
    send.add_argument("--message-id", help="消息编号（缺省按内容生成）/ your id (default: from its content)")
    send.set_defaults(handler=run_send, quiet=True)

    status = commands.add_parser(
        "status", parents=[common],
        help="查询事件状态 JSON（时间为北京时间）/ print an incident's status as JSON")
    status.add_argument("incident_id", metavar="INCIDENT_ID")
    status.set_defaults(handler=run_status, quiet=True)


async def run_report(args: argparse.Namespace, connect: Connect) -> int:
    from temporalio.service import RPCError

    from starter.api import IncidentError, load_start_file, report_incident
    from starter.input_errors import describe_input_error
    from starter.ui_links import ui_base_url, workflow_url
    try:
        start = load_start_file(args.file)
    except (OSError, ValueError) as err:  # ValueError covers bad JSON and pydantic validation
        raise CliError(describe_input_error(args.file, err), EXIT_BAD_INPUT) from None
    client = await connect()
    try:
        handle = await report_incident(client, start)
    except (ValueError, IncidentError) as err:
        raise CliError(f"已拒绝 / refused: {err}", EXIT_BAD_INPUT) from None
    except RPCError as err:
        raise CliError(f"上报失败 / the report was refused: {err.message}") from None
    run_id = handle.result_run_id or handle.run_id
    url = workflow_url(ui_base_url(client.service_client.config.target_host),
                       client.namespace, handle.id, run_id)
    if args.output == "json":
        print_json({"incident_id": start.incident_id, "workflow_id": handle.id,
                    "run_id": run_id, "ui": url})
    else:
        print(f"已上报 / reported: {handle.id}")
        print(f"UI: {url}")
    return 0


def read_payload(argument: str) -> object:
    """The message's JSON: inline, ``@FILE`` or ``-`` for stdin; bad input is one line."""
    from starter.input_errors import describe_input_error, loads_json
    source = argument
    try:
        if argument == "-":
            source, text = "stdin", sys.stdin.read()
        elif argument.startswith("@"):
            source, text = argument[1:], Path(argument[1:]).read_text(encoding="utf-8")
        else:
            text = argument
        return loads_json(text)
    except OSError as err:
        raise CliError(describe_input_error(Path(source), err), EXIT_BAD_INPUT) from None
    except json.JSONDecodeError as err:
        raise CliError(f"消息不是有效的 JSON / the message is not valid JSON: {err.msg} "
                       f"(line {err.lineno}, column {err.colno})", EXIT_BAD_INPUT) from None


async def run_send(args: argparse.Namespace, connect: Connect) -> int:
    from domain.engine.registry import MESSAGES
    from starter.api import send_message
    if args.message not in MESSAGES:
        raise CliError(f"未知消息 / unknown message {args.message!r}; 可用 / known: "
                       f"{', '.join(MESSAGES)}", EXIT_BAD_INPUT)
    payload = read_payload(args.payload)
    client = await connect()
    return await print_answer(send_message(client, args.incident_id, args.message, payload,
                                           args.message_id),
                              "发送失败 / could not send")


async def run_status(args: argparse.Namespace, connect: Connect) -> int:
    client = await connect(plain_json=True)
    return await print_answer(status_as_json(client, args.incident_id),
                              "查询失败 / status query failed")


async def status_as_json(client, incident_id: str) -> dict:
    """The `status` query as the JSON it is (no models to build, so the command starts at
    once), headed by ``execution``: 进行中, or how the run ended (``starter.execution_state``).
    ``starter.api.status_report`` gives the same from the typed ``IncidentStatus``."""
    from temporal.names import workflow_id_for
    from starter.execution_state import headed_by_execution
    handle = client.get_workflow_handle(workflow_id_for(incident_id))
    return await headed_by_execution(client, incident_id, lambda: handle.query("status"))


async def print_answer(call, failed: str) -> int:
    """The receipt or status as JSON (in either output format: it is the contract's);
    the API's typed errors and the server's as one line."""
    from temporalio.client import WorkflowQueryFailedError, WorkflowUpdateFailedError
    from temporalio.service import RPCError

    from starter.errors import IncidentClosed, IncidentError, MessageRefused
    try:
        answer = await call
    except (MessageRefused, IncidentClosed, ValueError) as err:
        raise CliError(f"已拒绝 / refused: {err}", EXIT_BAD_INPUT) from None
    except IncidentError as err:  # not found
        raise CliError(str(err)) from None
    except RPCError as err:
        raise CliError(f"{failed}: {err.message}") from None
    except (WorkflowUpdateFailedError, WorkflowQueryFailedError) as err:
        raise CliError(f"{failed}: {getattr(err, 'cause', None) or err}") from None
    print_json(answer)
    return 0
