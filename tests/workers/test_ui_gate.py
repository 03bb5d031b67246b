"""The dev UI's gate (issue #23): production's UI settings, and the hidden actions refused."""

import asyncio
import json

from workers.dev_server import free_ports
from workers.ui_gate import UiGate, refused

SETTINGS = {"Version": "2.54.1", "WorkflowTerminateDisabled": False,
            "WorkflowSignalDisabled": False, "WorkflowUpdateDisabled": False}


def test_terminate_cancel_reset_batch_and_start_are_refused_signals_and_updates_pass():
    base = "/api/v1/namespaces/default/workflows/incident-NT-1"
    for path in (f"{base}/terminate", f"{base}/cancel", f"{base}/reset?x=1",
                 "/api/v1/namespaces/default/batch-operations/job-1", base):
        assert refused("POST", path), path
    for path in (f"{base}/signal/acknowledge", f"{base}/update/acknowledge",
                 f"{base}/query/status"):
        assert not refused("POST", path), path
    assert not refused("GET", f"{base}/terminate")  # reading is never refused


async def fake_ui(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """The embedded UI: settings as `temporal server start-dev` gives them; other paths echo."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode()
    path = head.split(" ")[1]
    body = json.dumps(SETTINGS if path == "/api/v1/settings" else {"path": path}).encode()
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
                 b"\r\n\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
    await writer.drain()
    writer.close()


async def get(port: int, method: str, path: str) -> tuple[str, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{{}}".encode())
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


async def test_the_gate_serves_production_settings_and_refuses_terminate():
    gate_port, ui_port = free_ports(2)
    upstream = await asyncio.start_server(fake_ui, "127.0.0.1", ui_port)
    gate = UiGate("127.0.0.1", gate_port, "127.0.0.1", ui_port)
    await gate.start()
    try:
        status, body = await get(gate_port, "GET", "/api/v1/settings")
        settings = json.loads(body)
        assert status.endswith("200 OK") and settings["Version"] == "2.54.1"
        assert settings["WorkflowTerminateDisabled"] and settings["WorkflowResetDisabled"]
        assert settings["BatchActionsDisabled"] and settings["WorkflowCancelDisabled"]
        assert not settings["WorkflowSignalDisabled"] and not settings["WorkflowUpdateDisabled"]
        status, body = await get(gate_port, "POST", "/api/v1/namespaces/default/workflows/w/terminate")
        assert status.endswith("403 Forbidden") and "终止" in body.decode()
        status, body = await get(gate_port, "POST", "/api/v1/namespaces/default/workflows/w/signal/x")
        assert b'"path": "/api/v1/namespaces/default/workflows/w/signal/x"' in body
    finally:
        await gate.close()
        upstream.close()
