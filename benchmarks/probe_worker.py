"""The probe's worker, unsandboxed like yuqing's, in its own process (read by RSS)."""

import asyncio
import sys

from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from benchmarks.probe_workflow import PROBE_TASK_QUEUE, MemoryProbe, noop


async def main(address: str) -> None:
    client = await Client.connect(address)
    async with Worker(client, task_queue=PROBE_TASK_QUEUE, workflows=[MemoryProbe],
                      activities=[noop], max_cached_workflows=20_000,
                      workflow_runner=UnsandboxedWorkflowRunner()):
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
