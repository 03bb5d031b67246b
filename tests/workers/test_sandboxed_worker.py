"""`[worker] sandbox = true`: the same incident, run in the SDK's sandbox with the pure
packages passed through, closes exactly as it does unsandboxed."""

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from benchmarks.drive import finish_product, start_product
from domain.status import IncidentStatus
from temporal.data_converter import DATA_CONVERTER
from workers.local_server import start_local_server
from tests.layering.sources import imported
from tests.layering.workflow_code import in_workflows
from workers.run import PASSED_THROUGH, build_worker, workflow_runner
from workers.tuning import WorkerTuning


def test_the_sandbox_is_chosen_only_when_configured():
    assert isinstance(workflow_runner(WorkerTuning(sandbox=True)), SandboxedWorkflowRunner)
    assert not isinstance(workflow_runner(WorkerTuning()), SandboxedWorkflowRunner)


def test_the_sandbox_shares_what_workflow_code_imports_but_the_shell():
    """What workflow code imports (found as the layering guards find it) and the SDK does not
    pass through already (the standard library, temporalio, pydantic), less ``workflows``."""
    packages = {name.split(".")[0] for path in in_workflows() for name in imported(path)}
    shared = SandboxRestrictions.default.passthrough_modules
    assert set(PASSED_THROUGH) == {p for p in packages if p not in shared} - {"workflows"}


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandboxed", "unsandboxed"])
@pytest.mark.timeout(120)
async def test_a_routine_incident_closes_the_same_in_and_out_of_the_sandbox(sandbox):
    env = await start_local_server(data_converter=DATA_CONVERTER)
    try:
        with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(4) as executor:
            async with build_worker(env.client, Path(folder) / "outbox", executor,
                                    archive_dir=Path(folder) / "archive",
                                    tuning=WorkerTuning(sandbox=sandbox)):
                handle = await start_product(env.client, "sandbox")
                await finish_product(handle)
                status = IncidentStatus.model_validate(
                    (await handle.result()).model_dump())
    finally:
        await env.shutdown()
    assert status.stage.value == "closed"
    assert [a.state.value for a in status.assignments] == ["completed"]
