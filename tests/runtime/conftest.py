"""A real `yuqing dev` (embedded server + worker) on free ports, shared by a test module."""

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from temporalio.client import Client

from tests.runtime.dev_process import DevProcess, start_dev, stop_process_group

from temporal.data_converter import DATA_CONVERTER


@pytest.fixture(scope="module")
def running_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevProcess]:
    dev = start_dev(tmp_path_factory.mktemp("yuqing-dev"))
    try:
        yield dev
    finally:
        stop_process_group(dev.process)


@pytest_asyncio.fixture(scope="module")
async def dev_client(running_dev: DevProcess) -> AsyncIterator[Client]:
    yield await Client.connect(
        running_dev.address, namespace="default", data_converter=DATA_CONVERTER
    )
