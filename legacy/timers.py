"""Which pending windows hold a durable timer: the nearest deadline, not every one.

An open incident waits on several windows at once (签收, 回应, 办理 …). A pending
timer is not free: the worker keeps, for every cached incident, a task, a command
and a history event for each one. The nearest deadline always falls first, so only
it needs a timer; when it fires or is met, the next nearest is armed. Each deadline
still has at most one timer, started before it falls. This is workflow version 2
(``domain.workflow_versions``); incidents opened before it keep a timer per window.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from domain.engine.step import WindowKey
from domain.status import Window, WindowState


def nearest_to_arm(windows: Iterable[Window], wanted: Mapping[WindowKey, object],
                   armed: Mapping[WindowKey, datetime]) -> Window | None:
    """The window whose timer must start now, if any.

    ``wanted``: the windows the procedure asked to be timed and not yet disarmed;
    ``armed``: the deadlines of the timers running. The nearest pending wanted window
    gets a timer unless a running timer falls no later (ties keep the window order).
    """
    waiting = [w for w in windows
               if w.key in wanted and w.key not in armed and w.state == WindowState.PENDING]
    if not waiting:
        return None
    nearest = min(waiting, key=lambda w: w.deadline)
    if armed and nearest.deadline >= min(armed.values()):
        return None
    return nearest
