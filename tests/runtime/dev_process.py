"""A `yuqing dev` subprocess as the tests see it: its ports, folders, output; start and stop."""

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.runtime.cli_helpers import cli_env, yuqing_executable
from workers.dev_server import free_ports

STARTUP_SECONDS = 90
STOP_SECONDS = 30


@dataclass
class DevProcess:
    process: subprocess.Popen
    port: int
    ui_port: int
    workdir: Path
    outbox: Path
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """Environment for CLI commands that should talk to this server."""
        return cli_env(TEMPORAL_ADDRESS=self.address, TEMPORAL_NAMESPACE="default",
                       YUQING_UI_URL=f"http://127.0.0.1:{self.ui_port}",
                       YUQING_KEYS_FILE=str(self.workdir / "var" / "keys.json"))

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class StartupFailed(Exception):
    pass


def _wait_until_serving(dev: DevProcess) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if dev.process.poll() is not None:
            raise StartupFailed(f"yuqing dev exited with {dev.process.returncode}:\n{dev.output()}")
        if "worker started" in dev.output():
            return
        time.sleep(0.3)
    raise StartupFailed(f"yuqing dev not serving after {STARTUP_SECONDS}s:\n{dev.output()}")


def start_dev(workdir: Path, attempts: int = 3, **env: str) -> DevProcess:
    """`yuqing dev` on free ports in its own process group, serving when this returns;
    ``env`` adds to its clean environment (e.g. a channel's secret).

    Retries on fresh ports if one was taken meanwhile (the server also picks random ports).
    """
    for attempt in range(1, attempts + 1):
        port, ui_port = free_ports(2)
        log = workdir / f"yuqing-dev-{attempt}.log"
        outbox = workdir / "outbox"
        command = [
            yuqing_executable(), "dev", "--port", str(port), "--ui-port", str(ui_port),
            "--db-filename", str(workdir / "temporal.db"), "--outbox", str(outbox),
        ]  # fmt: skip
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=workdir, env=cli_env(YUQING_KEYS_FILE=str(workdir / "var" / "keys.json"), **env),
                stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,  # own group: killed as one
            )
        dev = DevProcess(process, port, ui_port, workdir, outbox, log)
        try:
            _wait_until_serving(dev)
            return dev
        except StartupFailed as failure:
            stop_process_group(process)
            if "already in use" not in str(failure) or attempt == attempts:
                pytest.fail(str(failure))
    raise AssertionError("unreachable")


async def start_worker_process(folder: Path, address: str, name: str = "worker",
                               **env: str) -> subprocess.Popen:
    """`yuqing worker` in ``folder`` (its yuqing.toml, outbox and ``<name>.log``), serving
    when this returns; ``env`` adds to the clean environment (e.g. a channel's secret)."""
    import asyncio

    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [yuqing_executable(), "worker", "--outbox", str(folder / "outbox")], cwd=folder,
            env=cli_env(TEMPORAL_ADDRESS=address, TEMPORAL_NAMESPACE="default",
                        YUQING_CONFIG=str(folder / "yuqing.toml"), **env),
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    for _ in range(STARTUP_SECONDS * 4):
        if "worker started" in log.read_text(errors="replace"):
            return process
        if process.poll() is not None:
            break
        await asyncio.sleep(0.25)
    stop_process_group(process)
    pytest.fail(f"worker did not start:\n{log.read_text(errors='replace')}")


def stop_process_group(process: subprocess.Popen, sig: int = signal.SIGTERM) -> int | None:
    """Signal the whole group (yuqing and anything it spawned); SIGKILL if it lingers."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
            return process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return process.wait(STOP_SECONDS)
