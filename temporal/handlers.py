"""How a message of the registry is declared to Temporal: a signal and an update of its name.

A workflow declares each in one line (``acknowledge, acknowledge_update =
message_handlers(m.Acknowledge)``, written by scripts/declare_handlers.py), and each hands
what came to the workflow's ``shell``: the run loop, or a recorded run's frozen shell.
Its run, which takes the start raw, is typed for a client the same way (``started_by``); a
message of a name the contract does not have reaches a dynamic signal, ``decoded`` here.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RawValue

from domain import messages as m
from domain.engine import registry
from domain.engine.registry import MESSAGE_DESCRIPTIONS
from domain.engine.step import Refusal
from domain.status import MessageReceipt
from temporal.refusals import refused

# Shown under each message in the UI's dialogs: prefer the update, which answers at once.
UPDATE_HINT = " ——推荐：立即返回受理回执，或拒绝理由 (answers at once)"
SIGNAL_HINT = " ——信号不回复；被拒绝时只记入当前详情，推荐改用 Send an Update"

M = TypeVar("M", bound=m.Message)
S = TypeVar("S", bound=BaseModel)
W = TypeVar("W")
R = TypeVar("R")
if TYPE_CHECKING:
    # The type checker's view only: a client sends one message, its model or its JSON object.
    # At run time the SDK converts payloads by the handler's own hints and passes as many as
    # came, so those stay ``*payloads: Any``: a typed hint would drop a signal that does not
    # fit, one parameter would fail the task on two payloads; the shell refuses either, saying why.
    MessageSignal: TypeAlias = Callable[[Any, M | dict[str, Any]], None]
    MessageUpdate: TypeAlias = workflow.UpdateMethodMultiParam[
        [Any, M | dict[str, Any]], MessageReceipt]
    # A message of a name the contract does not have (the dynamic handlers).
    UnknownSignal: TypeAlias = Callable[[Any, str, Sequence[RawValue]], None]
    UnknownUpdate: TypeAlias = workflow.UpdateMethodMultiParam[
        [Any, str, Sequence[RawValue]], None]
    # Likewise a run: the client starts it with the start's model or its JSON object.
    RawRun: TypeAlias = Callable[[W, RawValue], Awaitable[R]]
    StartedRun: TypeAlias = Callable[[W, S | dict[str, Any]], Awaitable[R]]


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


def unknown_message_handlers() -> "tuple[UnknownSignal, UnknownUpdate]":
    """The dynamic signal and update: a message of a name the contract does not have. The
    signal goes to the shell (``unknown_signal``: refused and recorded, never dropped); the
    update is never accepted: its validator refuses it before anything is recorded. (``self``
    bare: the SDK checks a dynamic handler's hints, and those of a bare ``self`` only skip it.)"""
    def unknown_signal(self, name: str, args: Sequence[RawValue]) -> None:
        self.shell.unknown_signal(name, args)

    def unknown_update(self, name: str, args: Sequence[RawValue]) -> None:
        raise refused(Refusal(registry.unknown_message(name)))

    def validate_unknown_update(self, name: str, args: Sequence[RawValue]) -> None:
        raise refused(Refusal(registry.unknown_message(name)))
    update = workflow.update(dynamic=True)(unknown_update)
    update.validator(validate_unknown_update)
    return workflow.signal(dynamic=True)(unknown_signal), update


def started_by(model: type[S]) -> "Callable[[RawRun[W, R]], StartedRun[W, S, R]]":
    """A run that takes its start raw (a start that does not fit is refused with a reason,
    never a failed task), typed for a client as taking ``model``: under ``@workflow.run``,
    ``client.start_workflow(Workflow.run, <model>)`` type-checks. At run time the run itself,
    its hints unchanged: the SDK still hands it a ``RawValue``."""
    def declared(run: "RawRun[W, R]") -> "StartedRun[W, S, R]":
        return cast("StartedRun[W, S, R]", run)
    return declared


def decoded(args: Sequence[RawValue]) -> tuple[Any, ...]:
    """What a dynamic handler got (a message the contract does not have), decoded; nothing
    when any of it does not decode: refused all the same, unsigned."""
    try:
        return tuple(workflow.payload_converter().from_payloads([a.payload for a in args]))
    except Exception:  # any undecodable payload
        return ()
