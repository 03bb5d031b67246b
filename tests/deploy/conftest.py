"""A bare `temporal server start-dev` (no yuqing setup) to run the compose admin job against."""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from workers.dev_server import find_temporal_binary


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serving(binary: str, address: str, process: subprocess.Popen, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        health = [binary, "operator", "cluster", "health", "--address", address]
        if subprocess.run(health, capture_output=True).returncode == 0:
            return True
        time.sleep(0.5)
    return False


@pytest.fixture(scope="module")
def bare_temporal_address() -> Iterator[str]:
    binary = str(find_temporal_binary())
    for _attempt in range(3):  # a fresh port if the chosen one was taken meanwhile
        port = str(_free_port())
        process = subprocess.Popen(
            [binary, "server", "start-dev", "--ip", "127.0.0.1", "--port", port, "--headless"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            if _serving(binary, f"127.0.0.1:{port}", process):
                yield f"127.0.0.1:{port}"
                return
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    pytest.fail("a bare temporal dev server did not start")
