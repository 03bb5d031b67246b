"""The routine single-unit incident, from report to accepted feedback, as a client drives it.

The same path as the recorded ``routine-nantong`` history, so the action count
measures exactly what the replay guard protects.
"""

from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from workers.recorded_scenarios import routine_nantong


async def run_routine_incident(env: WorkflowEnvironment) -> WorkflowHistory:
    handle = await routine_nantong(env)
    await handle.result()
    return await handle.fetch_history()
