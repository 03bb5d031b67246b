"""The dev UI's gate (issue #23): production's UI settings, and the hidden actions refused."""

import asyncio
import json
from contextlib import asynccontextmanager

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


@asynccontextmanager
async def gated():
    """The gate in front of the fake UI; yields the gate's port."""
    gate_port, ui_port = free_ports(2)
    upstream = await asyncio.start_server(fake_ui, "127.0.0.1", ui_port)
    gate = UiGate("127.0.0.1", gate_port, "127.0.0.1", ui_port)
    await gate.start()
    try:
        yield gate_port
    finally:
        await gate.close()
        upstream.close()


async def test_the_gate_serves_production_settings_and_refuses_terminate():
    async with gated() as gate_port:
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


def test_no_query_string_or_percent_encoding_slips_a_hidden_action_past_the_gate():
    """The action is the path's: a query naming /signal/ or an encoded letter changes nothing."""
    base = "/api/v1/namespaces/default/workflows/incident-NT-1"
    for path in (f"{base}/terminate?x=/signal/", f"{base}/reset?via=/update/a",
                 f"{base}/%74erminate", f"{base}/runs/r1/terminate?q=/signal/s"):
        assert refused("POST", path), path
    assert refused("post", f"{base}/terminate")  # the method's case is not the route's
    assert not refused("POST", f"{base}/signal/acknowledge?x=terminate")


async def test_a_body_larger_than_any_message_is_refused_unread():
    from workers.ui_gate import MAX_BODY_BYTES
    async with gated() as gate_port:
        reader, writer = await asyncio.open_connection("127.0.0.1", gate_port)
        writer.write(f"POST /api/v1/namespaces/default/workflows/w/signal/x HTTP/1.1\r\nHost: x"
                     f"\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode())
        answer = await asyncio.wait_for(reader.read(), 10)  # answered without the body sent
        writer.close()
        assert answer.split(b"\r\n")[0].endswith(b"413 Payload Too Large")


def test_pausing_an_incident_or_its_activities_is_refused_and_hidden():
    """A paused incident's deadlines act on nothing until someone unpauses it: a freeze by one
    click. The embedded UI offers workflow pause and activity commands: hidden and refused."""
    from workers.ui_gate import production_settings
    base = "/api/v1/namespaces/default/workflows/incident-NT-1"
    for path in (f"{base}/pause", "/api/v1/namespaces/default/activities/pause",
                 "/api/v1/namespaces/default/activities/update-options"):
        assert refused("POST", path), path
    assert not refused("POST", f"{base}/unpause")  # the remedy stays open
    settings = json.loads(production_settings(json.dumps(SETTINGS).encode()))
    assert settings["WorkflowPauseDisabled"] and settings["ActivityCommandsDisabled"]
