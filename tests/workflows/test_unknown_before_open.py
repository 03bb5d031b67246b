"""An unknown signal that comes while the incident reads its deployment's settings.

Version 8 holds it with the known ones until the incident opens, then refuses it (recorded
with its reason): nothing is shown of the unopened state. Up to version 7 it was refused at
once, and a run's first refusal shows the incident: two upserts (billed actions), the first
of the unopened state (stage 分析, no severity, category, units or next deadline). A start
that names no version (a backend's, around the starter) is version 1, served by the run
loop: it too refuses it at once (README, "When behaviour changes on purpose").
"""

import json

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.converter import decode_search_attributes

from domain.whatif.driver import replay
from domain.whatif.inputs import read_incident
from domain.workflow_versions import ONE_RUN_LOOP_PATCH
from starter.api import report_incident
from temporal.names import TASK_QUEUE, WORKFLOW_TYPE, workflow_id_for
from tests.support.decided_alike import differences, rules_part
from tests.support.served import served_by
from tests.support.start_signal import with_start_signal
from tests.workflows.scenario import UNIT, start_payload, status as status_after_settling
from workers.audit.replay import replay_all
from workflows.loop import RunLoop

UNKNOWN = "no_such_message"


async def started_with_an_unknown_signal(env, incident_id: str, version: int | None,
                                         **analysis):
    """Reported by the starter under ``version``; with None, started around the starter
    without one (as a backend may), the unknown signal sent with the start all the same."""
    now = await env.get_current_time()
    start = start_payload(incident_id, now, **analysis)
    sent = {"actor": "误发的后台"}
    if version is None:
        handle = await env.client.start_workflow(
            WORKFLOW_TYPE, start.model_dump(mode="json", exclude_unset=True),
            id=workflow_id_for(incident_id), task_queue=TASK_QUEUE,
            start_signal=UNKNOWN, start_signal_args=[sent])
    else:
        handle = await report_incident(with_start_signal(env.client, UNKNOWN, sent),
                                       start.model_copy(update={"workflow_version": version}),
                                       now=now)
    status = await status_after_settling(env, incident_id)
    return status, await handle.fetch_history()


def upserts(history) -> list[dict]:
    return [decode_search_attributes(
                e.upsert_workflow_search_attributes_event_attributes.search_attributes)
            for e in history.events
            if e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]


async def test_version_8_shows_nothing_before_it_opens(env, worker, incident_id):
    status, history = await started_with_an_unknown_signal(env, incident_id, 8)
    assert upserts(history) == []  # as a report without it: the starter set what it shows
    [refused] = [r for r in status.rejected_inputs if r.message == UNKNOWN]
    assert "no_such_message" in refused.reason and refused.actor == "误发的后台"
    assert status.stage.value == "assignment" and status.assignment(UNIT) is not None
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


async def test_version_7_upserted_the_unopened_state_and_still_replays_so(
        env, worker, incident_id):
    status, history = await started_with_an_unknown_signal(env, incident_id, 7)
    shown = upserts(history)
    assert len(shown) == 2
    unopened, reopened = shown
    assert unopened["IncidentStage"] == ["analysis"]
    assert all(unopened[name] == [None] for name in (  # cleared
        "IncidentSeverity", "IncidentCategory", "ResponsibleUnits", "NextDeadline"))
    assert reopened["IncidentStage"] == ["assignment"] and reopened["ResponsibleUnits"] == [UNIT]
    assert any(r.message == UNKNOWN for r in status.rejected_inputs)
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


async def test_a_start_naming_no_version_is_the_loop_without_version_8(
        env, worker, incident_id):
    """Version 1 (``version_of``), served by the loop behind its marker: the unknown signal
    is refused at once, before the incident opens, and the unopened state shown, as up to
    version 7."""
    status, history = await started_with_an_unknown_signal(env, incident_id, None)
    assert isinstance((await served_by(history)).shell, RunLoop)
    marker, unopened, opened = upserts(history)  # nothing was set at start
    assert marker == {"TemporalChangeVersion": [ONE_RUN_LOOP_PATCH]}
    assert unopened["IncidentStage"] == ["analysis"] and "ResponsibleUnits" not in unopened
    assert opened["IncidentStage"] == ["assignment"] and opened["ResponsibleUnits"] == [UNIT]
    assert [r.message for r in status.rejected_inputs] == [UNKNOWN]


@pytest.mark.parametrize("version", [None, 7, 8])
async def test_the_what_if_refuses_it_where_the_workflow_did(env, worker, incident_id, version):
    """政策推演 decides as the workflow did under the incident's version: up to 7 (and with
    none named) the unknown signal refused first, at its own task; from 8 after the
    opening's own refusal (here a 研判 sent with the start that is not taken)."""
    status, history = await started_with_an_unknown_signal(env, incident_id, version,
                                                           response_hours=1000)
    refused = [r.message for r in status.rejected_inputs]
    assert refused == (["analyze", "no_such_message"] if version == 8
                       else ["no_such_message", "analyze"])
    inputs = read_incident(incident_id, [json.loads(history.to_json())["events"]])
    mine = replay(inputs).status
    assert mine.rejected_inputs == status.rejected_inputs  # to the microsecond
    assert differences(rules_part(mine.model_dump()), rules_part(status.model_dump())) == []
