"""A client naming IncidentWorkflow's handlers typed: type-checked by tests/workflows/test_incident.py.

The update's answer is declared a ``MessageReceipt``: were the handlers declared loosely
(``Any``), ``assert_type`` below would fail the type check. A handler takes its message's
model or that model's JSON object; the signal is sent as the one, the update as the other."""

from typing import assert_type

from temporalio.client import Client

from domain.messages import Acknowledge
from domain.status import MessageReceipt
from workflows import IncidentWorkflow


async def acknowledge(client: Client, workflow_id: str, message: Acknowledge) -> MessageReceipt:
    handle = client.get_workflow_handle_for(IncidentWorkflow.run, workflow_id)
    await handle.signal(IncidentWorkflow.acknowledge, message.model_dump(mode="json"))
    receipt = await handle.execute_update(IncidentWorkflow.acknowledge_update, message)
    assert_type(receipt, MessageReceipt)
    return receipt
