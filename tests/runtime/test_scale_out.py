"""Scale-out: two `yuqing worker` processes on one task queue share the incidents.

Each worker is a real process, as deployed (docs/scaling.md): the server hands each
new incident's first task to whichever worker polls first, and the incident's later
tasks stay with that worker (its cache) while it lives.
"""

import asyncio
import subprocess
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType

from benchmarks.drive import finish_product, start_product
from tests.runtime.dev_process import start_worker_process, stop_process_group
from settings.keys import configured_converter
from workers.local_server import start_local_server

INCIDENTS = 40


async def _start_worker(folder: Path, address: str) -> tuple[subprocess.Popen, Path]:
    folder.mkdir()
    (folder / "yuqing.toml").write_text("[worker]\nmax_cached_workflows = 500\n", "utf-8")
    return await start_worker_process(folder, address), folder / "worker.log"


@pytest.mark.timeout(240)
async def test_two_worker_processes_share_one_task_queue(tmp_path: Path):
    # the tests' keys, as the workers have
    env = await start_local_server(data_converter=configured_converter())
    address = env.client.service_client.config.target_host
    workers = []
    try:
        for name in ("worker-a", "worker-b"):
            workers.append(await _start_worker(tmp_path / name, address))
        for _, log in workers:  # the [worker] table of each one's yuqing.toml was applied
            assert "max_cached_workflows=500" in log.read_text(errors="replace")

        async def routine(i: int) -> str:
            handle = await start_product(env.client, f"scale-{i}")
            await finish_product(handle)
            return handle.id

        ids = await asyncio.gather(*(routine(i) for i in range(INCIDENTS)))
        handled: dict[str, int] = {}
        for workflow_id in ids:
            history = await env.client.get_workflow_handle(workflow_id).fetch_history()
            first = next(e for e in history.events
                         if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
            identity = first.workflow_task_completed_event_attributes.identity
            handled[identity] = handled.get(identity, 0) + 1
        pids = {str(process.pid) for process, _ in workers}
        assert {identity.split("@")[0] for identity in handled} == pids, handled
        assert sum(handled.values()) == INCIDENTS
        for name in ("worker-a", "worker-b"):  # each delivered its own incidents' forms
            assert list((tmp_path / name / "outbox").rglob("*.json")), name
    finally:
        for process, _ in workers:
            stop_process_group(process)
        await env.shutdown()
