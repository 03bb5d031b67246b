"""IncidentWorkflow's declarations: one signal and one update per message of the registry, as
scripts/declare_handlers.py writes them, and a run taking its start raw, typed for a client
(temporal/handlers.py's, tested in tests/temporal/test_handlers.py). No server needed."""

import subprocess
import sys
import typing
from pathlib import Path

import pytest
from temporalio.common import RawValue

from domain.engine.registry import MESSAGES
from domain.messages import Acknowledge
from tests.support.type_check import mypy_errors
from workflows import IncidentWorkflow

ROOT = Path(__file__).resolve().parents[2]


def test_the_declarations_are_what_the_script_writes():
    """A message added to the registry without re-running scripts/declare_handlers.py fails."""
    check = subprocess.run([sys.executable, "scripts/declare_handlers.py", "--check"], cwd=ROOT)
    assert check.returncode == 0, "run scripts/declare_handlers.py"


def test_the_script_refuses_a_model_that_domain_messages_does_not_export():
    """The declarations name every model as ``m.<Model>`` (incident.py imports nothing else of
    them): a model kept elsewhere is a clear error, never a line that fails at import."""
    from scripts import declare_handlers as script
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


def test_the_handlers_and_the_run_take_any_payload_at_run_time():
    """The SDK converts a payload by the handler's own hints: any narrower than ``Any`` and a
    malformed signal would be dropped unrecorded (tests/workflows/test_malformed_messages.py),
    a start that did not fit its hint would fail the task for ever instead of being refused."""
    for name in MESSAGES:
        for handler in (getattr(IncidentWorkflow, name), getattr(IncidentWorkflow, f"{name}_update")):
            hints = typing.get_type_hints(handler)
            assert hints.pop("payloads") is typing.Any and hints.pop("self") is typing.Any, name
    assert typing.get_type_hints(IncidentWorkflow.run)["start"] is RawValue


@pytest.mark.timeout(120)
def test_the_typed_client_type_checks():
    """tests/support/typed_client.py names IncidentWorkflow's handlers, each with its own
    message, and asserts the update's answer type: were they declared loosely, or on a base
    class, it would not type-check. (The typed start is starter/api.py's, in the product's
    own mypy run; a wrong message or start is a type error: tests/temporal/test_handlers.py.)"""
    errors, output = mypy_errors("tests/support/typed_client.py")
    assert errors == [], output
