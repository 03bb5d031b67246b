"""The worker of the release before workflow version 6, for a test: every run on the frozen
shell, and no ``one-run-loop`` marker asked for (that release knew none).

Registered under the incident's workflow type on a worker of its own, it opens an incident
as that release did (the recorded histories of versions 1–5 replay on the frozen shell: its
commands are that release's). A current worker that takes the run over replays that opening
without the marker, so its seam keeps the frozen shell for all the run's new work — as for
an incident still open when the workers are upgraded. Messages, queries and the run come
from ``IncidentWorkflow``: only the choice of shell differs.
"""

from temporalio import workflow
from temporalio.common import RawValue

with workflow.unsafe.imports_passed_through():
    from domain.engine.continuation import continued_from
    from domain.status import IncidentStatus
    from legacy.incident import LegacyIncident
    from temporal.names import WORKFLOW_TYPE

from workflows import IncidentWorkflow  # noqa: E402


@workflow.defn(name=WORKFLOW_TYPE)
class ReleaseBeforeSix(IncidentWorkflow):
    @workflow.init
    def __init__(self, start: RawValue) -> None:  # the seam as it was: no marker, no loop
        payload = workflow.payload_converter().from_payloads([start.payload])[0]
        carried = continued_from(payload) if workflow.info().continued_run_id else None
        self.shell = LegacyIncident(payload, carried)

    @workflow.run
    async def run(self, start: RawValue) -> IncidentStatus:
        return await self.shell.run()
