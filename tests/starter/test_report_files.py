"""Audit report files (issue #20): one set per incident, never overwriting another, 0600."""

import starter.audit_cli as audit_cli
from tests.domain.builders import incident


async def test_reports_of_ids_that_differ_after_a_dot_never_overwrite_each_other(
        tmp_path, monkeypatch):
    statuses = [incident(), incident()]
    statuses[0].incident_id, statuses[1].incident_id = "RPT.1", "RPT.2"

    async def replayed(histories):
        return statuses

    monkeypatch.setattr(audit_cli, "latest_runs", lambda histories: histories)
    monkeypatch.setattr(audit_cli, "statuses_from_histories", replayed)
    monkeypatch.setattr(audit_cli, "requests_of", lambda history: [])
    await audit_cli.write_reports([object(), object()], tmp_path)
    reports = sorted(p.name for p in tmp_path.glob("RPT*.md"))
    assert len(reports) == 2 and all("~" in name for name in reports), reports
    assert {p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {0o600}


async def test_the_archive_skips_and_reports_a_foreign_id_instead_of_failing(tmp_path):
    """An IncidentWorkflow started by hand under an id without ``incident-``: the hourly
    archive reports it and goes on (it failed every attempt before)."""
    from types import SimpleNamespace

    from activities.archive import HistoryArchive, export_histories

    class Listing:
        async def list_workflows(self, query):
            yield SimpleNamespace(id="PA-C-1", run_id="r1", close_time=None)

    run = await export_histories(Listing(), HistoryArchive(tmp_path), query="closed")
    assert run.foreign == ["PA-C-1"] and run.archived == []
