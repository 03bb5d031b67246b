"""定期通报 (004 二(六), SPEC §8, README "The monthly 通报 and 考核"): every figure from statuses."""

from domain.bulletin import compute, previous_months
from tests.domain.bulletin_month import NOW, month_of_incidents
from tests.domain.procedure.drive import expire, late_analysis, reported, send


def test_the_units_figures():
    bulletin = compute(month_of_incidents(), "2026-11", NOW)
    assert bulletin.incidents.model_dump() == {"reported": 4, "closed": 1, "open": 3}
    u1, u3, office = bulletin.units
    assert (u1.unit_id, u1.assigned, u1.completed, u1.explained, u1.open) == ("u1", 3, 1, 1, 2)
    assert u1.completion_rate == round(1 / 3, 4)
    assert (u1.acknowledged_on_time, u1.responded_on_time, u1.feedback_on_time) == (2, 1, 1)
    assert (u1.urged, u1.supervised, u1.overdue_now) == (1, 1, 1)
    assert u1.sanctions["notice_criticism"] == 1
    assert u1.disclosure == {"suggestion_adopted": 0, "difficulty_solved": 1,
                             "major_issue_investigated": 0}
    # the returned unit is not counted; the office's missed backfill is not u3's
    assert [u.unit_id for u in bulletin.units] == ["u1", "u3", "office"]
    assert (u3.assigned, u3.urged, u3.overdue_now, u3.missed) == (1, 0, 0, 0)
    # the offices' own row (SPEC §8): the missed backfill, still unresolved
    assert (office.assigned, office.missed, office.overdue_now) == (0, 1, 1)


def test_the_windows_figures():
    windows = {w.id: w for w in compute(month_of_incidents(), "2026-11", NOW).windows}
    assert (windows["W-BACKFILL"].due, windows["W-BACKFILL"].missed) == (1, 1)
    assert windows["W-RESP"].missed == 1 and windows["W-RESP"].met == 1


def test_any_month_recomputes_to_the_same_figures():
    statuses = month_of_incidents()
    first = compute(statuses, "2026-11", NOW).model_dump(exclude={"generated_at"})
    assert compute(statuses, "2026-11", NOW).model_dump(exclude={"generated_at"}) == first
    assert compute(statuses, "2026-10", NOW).incidents.reported == 1
    assert previous_months("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


def test_bulletins_of_pages_merge_into_the_bulletin_of_all():
    """The scheduled bulletin computes pages in parallel activities and merges them."""
    from domain.bulletin import merge
    statuses = month_of_incidents()
    whole = compute(statuses, "2026-11", NOW)
    pages = [compute(statuses[:2], "2026-11", NOW), compute(statuses[2:], "2026-11", NOW)]
    assert merge("2026-11", pages, NOW) == whole


# ------------------------------------------------------------ rules version 3

def test_v3_counts_each_miss_and_rung_against_the_units_it_names():
    """A-HOLD, A-EACH, E-SUPERVISE: the late analysis is the office's, u2's silence is u2's."""
    late, _ = late_analysis(50)
    expire(late, "W-RESP")
    two, _ = reported(units=("u1", "u2"), rules_version=3)
    send(two, "record_response", 5, unit_id="u1", channel="platform_reply", summary="已回复")
    expire(two, "W-RESP", "u2")
    send(two, "supervise", 80, reason="仍未回应")
    bulletin = compute([late.status, two.status], "2026-11", NOW)
    rows = {u.unit_id: u for u in bulletin.units}
    assert (rows["u1"].urged, rows["u1"].supervised, rows["u1"].overdue_now) == (0, 0, 0)
    assert rows["u1"].responded_on_time == 1  # its own reply in two; in late it still owes
    assert (rows["u2"].urged, rows["u2"].supervised, rows["u2"].overdue_now) == (1, 1, 1)
    assert (rows["office"].missed, rows["office"].overdue_now) == (2, 1)  # W-ANALYZE, W-RESP
    windows = {w.id: w for w in bulletin.windows}
    assert windows["W-RESP"].local_default == 1  # u1's answer time after the late analysis


def test_v3_a_returned_unit_keeps_the_misses_that_fell_due_while_it_held_the_duty():
    """SPEC §8: a unit that returned its assignment stops owing from the return (A-HOLD).

    u2 missed W-ACK and W-RESP (and was urged) before returning at 50 h: those stay its misses
    in its own row, though it is not counted as assigned and is not overdue now.
    """
    returned, _ = reported(units=("u1", "u2"), rules_version=3)
    send(returned, "acknowledge", 1, unit_id="u1")
    send(returned, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")
    expire(returned, "W-ACK", "u2")
    expire(returned, "W-RESP", "u2")
    send(returned, "return_assignment", 50, unit_id="u2", reason="非本单位职责")
    rows = {u.unit_id: u for u in compute([returned.status], "2026-11", NOW).units}
    u2 = rows["u2"]
    assert (u2.assigned, u2.open, u2.overdue_now) == (0, 0, 0)
    assert (u2.missed, u2.urged) == (2, 1)
    assert (rows["u1"].assigned, rows["u1"].missed) == (1, 0)


def test_v3_a_unit_that_returned_before_any_deadline_has_no_row():
    returned, _ = reported(units=("u1", "u2"), rules_version=3)
    send(returned, "return_assignment", 1, unit_id="u2", reason="非本单位职责")
    expire(returned, "W-RESP", "u1")
    assert [u.unit_id for u in compute([returned.status], "2026-11", NOW).units] == ["u1"]
