"""The record (issue #20): the earliest detection wins past any number of merged reports,
and sender text shows in the current details as text, never as Markdown or links."""

from datetime import timedelta

from domain.current_details import render_current_details
from domain.limits import MAX_REPORTS_KEPT
from domain.plain_text import plain
from tests.domain.procedure.drive import DETECTED, at, reported, send


def item(n: int, hours: float) -> dict:
    return {"platform": "微博", "url": f"https://weibo.example/{n}",
            "detected_at": (DETECTED + timedelta(hours=hours)).isoformat()}


def test_an_earlier_detection_wins_after_hundreds_of_merged_reports():
    state, _ = reported()
    for n in range(MAX_REPORTS_KEPT + 5):
        send(state, "add_report", 1, report=item(n, 0.5))
    assert state.status.reports_not_listed > 0
    send(state, "add_report", 2, report=item(999, -3))
    assert state.status.first_detected_at == at(-3)
    assert len(state.status.reports) == MAX_REPORTS_KEPT


def test_sender_text_is_shown_as_text():
    hostile = "市长\u202e\n\n**问责已撤销** [点此](javascript:alert(1))"
    state, _ = reported()
    send(state, "leader_instruction", 1, text=hostile)
    state.status.timeline[-1].actor = hostile
    details = render_current_details(state.status, at(2))
    assert "\u202e" not in details and "\n\n**问责" not in details
    assert "[点此](javascript" not in details and "\\*\\*问责已撤销\\*\\*" in details
    assert plain("a\u2066b\nc") == "ab c"
