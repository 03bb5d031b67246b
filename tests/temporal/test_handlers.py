"""temporal/handlers.py: a message declared as a workflow's signal and update, and a run that
takes its start raw, each typed for a client by its model. Checked on a workflow of this
test's own; IncidentWorkflow's declarations are tests/workflows/test_incident.py's."""

import typing
from types import SimpleNamespace

import pytest
from temporalio import workflow
from temporalio.common import RawValue

from domain.messages import Acknowledge, IncidentStart
from domain.status import IncidentStatus
from temporal.handlers import message_handlers, started_by
from tests.support.type_check import mypy_errors


async def run_raw(self: typing.Any, start: RawValue) -> IncidentStatus:
    raise NotImplementedError


@workflow.defn(name="Declared")  # the SDK refuses a class whose declarations do not fit
class Declared:
    @workflow.run
    @started_by(IncidentStart)
    async def run(self, start: RawValue) -> IncidentStatus:
        return await run_raw(self, start)

    acknowledge, acknowledge_update = message_handlers(Acknowledge)


class Shell:
    """What a workflow's ``shell`` is handed, kept."""

    def __init__(self) -> None:
        self.taken: list[tuple[str, str, tuple[typing.Any, ...]]] = []

    def take_signal(self, name: str, payloads: tuple[typing.Any, ...]) -> None:
        self.taken.append(("signal", name, payloads))

    async def take_update(self, name: str, payloads: tuple[typing.Any, ...]) -> str:
        self.taken.append(("update", name, payloads))
        return "receipt"


async def test_each_handler_hands_what_came_to_the_shell_under_the_message_s_name():
    owner = SimpleNamespace(shell=Shell())
    Declared.acknowledge(owner, {"unit_id": "u"})
    assert await Declared.acknowledge_update(owner, 1, 2) == "receipt"
    assert owner.shell.taken == [("signal", "acknowledge", ({"unit_id": "u"},)),
                                 ("update", "acknowledge", (1, 2))]


def test_the_handlers_and_the_run_take_any_payload_at_run_time():
    """The SDK converts a payload by the handler's own hints: any narrower than ``Any`` and a
    malformed signal would be dropped unrecorded (tests/workflows/test_malformed_messages.py);
    a typed start that failed to decode would fail the task for ever, never refused."""
    for handler in (Declared.acknowledge, Declared.acknowledge_update):
        hints = typing.get_type_hints(handler)
        assert hints.pop("payloads") is typing.Any and hints.pop("self") is typing.Any
    assert typing.get_type_hints(Declared.run)["start"] is RawValue
    assert started_by(IncidentStart)(run_raw) is run_raw  # the run itself, nothing wrapped


# What a client may write: a handler takes its message's model or its JSON object, and the
# run the start's, nothing else; the lines marked ``# refused`` must be type errors, the
# others not.
CALLS = """
from typing import Any, assert_type
from temporalio import workflow
from temporalio.client import Client, WorkflowHandle
from temporalio.common import RawValue
from domain.messages import Acknowledge, IncidentStart, Supervise
from domain.status import IncidentStatus
from temporal.handlers import message_handlers, started_by

@workflow.defn
class Declared:
    @workflow.run
    @started_by(IncidentStart)
    async def run(self, start: RawValue) -> IncidentStatus:
        raise NotImplementedError
    acknowledge, acknowledge_update = message_handlers(Acknowledge)

async def calls(client: Client, handle: WorkflowHandle[Declared, Any], message: Acknowledge,
                other: Supervise, json_object: dict[str, Any], start: IncidentStart) -> None:
    await handle.signal(Declared.acknowledge, message)
    await handle.signal(Declared.acknowledge, json_object)
    await handle.execute_update(Declared.acknowledge_update, message)
    await handle.execute_update(Declared.acknowledge_update, json_object)
    await handle.execute_update(Declared.acknowledge_update, 42)  # refused
    await handle.execute_update(Declared.acknowledge_update, "签收")  # refused
    await handle.execute_update(Declared.acknowledge_update, other)  # refused
    await handle.execute_update(Declared.acknowledge_update)  # refused
    await handle.signal(Declared.acknowledge, 42)  # refused
    await handle.signal(Declared.acknowledge, other)  # refused
    started = await client.start_workflow(Declared.run, start, id="i", task_queue="q")
    assert_type(started, WorkflowHandle[Declared, IncidentStatus])
    await client.start_workflow(Declared.run, json_object, id="i", task_queue="q")
    await client.start_workflow(Declared.run, message, id="i", task_queue="q")  # refused
    await client.start_workflow(Declared.run, "开始", id="i", task_queue="q")  # refused
    await client.start_workflow(Declared.run, id="i", task_queue="q")  # refused
"""


@pytest.mark.timeout(120)
def test_a_typed_client_type_checks_and_a_wrong_payload_is_a_type_error(tmp_path):
    """The handlers' owner is the workflow itself (a base class would not type-check), and
    each takes its own message, the run its start: a wrong payload is a type error, the
    right one is not."""
    calls = tmp_path / "calls.py"
    calls.write_text(CALLS, encoding="utf-8")
    errors, output = mypy_errors(calls)
    refused = {n for n, line in enumerate(CALLS.splitlines(), 1) if line.endswith("# refused")}
    assert {path for path, _ in errors} == {str(calls)}, output
    assert {line for _, line in errors} == refused, output
