"""The replay is trustworthy: over every recorded history it decides what the workflow
decided (the SDK's own Replayer with today's code is the judge), and with no proposal the
what-if gives exactly the bulletin issued from the recorded results."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory

from activities.archive import HistoryArchive
from activities.bulletin_source import final_status
from domain.bulletin import compute, month_of
from domain.whatif.driver import replay
from domain.whatif.inputs import read_incident
from domain.whatif.report import report_json
from domain.whatif.settings import parse_proposal
from domain.workflow_versions import DELIVERY_RECEIPTS, version_of
from starter.whatif_source import from_archive
from tests.support.decided_alike import TIMER_LATENCY, differences, rules_part
from workers.audit.replay import status_from_history

HISTORIES = Path(__file__).resolve().parents[1] / "histories"
NAMES = sorted(p.stem for p in HISTORIES.glob("*.json"))
NOW = datetime(2030, 1, 1, tzinfo=timezone.utc)


def _events(name: str) -> list[dict]:
    return json.loads((HISTORIES / f"{name}.json").read_text("utf-8"))["events"]


@pytest.mark.parametrize("name", [n for n in NAMES if "continued" not in n])  # a run alone
async def test_the_replay_decides_as_the_workflow_does(name):
    events = _events(name)
    inputs = read_incident(f"incident-{name}", [events])
    assert inputs.problem == "" and inputs.closed and inputs.arrivals
    mine = replay(inputs).status.model_dump()
    history = WorkflowHistory.from_json(name, {"events": events})
    theirs = (await status_from_history(history)).model_dump()
    if version_of(inputs.start) >= DELIVERY_RECEIPTS:  # the version its start names
        # receipts: not replayed by the what-if (deliveries answer outside the procedure):
        # left out on both sides
        assert any(e["action"] == "notice_receipt" for e in theirs["timeline"])
        mine, theirs = rules_part(mine), rules_part(theirs)
    assert differences(mine, theirs) == []


def test_a_continued_run_replays_from_the_state_it_was_handed(tmp_path):
    """Its earlier run is not archived: replayed as it stands, not under a proposal."""
    history = WorkflowHistory.from_json("incident-continued", {"events": _events(
        "continued-as-new-nantong")})
    HistoryArchive(tmp_path).save_all([(history, None)])
    month = month_of(final_status(history).first_detected_at)
    same = report_json(from_archive(tmp_path, month, parse_proposal([]), NOW, processes=1))
    assert same["limits"]["replayed"] == 1 and same["proposed"] == same["actual"]
    changed = report_json(from_archive(tmp_path, month, parse_proposal(["ack_hours=1"]), NOW,
                                       processes=1))
    assert changed["limits"]["not_replayed"] == 1 and changed["proposed"] == changed["actual"]
    assert "earlier runs missing" in changed["not_replayed"][0]


def test_no_proposal_gives_exactly_the_bulletin_issued_from_the_recorded_results(tmp_path):
    histories = [WorkflowHistory.from_json(f"incident-{n}", {"events": _events(n)})
                 for n in NAMES]
    HistoryArchive(tmp_path).save_all([(h, None) for h in histories])
    # a run that continued as new returned no status (as statuses_from_archive leaves it out)
    statuses = [s for s in map(final_status, histories) if s is not None]
    months = sorted({month_of(s.first_detected_at) for s in statuses})
    assert len(months) >= 1
    for month in months:
        report = report_json(from_archive(tmp_path, month, parse_proposal([]), NOW,
                                          processes=2))
        issued = compute(statuses, month, NOW).model_dump(mode="json")
        assert report["actual"] == issued and report["proposed"] == issued
        assert report["changed_incidents"] == [] and report["limits"]["not_replayed"] == 0


def test_an_altered_archive_file_stops_the_what_if(tmp_path):
    history = WorkflowHistory.from_json("incident-routine", {"events": _events("routine-nantong")})
    [entry] = HistoryArchive(tmp_path).save_all([(history, None)])
    path = tmp_path / entry.path
    path.write_text(path.read_text("utf-8").replace("acknowledge", "acknowledgf", 1), "utf-8")
    with pytest.raises(ValueError, match="altered"):
        from_archive(tmp_path, "2026-11", parse_proposal([]), NOW, processes=1)


def _archive_of(tmp_path, *names: str) -> list:
    histories = [WorkflowHistory.from_json(f"incident-{n}", {"events": _events(n)}) for n in names]
    HistoryArchive(tmp_path).save_all([(h, None) for h in histories])
    return histories


def test_proposing_what_an_incident_already_ran_under_changes_nothing(tmp_path):
    [history] = _archive_of(tmp_path, "nearest-deadline-ladder-liuzhou")  # rules version 2
    month = month_of(final_status(history).first_detected_at)
    recorded = final_status(history).local_defaults
    same = parse_proposal([f"ack_hours={recorded.ack_hours}",
                           f"urge_grace_hours={recorded.urge_grace_hours}"], 2)
    report = report_json(from_archive(tmp_path, month, same, NOW, processes=1))
    assert report["changed_incidents"] == [] and report["limits"]["replayed"] == 1
    assert report["proposed"] == report["actual"]


def test_a_shorter_urge_grace_brings_the_supervision_forward(tmp_path):
    """督办 follows 催办 by the proposed grace; the month's counts stay (it was supervised)."""
    name = "nearest-deadline-ladder-liuzhou"
    inputs = read_incident(f"incident-{name}", [_events(name)])

    def urge_to_supervision(status) -> timedelta:
        urged = next(e.at for e in status.timeline if e.action == "urge")
        return next(e.at for e in status.timeline if e.action == "supervise") - urged

    proposal = parse_proposal(["urge_grace_hours=1"])
    recorded = urge_to_supervision(replay(inputs).status)  # the grace timer's wake-up as recorded
    assert abs(recorded - timedelta(hours=24)) < TIMER_LATENCY
    proposed = urge_to_supervision(replay(inputs, None, proposal.local_defaults).status)
    assert proposed == timedelta(hours=1)
    [history] = _archive_of(tmp_path, name)
    month = month_of(final_status(history).first_detected_at)
    report = report_json(from_archive(tmp_path, month, proposal, NOW, processes=1))
    assert report["changed_incidents"] == [] and report["proposed"]["units"] == report[
        "actual"]["units"]


