"""An incident's opening: its start validated, the deployment's settings read (立案)."""

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from domain.messages import IncidentStart
    from domain.procedure import deployment
    from domain.engine.step import Context, IncidentState
    from domain.workflow_versions import DEPLOYMENT_OWNS_SETTINGS, version_of
    from temporal.refusals import refused_start


async def deployment_settings(start: IncidentStart) -> deployment.DeploymentSettings | None:
    """What the worker's configuration says (recorded as a local activity's result).

    From workflow version 5 (named in the start, no marker); a new start naming an older
    version is caught by a version marker. Incidents recorded before keep the roster and
    defaults their start carried (None here); a new start that carries its own is refused.
    """
    if (version_of(start) < DEPLOYMENT_OWNS_SETTINGS
            and not workflow.patched(deployment.DEPLOYMENT_OWNS_SETTINGS_PATCH)):
        return None
    with refused_start():
        deployment.refuse_carried_settings(start)
    return await workflow.execute_local_activity(
        deployment.DEPLOYMENT_SETTINGS, result_type=deployment.DeploymentSettings,
        start_to_close_timeout=timedelta(seconds=30),
        retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1)))


class Opening:
    """The deployment's settings, read once when a new incident opens; the signals that
    come before are held here and taken afterwards, in their order."""

    def __init__(self, carried: bool) -> None:
        self.done = carried  # a continued run carries the settings it adopted
        self.held: list[tuple[str, tuple[Any, ...]]] = []
        self.cancellations = 0  # requests that came while the settings were read

    async def read_settings(self, start: IncidentStart, state: IncidentState,
                            context: Callable[[], Context]) -> None:
        """A cancellation request meanwhile never ends the incident: the read goes on
        (shielded) and the request is counted, to be refused once the incident is open."""
        if not self.done:
            reading = asyncio.ensure_future(deployment_settings(start))
            while True:
                try:
                    settings = await asyncio.shield(reading)
                    break
                except asyncio.CancelledError:
                    if reading.cancelled():
                        raise
                    self.cancellations += 1
            if settings:
                deployment.adopt_settings(state, settings, context())  # now: after the read
        self.done = True

    def release(self, receive: Callable[[str, tuple[Any, ...]], None]) -> None:
        while self.held:
            receive(*self.held.pop(0))
