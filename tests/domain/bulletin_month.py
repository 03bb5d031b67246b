"""A month of incidents with known outcomes, driven through the procedure: the monthly
bulletin's figures (tests/domain/test_bulletin.py) and its files (tests/activities/)."""

from datetime import datetime, timezone

from tests.domain.procedure.drive import at, expire, reported, send

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def month_of_incidents():
    """Four incidents of 2026-11 with known outcomes, and one of 2026-10 (not counted)."""
    done, _ = reported(units=("u1", "u2"))  # u1 completes on time; u2 returns it
    send(done, "acknowledge", 1, unit_id="u1")
    send(done, "return_assignment", 1, unit_id="u2", reason="非本单位职责")
    send(done, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")
    send(done, "submit_feedback", 10, unit_id="u1", summary="已办", resolved=True,
         outcome="difficulty_solved")
    send(done, "review_feedback", 11, unit_id="u1", accepted=True)

    explained, _ = reported()  # u1 explains: not completed, still open
    send(explained, "acknowledge", 1, unit_id="u1")
    send(explained, "submit_feedback", 10, unit_id="u1", summary="待资金", resolved=False,
         expected_by=at(300).isoformat())
    send(explained, "review_feedback", 11, unit_id="u1", accepted=True)

    late, _ = reported()  # u1 misses W-ACK, W-RESP and W-HANDLE; urged, supervised, criticised
    expire(late, "W-ACK", "u1")
    expire(late, "W-RESP")
    send(late, "supervise", 50, reason="领导关注")
    send(late, "sanction", 60, unit_id="u1", kind="notice_criticism", reason="逾期")

    office, _ = reported(category="E3", severity="一般", units=("u3",))  # the office's miss
    send(office, "acknowledge", 1, unit_id="u3")
    expire(office, "W-BACKFILL", "u3")

    earlier, _ = reported()
    earlier.status.reports[0].detected_at = datetime(2026, 10, 15, tzinfo=timezone.utc)
    return [s.status for s in (done, explained, late, office, earlier)]
