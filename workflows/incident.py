"""IncidentWorkflow: one public-opinion incident (舆情事件) from report to close.

收集 → 研判 → 交办 → 办理回应 → 情况反馈 → 催办 → 督办 → 问责. The rules are the procedure's
(``domain.procedure``); the run loop (``workflows.loop``) carries out what it answers.
Here: the messages' handlers (declared in ``workflows.handlers``), the queries, and the one
seam that gives an incident recorded under workflow versions 1–5 its frozen shell
(``legacy``; ``workflows.versions`` says when).
"""

from collections.abc import Sequence
from typing import Any

from temporalio import workflow
from temporalio.common import RawValue

with workflow.unsafe.imports_passed_through():
    from domain.procedure import registry
    from domain.procedure.step import IncidentState, Refusal
    from domain.status import IncidentStatus, MessageReceipt
    from legacy.incident import LegacyIncident
    from workflows import versions
    from workflows.continuation import continued_from
    from workflows.handlers import SIGNAL_HINT, UPDATE_HINT, DeclaredMessages, refused
    from workflows.loop import Incident

__all__ = ["IncidentWorkflow", "SIGNAL_HINT", "UPDATE_HINT"]


@workflow.defn(name="IncidentWorkflow")
class IncidentWorkflow(DeclaredMessages):
    @workflow.init
    def __init__(self, start: RawValue) -> None:
        # Taken raw and validated by the shell: a typed argument that failed to decode would
        # fail every workflow task and leave the incident stuck. A carried state is taken
        # only from a run this one truly continues.
        payload = workflow.payload_converter().from_payloads([start.payload])[0]
        carried = continued_from(payload) if workflow.info().continued_run_id else None
        version = versions.version_of(carried.start) if carried else versions.named_in(payload)
        self.shell = (LegacyIncident(payload, carried) if versions.served_by_legacy(version)
                      else Incident(payload, carried))

    @workflow.run
    async def run(self, start: RawValue) -> IncidentStatus:
        return await self.shell.run()

    def take_signal(self, name: str, payloads: tuple[Any, ...]) -> None:
        self.shell.take_signal(name, payloads)

    async def take_update(self, name: str, payloads: tuple[Any, ...]) -> MessageReceipt:
        return await self.shell.take_update(name, payloads)

    def validate_update(self, name: str, payloads: tuple[Any, ...]) -> None:
        self.shell.validate_update(name, payloads)

    @workflow.signal(dynamic=True)
    def unknown_signal(self, name: str, args: Sequence[RawValue]) -> None:
        """A signal the contract does not have: refused and recorded, never dropped."""
        self.shell.unknown_signal(name, args)

    @workflow.update(dynamic=True)
    def unknown_update(self, name: str, args: Sequence[RawValue]) -> None:  # never accepted
        raise refused(Refusal(registry.unknown_message(name)))

    @unknown_update.validator
    def validate_unknown_update(self, name: str, args: Sequence[RawValue]) -> None:
        raise refused(Refusal(registry.unknown_message(name)))

    @workflow.query(description="舆情事件当前状态（阶段、督办、各单位交办单、各时限、时间线、被拒绝的消息）")
    def status(self) -> IncidentStatus:
        return self.shell.status()

    @workflow.query(description="某 message_id 是否已受理，及其回执 (was this message_id taken; its receipt)")
    def message_taken(self, message_id: str) -> dict[str, Any]:
        return self.shell.message_taken(message_id)  # for a sender whose wait was cut off

    @property
    def state(self) -> IncidentState:
        """The incident's state now (an audit's replay reads it)."""
        return self.shell.state
