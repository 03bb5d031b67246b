"""IncidentWorkflow's message handlers on a server: every message a signal and an update with
its validator, as the server lists them, and a typed client's call taken."""

from domain.engine.registry import MESSAGES
from domain.messages import Acknowledge
from domain.status import MessageReceipt
from tests.support import typed_client
from tests.workflows.scenario import ACTOR, UNIT, report
from tests.workflows.updates import refused, update_events


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
