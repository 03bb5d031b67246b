"""The embedded Temporal dev server (`temporal server start-dev`) that `yuqing dev` runs.

SQLite file, Web UI behind ``workers/ui_gate.py``, our search attributes, payload caps and
audit-length retention, stopped with us.

Why not ``WorkflowEnvironment.start_local`` (the SDK's helper, temporalio 1.35; the tests
and throwaway servers use it, ``workers/local_server.py``)? It takes everything that is a
flag — database file, ip, ports, UI, namespace, search attributes, dynamic config, the
codec endpoint and ``--ui-ip`` as extra arguments, an existing binary — and a restart is
just a second start on the same file. What its public surface does not offer, and `yuqing
dev` needs:

- **its own session**: the server runs in our process group, so a terminal's Ctrl-C
  reaches it at the same instant as us; here only we get it, stop the worker first (running
  activities finish and report to the server), then the server;
- **a graceful stop**: ``shutdown()`` ends the process at once (returns in about 5 ms, no
  stop lines in the server's log); here SIGTERM, then a kill after ``STOP_TIMEOUT``;
- **its own log file** (``var/temporal.log``): the helper's server writes into our stderr
  and stdout, between our log lines and `yuqing dev`'s banner;
- **dying with us**: if `yuqing dev` is killed outright the helper's server lives on,
  holding 7233/8233 and the database (here ``PR_SET_PDEATHSIG``);
- **noticing the server's exit** (``wait_exited``): no process handle is public.
"""

from __future__ import annotations

import asyncio
import ctypes
import signal
import socket
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import structlog
from temporalio.client import Client
from temporalio.service import RPCError

from temporal.search_attributes import ALL_SEARCH_ATTRIBUTES, cli_type_name
from workers.connect import connect_client
from workers.local_server import (
    STARTUP_TIMEOUT, DevServerError, dynamic_config_args, find_temporal_binary, free_ports,
)
from workers.ui_gate import UiGate
from workers.namespace_setup import (
    AUDIT_RETENTION,
    describe_namespace,
    ensure_retention,
    ensure_search_attributes,
)

log = structlog.get_logger(__name__)

STOP_TIMEOUT = timedelta(seconds=20)


@dataclass(frozen=True)
class DevServerSettings:
    ip: str = "127.0.0.1"
    port: int = 7233
    ui_port: int = 8233
    db_filename: Path = Path("var/temporal.db")
    namespace: str = "default"
    retention: timedelta = AUDIT_RETENTION
    codec_endpoint: str | None = None  # the UI decrypts payloads through it

    @classmethod
    def on_free_ports(cls, db_filename: Path) -> DevServerSettings:
        """A throwaway server's settings (benchmarks, the fault suite): any free ports."""
        port, ui_port = free_ports(2)
        return cls(port=port, ui_port=ui_port, db_filename=db_filename)

    @property
    def address(self) -> str:
        return f"{self.ip}:{self.port}"

    @property
    def ui_url(self) -> str:
        host = "localhost" if self.ip in ("0.0.0.0", "::") else self.ip
        return f"http://{host}:{self.ui_port}"

    @property
    def log_file(self) -> Path:
        return self.db_filename.with_suffix(".log")


def server_command(binary: Path, settings: DevServerSettings,
                   private_ui_port: int | None = None) -> list[str]:
    """``private_ui_port``: the UI listens there on loopback, behind workers/ui_gate.py."""
    command = [
        str(binary), "server", "start-dev",
        "--db-filename", str(settings.db_filename),
        "--ip", settings.ip,
        "--port", str(settings.port),
        "--ui-port", str(private_ui_port or settings.ui_port),
        "--namespace", settings.namespace,
    ]  # fmt: skip
    if private_ui_port:
        command += ["--ui-ip", "127.0.0.1"]
    if settings.codec_endpoint:
        command += ["--ui-codec-endpoint", settings.codec_endpoint]
    command += dynamic_config_args()
    # only honoured when the database is new; ensure_search_attributes covers reused files
    for key in ALL_SEARCH_ATTRIBUTES:
        command += ["--search-attribute", f"{key.name}={cli_type_name(key)}"]
    return command


