"""A client naming IncidentWorkflow's handlers typed: type-checked by tests/workflows/test_handlers.py.

The update's answer is declared a ``MessageReceipt``: were the handlers declared loosely
(``Any``), ``assert_type`` below would fail the type check."""

from typing import Any, assert_type

from temporalio.client import Client

from domain.status import MessageReceipt
from workflows import IncidentWorkflow


async def acknowledge(client: Client, workflow_id: str, payload: dict[str, Any]) -> MessageReceipt:
    handle = client.get_workflow_handle_for(IncidentWorkflow.run, workflow_id)
    await handle.signal(IncidentWorkflow.acknowledge, payload)
    receipt = await handle.execute_update(IncidentWorkflow.acknowledge_update, payload)
    assert_type(receipt, MessageReceipt)
    return receipt
