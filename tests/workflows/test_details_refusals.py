"""The current details show each refusal, an unknown message's included, after accepted updates."""

import asyncio

from temporalio.api.sdk.v1 import WorkflowMetadata

from tests.workflows.scenario import ACTOR, UNIT, report


async def details(handle) -> str:
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    return metadata.current_details


async def showing(handle, wanted: str) -> str:
    for _ in range(50):
        text = await details(handle)
        if wanted in text:
            return text
        await asyncio.sleep(0.1)
    raise AssertionError(f"current details never showed {wanted!r}:\n{text}")


async def test_a_misspelled_signal_after_an_update_is_shown(env, worker, incident_id):
    incident = await report(env, incident_id)
    await incident.handle.execute_update("acknowledge", {"unit_id": UNIT, "actor": ACTOR})
    await incident.handle.execute_update("supervise", {"actor": "市政府督查室 赵六",
                                                       "reason": "群众反映强烈，督办"})
    await showing(incident.handle, "supervise")
    await incident.handle.signal("acknowlege", {"unit_id": UNIT, "actor": "南通市住建局 张三"})
    await showing(incident.handle, "被拒绝 `acknowlege`（南通市住建局 张三）")

