"""Key rotation in the wrong order (issue #20): a start encrypted under a key the worker
does not hold yet fails the workflow task, never the incident; a worker holding the key
picks the task up and the incident opens as usual."""

import asyncio
import dataclasses
from datetime import datetime, timezone

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from temporal.names import workflow_id_for
from starter.api import with_current_versions
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker
from tests.workflows.scenario import start_payload
from temporal.codec import EncryptionCodec, Keyring
from settings.keys import configured_converter
from workflows import IncidentWorkflow

OLD, NEW = b"o" * 32, b"n" * 32
QUEUE = "key-rotation"


def with_keys(client: Client, keyring: Keyring) -> Client:
    config = client.config()
    config["data_converter"] = dataclasses.replace(
        configured_converter(), payload_codec=EncryptionCodec(keyring))
    return Client(**config)


async def test_a_start_under_a_key_not_held_yet_waits_for_a_worker_with_it(tmp_path,
                                                                            incident_id):
    start = with_current_versions(start_payload(incident_id, datetime.now(timezone.utc)))
    async with await start_time_skipping_server() as env:
        starter = with_keys(env.client, Keyring({"k1": OLD, "k2": NEW}, "k2"))
        handle = await starter.start_workflow(
            IncidentWorkflow.run, start, id=workflow_id_for(incident_id), task_queue=QUEUE)
        async with incident_worker(with_keys(env.client, Keyring({"k1": OLD}, "k1")),
                                   tmp_path, task_queue=QUEUE):
            for _ in range(100):
                kinds = [e.event_type async for e in handle.fetch_history_events()]
                if EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED in kinds:
                    break
                await asyncio.sleep(0.1)
        assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED in kinds
        assert EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED not in kinds
        async with incident_worker(with_keys(env.client, Keyring({"k1": OLD, "k2": NEW}, "k2")),
                                   tmp_path, task_queue=QUEUE):
            status = None
            for _ in range(100):
                try:
                    status = await handle.query("status")
                    break
                except Exception:
                    await asyncio.sleep(0.2)
        assert status is not None and status["stage"] == "assignment"
