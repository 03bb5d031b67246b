"""`yuqing audit` (starter/audit_cli.py): which histories it reads, and from where."""

from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHistory

from activities.archive import HistoryArchive
from starter.audit_cli import archived_sources, incidents_only
from tests.support.history_parts import recorded
from workers.audit.replay_pool import replay_sources


def test_audits_are_of_incidents_only():
    """The archive and bulletin workflows share the namespace; audits skip them."""
    def history(workflow_type: str) -> WorkflowHistory:
        event = HistoryEvent(event_id=1)
        event.workflow_execution_started_event_attributes.workflow_type.name = workflow_type
        return WorkflowHistory(f"id-{workflow_type}", [event])
    kept = incidents_only([history("IncidentWorkflow"), history("ArchiveWorkflow"),
                           history("BulletinWorkflow")])
    assert [h.workflow_id for h in kept] == ["id-IncidentWorkflow"]


async def test_the_binary_copy_is_replayed_and_either_file_altered_is_reported(tmp_path):
    """The archive keeps a binary copy beside each JSON file; replay reads the binary, and
    checks both against the manifest. Entries archived before the binary copy (JSON only)
    replay from their JSON."""
    archive = HistoryArchive(tmp_path)
    routine = next(h for h in recorded() if h.workflow_id == "routine-nantong")
    for i in range(4):
        archive.save(WorkflowHistory(f"incident-B-{i}", routine.events), None)
    manifest = archive.manifest()
    entries = list(manifest.entries.values())
    assert all(e.binary_path and (tmp_path / e.binary_path).exists() for e in entries)
    (tmp_path / entries[1].binary_path).write_bytes(b"\x08\x01")  # the binary altered
    (tmp_path / entries[2].path).write_text("{}", encoding="utf-8")  # the JSON altered
    json_only = entries[3].model_copy(update={"binary_path": None, "binary_sha256": None})
    manifest.entries[json_only.path] = json_only
    archive.manifest_path.write_text(manifest.model_dump_json(), encoding="utf-8")
    assert sorted(archive.verify()) == sorted([entries[1].binary_path, entries[2].path])
    results = await replay_sources(list(archived_sources(archive).values()))
    assert [bool(r.altered) for r in results] == [False, True, True, False]
    assert entries[1].binary_path in results[1].altered
    assert [r.events for r in results if not r.altered] == [len(routine.events)] * 2
    assert all(r.failure is None for r in results)


def test_a_history_replayed_after_a_failure_beside_others_says_so(capsys):
    """The audit shows the note, never only "OK": an auditor sees what the confirmation did."""
    from starter.audit_cli import print_replay
    from workers.audit.replay import ReplayOutcome
    note = ("beside other replays: [TMPRL1101] Potential deadlock detected: workflow didn't "
            "yield within 2 second(s).; alone: replayed")
    assert print_replay([ReplayOutcome("incident-A", "run-1", True, note=note),
                         ReplayOutcome("incident-B", "run-2", True)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "OK    incident-A run-1", f"      注 / note: {note}", "OK    incident-B run-2",
        "2 replayed, 0 failed"]
