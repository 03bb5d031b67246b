"""Shared fixtures: one time-skipping Temporal test server and one worker for the session."""

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from settings.keys import throwaway_home
from starter.title_words import title_words
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker
from workers.logging import configure_logging

# The tests' own data directory with its own key, never the checkout's var/ (fail closed:
# nothing runs without a key), deleted when the run ends; a YUQING_HOME already set is
# used as it is and kept.
_home = contextlib.ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    given = os.environ.get("YUQING_HOME")
    _home.enter_context(throwaway_home(Path(given) if given else None, prefix="yuqing-tests-"))


def pytest_unconfigure(config: pytest.Config) -> None:
    _home.close()

# As in every yuqing process: log lines go to stderr, never into a command's stdout
# (the log's listener thread would otherwise print into a captured JSON answer).
configure_logging()


@pytest_asyncio.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    # The title segmenter loads its dictionary on first use (about a second): loaded here,
    # so the first incident a test reports starts as promptly as the next ones.
    title_words("预热")
    environment = await start_time_skipping_server()
    try:
        yield environment
    finally:
        await environment.shutdown()


@pytest.fixture(scope="session")
def outbox_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outbox")


@pytest_asyncio.fixture(scope="session")
async def worker(env: WorkflowEnvironment, outbox_dir: Path) -> AsyncIterator[Worker]:
    async with incident_worker(env.client, outbox_dir) as running:
        yield running


@pytest.fixture
def incident_id() -> str:
    return f"T-{uuid.uuid4().hex[:12]}"
