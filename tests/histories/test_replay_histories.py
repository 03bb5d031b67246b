"""Guarding releases (issue #3): every recorded history still replays against the current code."""

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory

from domain.rules_version import (
    ANSWERABLE_RULES, CURRENT_RULES, FAITHFUL_RULES, FAITHFUL_RULES_PATCH, FIRST_RULES,
)

from tests.support.history_parts import load
from tests.support.markers import patches_recorded
from tests.support.recorded_scenarios import ACROSS_RELEASES, SCENARIOS
from workers.audit.replay import replay_all, status_from_history

HISTORIES = Path(__file__).parent
RECORDED = sorted([*SCENARIOS, *ACROSS_RELEASES])


def test_every_scenario_has_a_recorded_history():
    recorded = {p.stem for p in HISTORIES.glob("*.json")}
    assert recorded == set(RECORDED), "run scripts/record_histories.py NAME for each new scenario"


@pytest.mark.parametrize("sandboxed", [True, False], ids=["sandboxed", "as-the-worker-runs"])
@pytest.mark.parametrize("name", RECORDED)
async def test_recorded_history_replays(name, sandboxed):
    """In the sandbox (its runtime checks) and unsandboxed, as the worker runs by default."""
    [outcome] = await replay_all([load(name)], sandboxed=sandboxed)
    assert outcome.ok, outcome.error


async def test_a_diverging_history_is_reported_with_its_event():
    data = json.loads((HISTORIES / "routine-nantong.json").read_text("utf-8"))
    scheduled = next(e for e in data["events"] if "activityTaskScheduledEventAttributes" in e)
    scheduled["activityTaskScheduledEventAttributes"]["activityType"]["name"] = "fax_the_form"
    [outcome] = await replay_all([WorkflowHistory.from_json("tampered", data)])
    assert not outcome.ok and "Nondeterminism" in outcome.error
    assert outcome.diverged_at_event == int(scheduled["eventId"])
    assert outcome.diverged_event_type == "ACTIVITY_TASK_SCHEDULED"


async def test_status_rebuilt_from_the_escalation_history_alone():
    status = await status_from_history(load("escalation-ladder-liuzhou"))
    rules = {entry.rule for entry in status.timeline}
    assert {"E-URGE", "E-SUPERVISE", "E-ACCOUNT", "W-FACTS"} <= rules
    assert status.accountability_recommended and status.escalation.value == "accountability"
    assert status.stage.value == "withdrawn"


async def test_status_rebuilt_from_history_matches_the_recorded_result():
    history = load("multi-unit-return-nantong")
    result = history.events[-1].workflow_execution_completed_event_attributes.result
    recorded = json.loads(result.payloads[0].data)
    rebuilt = (await status_from_history(history)).model_dump(mode="json")
    assert recorded_part(rebuilt, recorded) == recorded
    assert rebuilt["rules_version"] == 1  # recorded before the marker: the first rules


def recorded_part(rebuilt, recorded):
    """What the recorded result held; fields added to the status since then are left out."""
    if isinstance(recorded, dict):
        return {k: recorded_part(rebuilt.get(k), v) for k, v in recorded.items()}
    if isinstance(recorded, list) and isinstance(rebuilt, list) and len(rebuilt) == len(recorded):
        return [recorded_part(a, b) for a, b in zip(rebuilt, recorded)]
    return rebuilt


