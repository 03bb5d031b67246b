"""A client naming IncidentWorkflow's handlers typed: type-checked by tests/workflows/test_handlers.py."""

from typing import Any

from temporalio.client import Client

from workflows import IncidentWorkflow


async def acknowledge(client: Client, workflow_id: str, payload: dict[str, Any]) -> Any:
    handle = client.get_workflow_handle_for(IncidentWorkflow.run, workflow_id)
    await handle.signal(IncidentWorkflow.acknowledge, payload)
    return await handle.execute_update(IncidentWorkflow.acknowledge_update, payload)
