"""`--set` is held to the configuration's own limits, and a bad one is refused in one line."""

import json
from pathlib import Path

import pytest

from domain.whatif.driver import replay
from domain.whatif.inputs import read_incident
from domain.profiles import LocalDefaults
from domain.whatif.settings import OVERRIDABLE, ProposalError, parse_proposal

HISTORIES = Path(__file__).resolve().parents[2] / "histories"


@pytest.mark.parametrize("assignment, says", [
    ("ack_hours=0", "local_defaults.ack_hours"),
    ("ack_hours=-3", "local_defaults.ack_hours"),
    ("ack_hours=inf", "local_defaults.ack_hours"),
    ("ack_hours=nan", "local_defaults.ack_hours"),
    ("handling_hours=9000", "local_defaults.handling_hours"),  # over a year (8,784 h)
    ("urge_grace_hours=soon", "local_defaults.urge_grace_hours"),
    ("ack_hourz=1", "not an overridable [local_defaults] key"),
    ("W-RESP=24", "not an overridable [local_defaults] key"),  # statutory: not proposable
    ("ack_hours", "expected KEY=VALUE"),
    ("=1", "expected KEY=VALUE"),
])
def test_a_bad_setting_is_refused_with_its_reason(assignment, says):
    with pytest.raises(ProposalError) as refused:
        parse_proposal([assignment])
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_the_keys_are_the_configurations_local_defaults():
    assert set(OVERRIDABLE) == set(LocalDefaults.model_fields)
    proposal = parse_proposal(["ack_hours=1", "urge_grace_hours=12.5"])
    assert proposal.local_defaults == {"ack_hours": 1.0, "urge_grace_hours": 12.5}
    assert proposal.felt_by_running_incidents() == {"ack_hours": False, "urge_grace_hours": False}


def test_a_proposal_replaces_the_local_defaults_when_the_replay_opens():
    name = "nearest-deadline-routine-nantong"
    inputs = read_incident(f"incident-{name}", [json.loads(
        (HISTORIES / f"{name}.json").read_text("utf-8"))["events"]])
    proposal = parse_proposal(["ack_hours=1"])
    assert proposal.applied_to(inputs.start) is inputs.start  # the start stays as recorded
    replayed = replay(inputs, None, proposal.local_defaults).status.local_defaults
    assert replayed.ack_hours == 1 and inputs.start.local_defaults.ack_hours == 2
    assert replayed.handling_hours == inputs.start.local_defaults.handling_hours
    assert parse_proposal([], 3).applied_to(inputs.start).rules_version == 3


def test_only_a_rules_version_the_starter_can_name_is_proposed():
    assert parse_proposal([], 2).rules_version == 2
    for unknown in (0, 9):
        with pytest.raises(ProposalError, match="rules version"):
            parse_proposal([], unknown)
