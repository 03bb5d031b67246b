"""legacy.timers: only the nearest pending deadline holds a durable timer (no server)."""

from datetime import datetime, timedelta, timezone

from domain.status import Window, WindowId, WindowState
from legacy.timers import nearest_to_arm

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def window(id: WindowId, hours: float, unit: str | None = "u1", **fields) -> Window:
    return Window(id=id, unit_id=unit, label=id.value, hours=hours,
                  deadline=T0 + timedelta(hours=hours), statutory=True, source="测试", **fields)


ACK, RESP, HANDLE = window(WindowId.ACK, 2), window(WindowId.RESP, 48, None), \
    window(WindowId.HANDLE, 72)
ALL = [RESP, ACK, HANDLE]


def wanted(*windows: Window) -> dict:
    return dict.fromkeys(w.key for w in windows)


def test_the_nearest_wanted_deadline_is_armed_first():
    assert nearest_to_arm(ALL, wanted(*ALL), {}) == ACK


def test_nothing_more_while_a_timer_falls_no_later():
    assert nearest_to_arm(ALL, wanted(*ALL), {ACK.key: ACK.deadline}) is None
    later = window(WindowId.ACK, 2, "u2")  # the same deadline: the running timer serves it
    assert nearest_to_arm([later], wanted(later), {ACK.key: ACK.deadline}) is None


def test_when_the_nearest_is_met_or_fired_the_next_nearest_is_armed():
    assert nearest_to_arm(ALL, wanted(RESP, HANDLE), {}) == RESP
    met = ACK.model_copy(update={"state": WindowState.MET})
    assert nearest_to_arm([met, RESP, HANDLE], wanted(met, RESP, HANDLE), {}) == RESP


def test_a_new_deadline_before_the_running_timer_gets_its_own():
    sooner = window(WindowId.ACK, 1, "u2")
    armed = {RESP.key: RESP.deadline}
    assert nearest_to_arm([RESP, sooner], wanted(RESP, sooner), armed) == sooner


def test_windows_not_asked_for_or_not_pending_are_never_armed():
    missed = ACK.model_copy(update={"state": WindowState.MISSED})
    assert nearest_to_arm([missed, HANDLE], wanted(missed), {}) is None
    assert nearest_to_arm(ALL, {}, {}) is None


def test_ties_keep_the_window_order():
    first, second = window(WindowId.ACK, 2, "u1"), window(WindowId.ACK, 2, "u2")
    assert nearest_to_arm([first, second], wanted(first, second), {}) == first
