"""Workflow version 2 (domain/workflow_versions.py): only the nearest deadline holds a timer
(legacy/timers.py) and the opening search attributes come with the start.

Incidents opened under version 1 (every history recorded before it) keep a timer per
pending window; the version is named in the start, so no marker is added to either.
"""

from collections import defaultdict
from datetime import timezone

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from domain.status import IncidentStatus
from tests.support.history_parts import load
from tests.support.recorded_scenarios import escalation_ladder_liuzhou
from workers.audit.replay import replay_all, status_from_history


def timers_by_task(history: WorkflowHistory) -> list[list[str]]:
    """The summaries of the timers each workflow task started, task by task."""
    started: dict[int, list[str]] = defaultdict(list)
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_TIMER_STARTED:
            task = event.timer_started_event_attributes.workflow_task_completed_event_id
            started[task].append(event.user_metadata.summary.data.decode("utf-8"))
    return [started[task] for task in sorted(started)]


async def test_a_version_1_history_keeps_a_timer_per_window():
    history = load("routine-nantong")
    first = timers_by_task(history)[0]
    assert len(first) == 3 and {s.split()[0].strip('"') for s in first} == \
        {"W-ACK", "W-RESP", "W-HANDLE"}
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


async def test_version_2_arms_the_next_deadline_only_when_the_nearest_is_met():
    history = load("nearest-deadline-routine-nantong")
    tasks = timers_by_task(history)
    # 签收 first; once acknowledged, 回应; once responded, 办理: one timer at a time.
    assert [[s.split()[0].strip('"') for s in task] for task in tasks] == \
        [["W-ACK"], ["W-RESP"], ["W-HANDLE"]]
    assert not any(e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED for e in history.events)
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


async def test_version_2_opens_without_an_upsert():
    """The starter set what the opened incident shows, its next deadline to the minute."""
    history = load("nearest-deadline-routine-nantong")
    first_task = next(e.event_id for e in history.events
                      if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    upserted = [e.upsert_workflow_search_attributes_event_attributes for e in history.events
                if e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]
    assert upserted and all(u.workflow_task_completed_event_id != first_task for u in upserted)
    shown = history.events[0].workflow_execution_started_event_attributes.search_attributes
    assert {"NextDeadline", "IncidentStage", "ResponsibleUnits"} <= set(shown.indexed_fields)


async def test_the_recorded_ladder_under_version_2_replays():
    """Deadlines missed one after another: each fired timer arms the next nearest."""
    history = load("nearest-deadline-ladder-liuzhou")
    assert sum(len(task) for task in timers_by_task(history)) >= 3
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error


def decisions(status: IncidentStatus) -> tuple[list, list]:
    """What the procedure decided and when, to the second after the report (ids aside).

    Steps falling at the same second are sorted: which of two timers due at one
    moment fires first turns on the tasks' milliseconds, under either version.
    """
    opened = status.timeline[0].at

    def second(at) -> int:
        return round((at - opened).total_seconds())

    steps = sorted((second(e.at), e.action, e.rule or "", e.unit_id or "")
                   for e in status.timeline)
    windows = [(w.id, w.unit_id, w.seq, w.state, second(w.deadline)) for w in status.windows]
    return steps, windows


async def test_both_versions_decide_the_same(env, worker, monkeypatch: pytest.MonkeyPatch):
    """The escalation ladder (催办 → 督办 → 问责) run under each version: the same
    misses at the same moments, the same rungs, the same windows."""
    outcomes = {}
    for version in (1, 2):
        monkeypatch.setattr("starter.api.CURRENT_WORKFLOW", version)
        handle = await escalation_ladder_liuzhou(env)
        outcomes[version] = decisions(await handle.result())
    assert outcomes[1] == outcomes[2]
    steps, _ = outcomes[2]
    assert {"urge", "supervise", "start_accountability"} <= {action for _, action, *_ in steps}
    assert max(at for at, *_ in steps) > 90 * 3600


async def test_version_3_shows_since_when_an_overdue_incident_is_late():
    """Workflow version 3 (recorded): once u2's W-RESP is missed, NextDeadline is that missed
    deadline, never the future W-HANDLE; the history replays."""
    import json
    history = load("overdue-since-shown-v3-nantong")
    started = history.events[0].workflow_execution_started_event_attributes
    assert b'"workflow_version":3' in started.input.payloads[0].data
    shown: dict[str, bytes] = {}  # what the list shows after each upsert (they accumulate)
    overdue_shown = None
    for e in history.events:
        if e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            fields = e.upsert_workflow_search_attributes_event_attributes.search_attributes
            shown.update({k: v.data for k, v in fields.indexed_fields.items()})
            if overdue_shown is None and shown.get("Overdue") == b"true":
                overdue_shown = json.loads(shown["NextDeadline"])
    assert overdue_shown, "the recorded incident was overdue once"
    status = await status_from_history(history)
    missed = next(w for w in status.windows if w.id.value == "W-RESP" and w.unit_id == "u2")
    assert overdue_shown[:16] == missed.deadline.astimezone(timezone.utc).isoformat()[:16]
    [outcome] = await replay_all([history])
    assert outcome.ok, outcome.error
