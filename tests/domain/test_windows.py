"""SPEC §4 deadline arithmetic: which windows apply, when they end, how they move."""

from datetime import timedelta

import pytest
from tests.domain.builders import DETECTED, incident

from domain.classification import Severity
from domain.messages import Report
from domain.profiles import WindowId, profile_for
from domain.status import AssignmentState, Stage, WindowState
from domain.windows import is_overdue, next_deadline, plan_windows, reconcile_windows

def planned(status):
    return {(p.id, p.unit_id): p for p in plan_windows(profile_for(status.profile), status)}


def hours_after_detection(p):
    return (p.deadline - DETECTED) / timedelta(hours=1)


@pytest.mark.parametrize("profile", ["national-2016", "liuzhou-2017", "nantong-2017"])
def test_w_resp_48h_for_routine_incidents(profile):
    plan = planned(incident(profile))
    assert hours_after_detection(plan[(WindowId.RESP, None)]) == 48
    assert plan[(WindowId.RESP, None)].statutory
    assert (WindowId.PRESS, None) not in plan


@pytest.mark.parametrize("profile,expected", [
    ("national-2016", {WindowId.PRESS: 24}),
    ("liuzhou-2017", {WindowId.FACTS: 1, WindowId.PRESS: 24}),
    ("nantong-2017", {WindowId.AUTH: 5, WindowId.PRESS: 24}),
])
def test_major_emergency_windows(profile, expected):
    plan = planned(incident(profile, "E1", "重大"))
    statutory = {k[0]: hours_after_detection(p) for k, p in plan.items()
                 if p.statutory and k[1] is None}
    assert statutory == expected
    assert (WindowId.RESP, None) not in plan
    assert hours_after_detection(plan[(WindowId.CONT, None)]) == 24  # local default cadence


def test_major_routine_incident_expects_continuing_releases_but_no_press_deadline():
    plan = planned(incident("nantong-2017", "R3", "重大"))
    assert (WindowId.CONT, None) in plan and (WindowId.RESP, None) in plan
    assert (WindowId.PRESS, None) not in plan and (WindowId.AUTH, None) not in plan


def test_liuzhou_press_conference_only_with_casualties_or_large_impact():
    plan = planned(incident("liuzhou-2017", "E1", "重大", high_impact=False))
    assert (WindowId.PRESS, None) not in plan and (WindowId.FACTS, None) in plan


def test_nantong_response_may_be_set_shorter_at_assignment():
    assert hours_after_detection(planned(incident(response_hours=12))[(WindowId.RESP, None)]) == 12


def test_nantong_handling_deadline_set_at_assignment_is_statutory():
    handle = planned(incident(handling_hours=24))[(WindowId.HANDLE, "u1")]
    assert hours_after_detection(handle) == 24 and handle.statutory
    default = planned(incident())[(WindowId.HANDLE, "u1")]
    assert hours_after_detection(default) == 72 and not default.statutory


def test_national_handling_deadline_is_a_local_default_even_when_set():
    handle = planned(incident("national-2016", handling_hours=24))[(WindowId.HANDLE, "u1")]
    assert hours_after_detection(handle) == 24 and not handle.statutory


def test_backfill_only_for_nantong_emergency_assignments():
    assert (WindowId.BACKFILL, "u1") in planned(incident("nantong-2017", "E3", "一般"))
    assert (WindowId.BACKFILL, "u1") not in planned(incident("nantong-2017", "R3", "一般"))
    assert (WindowId.BACKFILL, "u1") not in planned(incident("national-2016", "E3", "一般"))


def test_every_assignment_has_ack_and_handle():
    plan = planned(incident(units=("u1", "u2")))
    assert {(WindowId.ACK, "u1"), (WindowId.ACK, "u2"), (WindowId.HANDLE, "u1"),
            (WindowId.HANDLE, "u2")} <= set(plan)


def test_unanalysed_incident_has_only_the_analysis_window():
    plan = planned(incident(category=None, severity=None))
    assert list(plan) == [(WindowId.ANALYZE, None)]
    assert not plan[(WindowId.ANALYZE, None)].statutory


def test_windows_run_from_the_earliest_report():
    status = incident()
    status.reports.append(Report(platform="q", url="v", detected_at=DETECTED - timedelta(hours=3)))
    assert hours_after_detection(planned(status)[(WindowId.RESP, None)]) == 45


def test_closed_incident_plans_nothing():
    assert plan_windows(profile_for("nantong-2017"), incident(stage=Stage.CLOSED)) == []


def reconciled(status, why="x"):
    return reconcile_windows(status, plan_windows(profile_for(status.profile), status),
                             DETECTED, why)


def test_severity_raised_recomputes_open_windows():
    status = incident("nantong-2017", "E1", "一般")
    first = reconciled(status)
    assert {w.id for w in first.armed} == {WindowId.RESP, WindowId.ACK, WindowId.HANDLE,
                                            WindowId.BACKFILL}
    status.severity = Severity.SERIOUS
    changes = reconciled(status, "级别提升")
    resp = next(w for w in status.windows if w.id == WindowId.RESP)
    assert resp.state == WindowState.NOT_APPLICABLE and resp.note == "级别提升"
    assert {w.id for w in changes.armed} == {WindowId.AUTH, WindowId.PRESS, WindowId.CONT}
    assert resp in changes.disarmed


def test_met_windows_never_move():
    status = incident()
    reconciled(status)
    resp = next(w for w in status.windows if w.id == WindowId.RESP)
    resp.state, resp.met_at = WindowState.MET, DETECTED + timedelta(hours=1)
    status.response_hours = 12
    changes = reconciled(status)
    assert resp.deadline == DETECTED + timedelta(hours=48) and resp not in changes.armed


def test_moved_deadline_rearms_only_that_timer():
    status = incident()
    reconciled(status)
    status.assignments[0].deadline_override = DETECTED + timedelta(hours=100)
    changes = reconciled(status, "延期")
    assert [w.id for w in changes.armed] == [WindowId.HANDLE]
    assert [w.id for w in changes.disarmed] == [WindowId.HANDLE]


def test_returned_assignment_windows_become_not_applicable():
    status = incident()
    reconciled(status)
    status.assignments[0].state = AssignmentState.RETURNED
    reconciled(status, "已退回")
    unit_windows = [w for w in status.windows if w.unit_id == "u1"]
    assert unit_windows and all(w.state == WindowState.NOT_APPLICABLE for w in unit_windows)


def test_continuing_release_starts_the_next_cycle_from_the_release():
    status = incident("nantong-2017", "E1", "重大")
    reconciled(status)
    cont = next(w for w in status.windows if w.id == WindowId.CONT)
    cont.state, cont.met_at = WindowState.MET, DETECTED + timedelta(hours=10)
    changes = reconciled(status)
    second = next(w for w in changes.armed if w.id == WindowId.CONT)
    assert second.seq == 2 and second.deadline == DETECTED + timedelta(hours=34)


def test_next_deadline_and_overdue():
    status = incident()
    reconciled(status)
    assert next_deadline(status) == DETECTED + timedelta(hours=2)  # W-ACK
    assert not is_overdue(status)
    ack = next(w for w in status.windows if w.id == WindowId.ACK)
    ack.state = WindowState.MISSED
    assert is_overdue(status)
    ack.met_at = DETECTED + timedelta(hours=3)  # met late: no longer overdue
    assert not is_overdue(status)
