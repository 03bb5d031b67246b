"""Run docker-compose.yml's temporal-admin-tools script for real, against a bare dev server.

The compose file cannot be started here (no Docker engine), but its admin script is plain sh
calling the `temporal` CLI, which this venv ships: run it twice (first `up`, then a re-`up`).
"""

import os
import subprocess
from datetime import timedelta

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from tests.deploy.compose_file import environment, services, shell_script
from temporal.search_attributes import ALL_SEARCH_ATTRIBUTES
from workers.dev_server import find_temporal_binary
from workers.namespace_setup import namespace_retention

pytestmark = pytest.mark.timeout(180)

NAMESPACE = "yuqing-compose-check"  # not the dev server's default: exercises "create"


def run_admin_job(address: str) -> subprocess.CompletedProcess[str]:
    admin = services()["temporal-admin-tools"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEMPORAL_")}
    env.update(environment(admin))
    env.update(
        TEMPORAL_ADDRESS=address,
        NAMESPACE=NAMESPACE,
        TEMPORAL_CONFIG_FILE=os.devnull,
        PATH=f"{find_temporal_binary().parent}{os.pathsep}{env.get('PATH', '')}",
    )
    return subprocess.run(["/bin/sh", "-c", shell_script(admin)], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


async def test_admin_job_prepares_namespace_and_is_rerunnable(bare_temporal_address: str) -> None:
    for attempt in ("first up", "re-up"):
        result = run_admin_job(bare_temporal_address)
        assert result.returncode == 0, f"{attempt}:\n{result.stdout}\n{result.stderr}"

    client = await Client.connect(bare_temporal_address, namespace=NAMESPACE)
    registered = (
        await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=NAMESPACE)
        )
    ).custom_attributes
    assert {k.name: int(k.indexed_value_type) for k in ALL_SEARCH_ATTRIBUTES}.items() <= dict(
        registered
    ).items()
    assert await namespace_retention(client, NAMESPACE) == timedelta(hours=87600)
