"""IncidentWorkflow's handlers: declared, one signal and one update per message of the registry."""

import subprocess
import sys
from pathlib import Path

import pytest

from domain.engine.registry import MESSAGES
from domain.status import MessageReceipt
from tests.support import typed_client
from tests.workflows.scenario import ACTOR, UNIT, report
from tests.workflows.test_updates import refused, update_events
from workflows import IncidentWorkflow

ROOT = Path(__file__).resolve().parents[2]


def test_the_declarations_are_what_the_script_writes():
    """A message added to the registry without re-running scripts/declare_handlers.py fails."""
    check = subprocess.run([sys.executable, "scripts/declare_handlers.py", "--check"], cwd=ROOT)
    assert check.returncode == 0, "run scripts/declare_handlers.py"


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
    payload = {"unit_id": UNIT, "actor": ACTOR, "message_id": f"{incident_id}-ack"}
    receipt = await typed_client.acknowledge(env.client, incident.handle.id, payload)
    assert isinstance(receipt, MessageReceipt) and receipt.message == "acknowledge"
    assert receipt.stage.value == "handling"


@pytest.mark.timeout(120)
def test_the_typed_client_type_checks():
    """The handlers' owner is IncidentWorkflow itself (a base class would not type-check)."""
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports",
         "--no-incremental", "tests/support/typed_client.py"],
        cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
