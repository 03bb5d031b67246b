"""Shared fixtures: one time-skipping Temporal test server and one worker for the session;
a real dev server per module that asks for one; a data directory of a test's own."""

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
from temporal.data_converter import DATA_CONVERTER
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker
from workers.local_server import start_local_server
from workers.logging import configure_logging

# Fixtures offered to every test, defined where what they set up is (the ``verifying`` of
# docs/architecture.md's example, in tests/support/new_window.py): no test imports a fixture.
pytest_plugins = ["tests.support.new_window"]

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


@pytest_asyncio.fixture(scope="module")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real dev server for one test module, for what the time-skipping one lacks:
    visibility queries, schedules (tests/support/live_server.py)."""
    environment = await start_local_server(data_converter=DATA_CONVERTER)
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


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory of the test's own, with no key set: the keys are what it creates."""
    for name in ("YUQING_KEYS", "YUQING_KEYS_FILE", "YUQING_PLAINTEXT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("YUQING_HOME", str(tmp_path))
    return tmp_path