def _assert_port_free(ip: str, port: int) -> None:
    # otherwise our readiness probe could talk to somebody else's server on that port
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as probe:
        # like the server's own listener: closed connections in TIME_WAIT do not count
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((ip, port))
        except OSError as err:
            raise DevServerError(
                f"port {port} on {ip} is already in use ({err.strerror}); is another Temporal "
                "server running? choose other ports with --port/--ui-port"
            ) from None


def _die_with_parent_hook():
    """Linux: the server gets SIGTERM if we are killed outright, so it never outlives us."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    return lambda: libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class DevServer:
    """``async with DevServer(settings) as server:`` → a ready server and ``server.client``."""

    def __init__(self, settings: DevServerSettings) -> None:
        self.settings = settings
        self._process: asyncio.subprocess.Process | None = None
        self._connected: Client | None = None
        self._gate: UiGate | None = None  # the UI as production shows it (workers/ui_gate.py)

    @property
    def client(self) -> Client:
        if self._connected is None:
            raise DevServerError("the dev server is not started")
        return self._connected

    async def __aenter__(self) -> DevServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        settings = self.settings
        _assert_port_free(settings.ip, settings.port)
        _assert_port_free(settings.ip, settings.ui_port)
        settings.db_filename.parent.mkdir(parents=True, exist_ok=True)
        [private_ui_port] = free_ports(1)
        command = server_command(find_temporal_binary(), settings, private_ui_port)
        log.info("starting temporal dev server", address=settings.address,
                 db=str(settings.db_filename), server_log=str(settings.log_file))  # fmt: skip
        with settings.log_file.open("ab") as server_log:
            self._process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=server_log,
                stderr=asyncio.subprocess.STDOUT,
                # own session: a terminal's Ctrl-C reaches only us, and we stop the worker first
                start_new_session=True,
                preexec_fn=_die_with_parent_hook(),
            )
        try:
            self._connected = await self._wait_until_ready()
            await ensure_search_attributes(
                self._connected, settings.namespace, ALL_SEARCH_ATTRIBUTES
            )
            await ensure_retention(self._connected, settings.namespace, settings.retention)
            self._gate = UiGate(settings.ip, settings.ui_port, "127.0.0.1", private_ui_port)
            await self._gate.start()
        except BaseException:
            await self.stop()
            raise

    async def _wait_until_ready(self) -> Client:
        deadline = asyncio.get_running_loop().time() + STARTUP_TIMEOUT.total_seconds()
        last_error: BaseException | None = None
        while asyncio.get_running_loop().time() < deadline:
            if self._process is None or self._process.returncode is not None:
                raise DevServerError(
                    f"temporal server exited early; see {self.settings.log_file}:\n"
                    + self._log_tail()
                )
            try:
                # the namespace is created a moment after the frontend answers
                client = await asyncio.wait_for(
                    connect_client(
                        target_host=self.settings.address,
                        namespace=self.settings.namespace,
                    ),
                    timeout=5,
                )
                await describe_namespace(client, self.settings.namespace)
                return client
            except (RuntimeError, OSError, RPCError, asyncio.TimeoutError) as err:
                last_error = err
            await asyncio.sleep(0.5)
        raise DevServerError(
            f"temporal server at {self.settings.address} did not answer within "
            f"{STARTUP_TIMEOUT.total_seconds():.0f}s (last error: {last_error})"
        )

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.settings.log_file.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    async def wait_exited(self) -> int:
        """Returns when the server process ends, with its exit code."""
        if self._process is None:
            raise DevServerError("the dev server is not started")
        return await self._process.wait()

    async def stop(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            await gate.close()
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        log.info("stopping temporal dev server")
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT.total_seconds())
        except asyncio.TimeoutError:
            log.warning("temporal dev server did not stop in time; killing it")
            process.kill()
            await process.wait()