# The rules version (domain.rules_version) each history was recorded under: stated here by
# hand, the independent statement the replay is checked against. A newly recorded history
# needs its entry: the named version current when it was recorded, never CURRENT_RULES
# itself, which moves on while the history keeps the rules it was recorded under.
RULES_RECORDED_UNDER = {
    # before the rules marker: the first rules
    "routine-nantong": FIRST_RULES, "major-emergency-national": FIRST_RULES,
    "escalation-ladder-liuzhou": FIRST_RULES, "multi-unit-return-nantong": FIRST_RULES,
    "extension-rework-national": FIRST_RULES, "rework-after-deadline-nantong": FIRST_RULES,
    "rumour-unanalysed-nantong": FIRST_RULES, "emergency-backfill-nantong": FIRST_RULES,
    # the marker recorded (rules version 2)
    "explained-late-analysis-nantong": FAITHFUL_RULES,
    "upgrade-consultation-liuzhou": FAITHFUL_RULES,
    "emergency-office-duties-nantong": FAITHFUL_RULES,
    "continued-as-new-nantong": FAITHFUL_RULES,
    # workflow version 2 (nearest deadline), recorded under rules version 2
    "nearest-deadline-routine-nantong": FAITHFUL_RULES,
    "nearest-deadline-ladder-liuzhou": FAITHFUL_RULES,
    # rules version 3 (answerable), named in the start
    "late-analysis-v3-nantong": ANSWERABLE_RULES,
    "two-units-one-silent-v3-nantong": ANSWERABLE_RULES,
    "overdue-since-shown-v3-nantong": ANSWERABLE_RULES,
    "early-close-major-emergency-v3-nantong": ANSWERABLE_RULES,
    "liuzhou-release-review-v3": ANSWERABLE_RULES,
    # workflow version 4 (receipts), recorded when rules version 3 was current
    "delivery-receipts-routine-nantong": ANSWERABLE_RULES,
    "delivery-receipts-ladder-liuzhou": ANSWERABLE_RULES,
    # workflow version 6 (one run loop)
    "one-run-loop-routine-nantong": ANSWERABLE_RULES,
    "one-run-loop-ladder-liuzhou": ANSWERABLE_RULES,
    "one-run-loop-continued-nantong": ANSWERABLE_RULES,
    **dict.fromkeys(ACROSS_RELEASES, ANSWERABLE_RULES),
    # workflow version 7 (what was past falls before a message)
    "deadlines-first-routine-nantong": ANSWERABLE_RULES,
    "deadlines-first-ladder-liuzhou": ANSWERABLE_RULES,
    # workflow version 8 (an unknown signal before the opening held)
    "unknown-held-routine-nantong": ANSWERABLE_RULES,
}


def recorded_rules(name: str) -> int:
    assert name in RULES_RECORDED_UNDER, (
        f'add "{name}": <the rules version it was recorded under: for a new recording the '
        f"named constant of version {CURRENT_RULES} (domain.rules_version), never "
        'CURRENT_RULES itself> to RULES_RECORDED_UNDER in tests/histories/test_replay_histories.py')
    return RULES_RECORDED_UNDER[name]


@pytest.mark.parametrize("name", RECORDED)
async def test_each_history_keeps_the_rules_it_was_recorded_under(name):
    """Histories recorded before the rules marker replay under rules version 1; those recorded
    after carry the marker in their first workflow task and run version 2 (domain.rules_version)."""
    history = load(name)
    marked = FAITHFUL_RULES_PATCH in patches_recorded(history)
    status = await status_from_history(history)
    started = history.events[0].workflow_execution_started_event_attributes
    # Later starters name the version in the start: no marker is needed for those.
    named = f'"rules_version":{recorded_rules(name)}'.encode() in started.input.payloads[0].data
    if not started.continued_execution_run_id:  # a continued run carries its rules
        assert (marked or named) is (recorded_rules(name) != FIRST_RULES)
        assert not (marked and named)
    assert status.rules_version == recorded_rules(name)


async def test_a_continued_run_replays_and_holds_the_whole_incident():
    """The run after a hand-over starts from the carried state: the first report, the
    refusals of the run before, and it closes the case."""
    history = load("continued-as-new-nantong")
    started = history.events[0].workflow_execution_started_event_attributes
    assert started.continued_execution_run_id
    status = await status_from_history(history)
    assert status.stage.value == "closed" and status.refused_total == 12
    assert [t.action for t in status.timeline][:2] == ["report", "analyze"]


async def test_version_3_histories_charge_the_party_that_owed_it():
    """A-HOLD, A-EACH, closing, G-REVIEW as the recorded incidents decided them."""
    late = await status_from_history(load("late-analysis-v3-nantong"))
    office = next(w for w in late.windows if w.id.value == "W-RESP" and w.unit_id is None)
    assert office.owed_by == ["office"] and office.state.value == "missed"
    assert not [t for t in late.timeline if t.action == "urge"]
    two = await status_from_history(load("two-units-one-silent-v3-nantong"))
    assert [t.unit_id for t in two.timeline if t.action in ("urge", "supervise")] == ["u2", "u2"]
    assert two.assignment("u1").urged_at is None and two.assignment("u2").supervised_at
    closed = await status_from_history(load("early-close-major-emergency-v3-nantong"))
    assert {w.id.value: w.state.value for w in closed.windows
            if w.id.value in ("W-AUTH", "W-PRESS")} == {"W-AUTH": "missed", "W-PRESS": "missed"}
    review = await status_from_history(load("liuzhou-release-review-v3"))
    assert all(r.review for r in review.responses)
    assert [t.rule for t in review.timeline if t.action == "report_upward"] == ["001 一(一)1"]