def test_a_newer_rules_version_replays_a_first_version_incident_under_it(tmp_path):
    [history] = _archive_of(tmp_path, "escalation-ladder-liuzhou")  # recorded under version 1
    month = month_of(final_status(history).first_detected_at)
    report = report_json(from_archive(tmp_path, month, parse_proposal([], 2), NOW, processes=1))
    assert report["settings"] == {"rules_version": 2}
    [changed] = report["changed_incidents"]
    assert changed["units"] == ["u1"] and changed["first_difference"]


@pytest.mark.parametrize("name", ["deadlines-first-routine-nantong", "one-run-loop-routine-nantong"])
async def test_an_incident_opens_when_its_settings_were_read_to_the_microsecond(name):
    # From version 5 the incident opens once the deployment's settings are read (a local
    # activity), at that read's recorded completion, not at the first task's start: a
    # window run from the opening then falls at the moment the workflow's did, so a grace
    # period ending a few hundred microseconds earlier still falls first.
    events = _events(name)
    inputs = read_incident(f"incident-{name}", [events])
    theirs = await status_from_history(WorkflowHistory.from_json(name, {"events": events}))
    opened = [e.at for e in theirs.timeline if e.action == "deployment_settings"]
    assert opened == [inputs.opened_at] and inputs.settings_read_at == inputs.opened_at
    mine = replay(inputs).status
    assert [(e.action, e.at) for e in mine.timeline[:4]] == \
        [(e.action, e.at) for e in theirs.timeline[:4]]


def test_every_history_that_read_its_settings_records_when_the_read_completed():
    inputs = {n: read_incident(f"incident-{n}", [_events(n)]) for n in NAMES}
    read = [n for n, i in inputs.items() if i.settings is not None]
    assert len(read) >= 5  # versions 5 to 7, recorded
    assert [n for n in read if inputs[n].settings_read_at is None] == []
