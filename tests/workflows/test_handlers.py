"""IncidentWorkflow's handlers: declared, one signal and one update per message of the registry."""

import importlib.util
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from domain.engine.registry import MESSAGES
from domain.messages import Acknowledge
from domain.status import MessageReceipt
from tests.support import typed_client
from tests.workflows.scenario import ACTOR, UNIT, report
from tests.workflows.updates import refused, update_events
from workflows import IncidentWorkflow

ROOT = Path(__file__).resolve().parents[2]


def test_the_declarations_are_what_the_script_writes():
    """A message added to the registry without re-running scripts/declare_handlers.py fails."""
    check = subprocess.run([sys.executable, "scripts/declare_handlers.py", "--check"], cwd=ROOT)
    assert check.returncode == 0, "run scripts/declare_handlers.py"


def test_the_script_refuses_a_model_that_domain_messages_does_not_export():
    """The declarations name every model as ``m.<Model>`` (incident.py imports nothing else of
    them): a model kept elsewhere is a clear error, never a line that fails at import."""
    spec = importlib.util.spec_from_file_location("declare_handlers",
                                                  ROOT / "scripts" / "declare_handlers.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.model_reference(Acknowledge) == "m.Acknowledge"

    class Stray(Acknowledge):
        """走失的消息 a model defined outside domain.messages"""

    with pytest.raises(SystemExit, match="Stray is not exported by domain.messages"):
        script.model_reference(Stray)


def test_every_message_has_its_declared_signal_and_update():
    declared = {name for name, member in vars(IncidentWorkflow).items() if callable(member)}
    handlers = declared - {"__init__", "run", "unknown_signal", "unknown_update",
                           "validate_unknown_update", "status", "message_taken"}
    assert handlers == {*MESSAGES, *(f"{name}_update" for name in MESSAGES)}


async def test_every_update_has_its_validator(env, worker, incident_id):
    """Each message's update without a payload is refused by its validator: nothing of it
    reaches the history (an update without one would be accepted, then refused)."""
    incident = await report(env, incident_id)
    for name in MESSAGES:
        assert "0 个" in (await refused(incident, name)).message
    assert await update_events(incident) == []


async def test_the_server_lists_exactly_the_registry_s_messages(env, worker, incident_id):
    incident = await report(env, incident_id)
    definition = (await incident.handle.query("__temporal_workflow_metadata")).definition
    assert {s.name for s in definition.signal_definitions if s.name} == set(MESSAGES)
    assert {u.name for u in definition.update_definitions if u.name} == set(MESSAGES)


async def test_a_typed_client_call_names_the_declared_update(env, worker, incident_id):
    """``handle.execute_update(IncidentWorkflow.acknowledge_update, payload)`` (and the signal
    likewise): the first is taken, the update a retry of the same message id."""
    incident = await report(env, incident_id)
    message = Acknowledge(unit_id=UNIT, actor=ACTOR, message_id=f"{incident_id}-ack")
    receipt = await typed_client.acknowledge(env.client, incident.handle.id, message)
    assert isinstance(receipt, MessageReceipt) and receipt.message == "acknowledge"
    assert receipt.stage.value == "handling"


def test_the_handlers_take_any_payload_at_run_time():
    """The SDK converts a payload by the handler's own hints: any narrower than ``Any`` and a
    malformed signal would be dropped unrecorded (tests/workflows/test_malformed_messages.py)."""
    for name in MESSAGES:
        for handler in (getattr(IncidentWorkflow, name), getattr(IncidentWorkflow, f"{name}_update")):
            hints = typing.get_type_hints(handler)
            assert hints.pop("payloads") is typing.Any and hints.pop("self") is typing.Any, name


# What a client may write: a handler takes its message's model or its JSON object, nothing
# else; the lines marked ``# refused`` must be type errors, the others not.
CALLS = """
from typing import Any
from temporalio.client import WorkflowHandle
from domain.messages import Acknowledge, Supervise
from workflows import IncidentWorkflow

async def calls(handle: WorkflowHandle[IncidentWorkflow, Any], message: Acknowledge,
                other: Supervise, json_object: dict[str, Any]) -> None:
    await handle.signal(IncidentWorkflow.acknowledge, message)
    await handle.signal(IncidentWorkflow.acknowledge, json_object)
    await handle.execute_update(IncidentWorkflow.acknowledge_update, message)
    await handle.execute_update(IncidentWorkflow.acknowledge_update, json_object)
    await handle.execute_update(IncidentWorkflow.acknowledge_update, 42)  # refused
    await handle.execute_update(IncidentWorkflow.acknowledge_update, "签收")  # refused
    await handle.execute_update(IncidentWorkflow.acknowledge_update, other)  # refused
    await handle.execute_update(IncidentWorkflow.acknowledge_update)  # refused
    await handle.signal(IncidentWorkflow.acknowledge, 42)  # refused
    await handle.signal(IncidentWorkflow.acknowledge, other)  # refused
"""


@pytest.mark.timeout(120)
def test_the_typed_client_type_checks(tmp_path):
    """The handlers' owner is IncidentWorkflow itself (a base class would not type-check), and
    each takes its own message: a wrong payload is a type error, the right one is not."""
    calls = tmp_path / "calls.py"
    calls.write_text(CALLS, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports",
         "--no-incremental", "tests/support/typed_client.py", str(calls)],
        cwd=ROOT, capture_output=True, text=True)
    errors = re.findall(r"^(.+?):(\d+): error:", checked.stdout, re.MULTILINE)
    assert all(path == str(calls) for path, _ in errors), checked.stdout
    refused = {n for n, line in enumerate(CALLS.splitlines(), 1) if line.endswith("# refused")}
    assert {int(line) for _, line in errors} == refused, checked.stdout
