"""Compliance reports (domain/audit_report.py) of a status built without a server; those of
recorded histories are in tests/workers/audit/test_audit_reports_from_histories.py."""

from domain.audit_report import incident_markdown
from tests.domain.procedure.drive import expire, grace_ends, graces, reported, send


def test_a_recommendation_on_elapsed_time_is_marked_as_a_local_default():
    """E-ACCOUNT recommended by the workflow after the 督办 grace (a local default) reads so."""
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    [urge_grace] = graces(expire(state, "W-HANDLE", "u1"))
    [supervise_grace] = graces(grace_ends(state, urge_grace, 96))
    grace_ends(state, supervise_grace, 170)
    rows = [line for line in incident_markdown(state.status).splitlines() if "| E-" in line]
    assert any("| E-ACCOUNT | 本地默认 |" in row for row in rows)
    assert any("| E-SUPERVISE | 本地默认 |" in row for row in rows)
    assert any("| E-URGE | 法定/人工 |" in row for row in rows)
