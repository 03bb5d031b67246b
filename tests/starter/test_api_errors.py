"""Issue #24: the Python API raises typed errors, never a raw RPCError, for an incident that
is missing, has ended, or refuses a message."""

import pytest

from starter.api import (
    IncidentClosed, IncidentError, IncidentNotFound, MessageRefused, incident_status,
    report_incident, send_message,
)
from tests.workflows.scenario import report, start_payload


async def test_a_missing_incident_is_incident_not_found(env, worker):
    with pytest.raises(IncidentNotFound, match="NT-NOBODY"):
        await incident_status(env.client, "NT-NOBODY")
    with pytest.raises(IncidentNotFound, match="没有该事件"):
        await send_message(env.client, "NT-NOBODY", "acknowledge",
                           {"unit_id": "u1", "actor": "张三"})


async def test_a_refused_message_and_an_ended_incident_say_why(env, worker, incident_id):
    incident = await report(env, incident_id, category="R4")
    with pytest.raises(MessageRefused) as refused:
        await send_message(env.client, incident_id, "acknowledge",
                           {"unit_id": "nobody", "actor": "张三"})
    assert refused.value.reason and isinstance(refused.value, IncidentError)
    await incident.send("withdraw", reason="经核实不属于政务舆情")
    await incident.handle.result()
    with pytest.raises(IncidentClosed, match="已撤销") as closed:
        await send_message(env.client, incident_id, "acknowledge",
                           {"unit_id": "u1", "actor": "张三"})
    assert closed.value.ended.startswith("已撤销")
    with pytest.raises(IncidentClosed, match="已撤销"):
        # "now" as at detection: the shared time-skipping server may have skipped past a
        # year while other tests' incidents waited (this is about the ended incident)
        await report_incident(env.client, start_payload(incident_id, incident.detected_at),
                              now=incident.detected_at)
