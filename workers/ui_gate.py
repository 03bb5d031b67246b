"""The dev UI's gate (开发界面门禁): `yuqing dev`'s Web UI with production's settings.

`temporal server start-dev` builds its UI's configuration in code: no flag, file or
environment variable hides an action there (production's UI takes
``TEMPORAL_WORKFLOW_TERMINATE_DISABLED`` & co., docker-compose.yml). So the embedded UI
listens on a private loopback port and this gate serves it on the UI port: the UI's
settings answer says terminate, cancel, reset, pause, activity commands, batch actions and
starting workflows are disabled (the UI then hides them), and those calls are refused here
even when typed by hand. Everything else (pages, lists, signals, updates, queries) passes through unchanged.
"""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import unquote

import structlog

from domain.limits import MAX_PAYLOAD_BYTES

log = structlog.get_logger(__name__)

SETTINGS_PATH = "/api/v1/settings"
DISABLED = ("WorkflowTerminateDisabled", "WorkflowCancelDisabled", "WorkflowResetDisabled",
            "BatchActionsDisabled", "StartWorkflowDisabled",
            # a paused incident (or its notice activities) acts on no deadline: a freeze
            "WorkflowPauseDisabled", "ActivityCommandsDisabled")
# The UI server's routes for those actions (POST): refused here as well.
REFUSED = re.compile(r"/(terminate|cancel|reset|pause|update-options|batch-operations?)(/[^/]*)?$"
                     r"|/namespaces/[^/]+/workflows/[^/]+$")
MESSAGE_ROUTE = re.compile(r"/(signal|update)/[^/]*$")
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 2 * MAX_PAYLOAD_BYTES  # a signal's JSON (payload base64-encoded) fits well
REFUSAL = json.dumps({"code": 7, "message": (
    "开发界面与生产一致，不提供终止、取消、重置、批量操作和启动工作流：事件只能经办结或撤销（withdraw）结束 "
    "(disabled in yuqing's UI, as in production)")}, ensure_ascii=False).encode("utf-8")

REFUSAL_SIZE = json.dumps({"code": 3, "message": (
    f"请求过大（上限 {MAX_BODY_BYTES} 字节）(request body too large)")}, ensure_ascii=False).encode()


def _response(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


def refused(method: str, target: str) -> bool:
    """A write the production UI does not offer (its route, not a signal or update). Only
    the decoded path decides: a query string or a percent-encoded letter changes nothing."""
    path = unquote(target.split("?", 1)[0])
    return method.upper() == "POST" and not MESSAGE_ROUTE.search(path) \
        and bool(REFUSED.search(path))


def production_settings(body: bytes) -> bytes:
    settings = json.loads(body)
    settings.update({name: True for name in DISABLED})
    return json.dumps(settings).encode("utf-8")


def _dechunked(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out


class UiGate:
    """``await UiGate(host, port, upstream_port).start()``; ``close()`` stops it."""

    def __init__(self, host: str, port: int, upstream_host: str, upstream_port: int) -> None:
        self.host, self.port = host, port
        self.upstream = (upstream_host, upstream_port)
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            if len(head) > MAX_HEADER_BYTES:
                raise ValueError("header too large")
            method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            size = int(length.group(1)) if length else 0
            if size > MAX_BODY_BYTES:  # refused unread: no client makes the gate hold more
                writer.write(_response("413 Payload Too Large", REFUSAL_SIZE))
                await writer.drain()
                return
            body = await reader.readexactly(size)
            if refused(method, path):
                log.warning("ui_action_refused", method=method, path=path)
                writer.write(_response("403 Forbidden", REFUSAL))
            else:
                await self._forward(head, body, path.split("?")[0] == SETTINGS_PATH, writer)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass  # a client that left or spoke no HTTP: nothing to answer
        finally:
            writer.close()

    async def _forward(self, head: bytes, body: bytes, settings: bool,
                       writer: asyncio.StreamWriter) -> None:
        """One request per upstream connection (Connection: close), the answer streamed back."""
        lines = [line for line in head.decode("latin-1").split("\r\n")[:-2]
                 if not re.match(r"(?i)(connection|keep-alive)\s*:", line)
                 and not (settings and re.match(r"(?i)accept-encoding\s*:", line))]
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        try:
            up_writer.write(("\r\n".join(lines) + "\r\nConnection: close\r\n\r\n").encode("latin-1")
                            + body)
            await up_writer.drain()
            if settings:
                answer = await up_reader.read()
                up_head, _, up_body = answer.partition(b"\r\n\r\n")
                if re.search(rb"(?im)^transfer-encoding:\s*chunked", up_head):
                    up_body = _dechunked(up_body)
                writer.write(_response("200 OK", production_settings(up_body)))
                return
            while chunk := await up_reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        finally:
            up_writer.close()
