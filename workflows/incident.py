"""IncidentWorkflow: one public-opinion incident (舆情事件) from report to close.

收集 → 研判 → 交办 → 办理回应 → 情况反馈 → 催办 → 督办 → 问责. The rules are the procedure's
(``domain.procedure``); the run loop (``workflows.loop``) carries out what it answers.
Here: the one seam that gives a run recorded under workflow versions 1–5 its frozen shell
(``legacy``), the queries, and a signal and an update per message of
``domain.engine.registry`` (written by scripts/declare_handlers.py), typed by the message's
model for a client and taking ``*payloads`` undecoded at run time, so a payload that does not
fit is refused with a reason where the SDK would drop a signal.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

from temporalio import workflow
from temporalio.common import RawValue

with workflow.unsafe.imports_passed_through():
    from domain import messages as m
    from domain.engine import registry
    from domain.engine.registry import MESSAGE_DESCRIPTIONS
    from domain.engine.step import IncidentState, Refusal
    from domain.status import IncidentStatus, MessageReceipt
    from domain.engine.continuation import continued_from
    from domain.workflow_versions import ONE_RUN_LOOP, ONE_RUN_LOOP_PATCH, named_in, version_of
    from legacy.incident import LegacyIncident
    from temporal.names import WORKFLOW_TYPE
    from temporal.refusals import refused

# Not passed through: a sandboxed worker (the tests' and `sandbox = true`) imports the run
# loop afresh for every run and so checks its every line at run time (the frozen shell is
# passed through: its code no longer changes).
from workflows.loop import RunLoop  # noqa: E402

# Shown under each message in the UI's dialogs: prefer the update, which answers at once.
UPDATE_HINT = " ——推荐：立即返回受理回执，或拒绝理由 (answers at once)"
SIGNAL_HINT = " ——信号不回复；被拒绝时只记入当前详情，推荐改用 Send an Update"

M = TypeVar("M", bound=m.Message)
if TYPE_CHECKING:
    # The type checker's view only: a client sends one message, its model or its JSON object.
    # At run time the SDK converts payloads by the handler's own hints and passes as many as
    # came, so those stay ``*payloads: Any``: a typed hint would drop a signal that does not
    # fit, one parameter would fail the task on two payloads; the shell refuses either, saying why.
    MessageSignal: TypeAlias = Callable[["IncidentWorkflow", M | dict[str, Any]], None]
    MessageUpdate: TypeAlias = workflow.UpdateMethodMultiParam[
        ["IncidentWorkflow", M | dict[str, Any]], MessageReceipt]


def message_handlers(model: type[M]) -> "tuple[MessageSignal[M], MessageUpdate[M]]":
    """A message's signal (no answer: a refusal is only recorded) and its update (answered
    with a receipt; its validator refuses what does not fit before anything is recorded)."""
    name = registry.message_name(model)

    def take_signal(self: Any, *payloads: Any) -> None:
        self.shell.take_signal(name, payloads)

    async def take_update(self: Any, *payloads: Any) -> MessageReceipt:
        return await self.shell.take_update(name, payloads)

    def validate(self: Any, *payloads: Any) -> None:
        self.shell.validate_update(name, payloads)
    signal = workflow.signal(name=name, description=MESSAGE_DESCRIPTIONS[name] + SIGNAL_HINT)
    update = workflow.update(name=name, description=MESSAGE_DESCRIPTIONS[name] + UPDATE_HINT)
    declared = update(take_update)
    declared.validator(validate)
    return cast("MessageSignal[M]", signal(take_signal)), cast("MessageUpdate[M]", declared)


@workflow.defn(name=WORKFLOW_TYPE)
class IncidentWorkflow:
    @workflow.init
    def __init__(self, start: RawValue) -> None:
        # Taken raw and validated by the shell: a typed argument that failed to decode would
        # fail every workflow task and leave the incident stuck. A carried state is taken
        # only from a run this one truly continues.
        payload = workflow.payload_converter().from_payloads([start.payload])[0]
        carried = continued_from(payload) if workflow.info().continued_run_id else None
        version = version_of(carried.start) if carried else named_in(payload)
        # Versions 1–5 on their own shell: only the replay of a run recorded without the
        # marker; a new start or a continued run records it (docs/architecture.md, Versions).
        legacy = version < ONE_RUN_LOOP and not workflow.patched(ONE_RUN_LOOP_PATCH)
        self.shell = LegacyIncident(payload, carried) if legacy else RunLoop(payload, carried)

    @workflow.run
    async def run(self, start: RawValue) -> IncidentStatus:
        return await self.shell.run()

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

    # ---- generated by scripts/declare_handlers.py: a signal and an update per message
    add_report, add_report_update = message_handlers(m.AddReport)
    analyze, analyze_update = message_handlers(m.Analyze)
    record_consultation, record_consultation_update = message_handlers(m.RecordConsultation)
    acknowledge, acknowledge_update = message_handlers(m.Acknowledge)
    backfill_form, backfill_form_update = message_handlers(m.BackfillForm)
    return_assignment, return_assignment_update = message_handlers(m.ReturnAssignment)
    request_extension, request_extension_update = message_handlers(m.RequestExtension)
    decide_extension, decide_extension_update = message_handlers(m.DecideExtension)
    record_response, record_response_update = message_handlers(m.RecordResponse)
    submit_feedback, submit_feedback_update = message_handlers(m.SubmitFeedback)
    review_feedback, review_feedback_update = message_handlers(m.ReviewFeedback)
    leader_instruction, leader_instruction_update = message_handlers(m.LeaderInstruction)
    supervise, supervise_update = message_handlers(m.Supervise)
    start_accountability, start_accountability_update = message_handlers(m.StartAccountability)
    transfer_to_police, transfer_to_police_update = message_handlers(m.TransferToPolice)
    withdraw, withdraw_update = message_handlers(m.Withdraw)
    sanction, sanction_update = message_handlers(m.Sanction)
    update_roster, update_roster_update = message_handlers(m.UpdateRoster)
    # ---- end of the generated declarations
