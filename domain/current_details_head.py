"""The top of the incident page (当前详情页首): the true state, who is late by how much, and
the answer to the last update — what a supervisor must read first.

Plain functions over the status; ``domain.current_details`` places them above the rest.
"""

from datetime import datetime

from domain.plain_text import plain
from domain.presentation import local_time
from domain.engine.step import clipped
from domain.status import (
    OFFICE, Assignment, AssignmentState, IncidentStatus, MessageReceipt, Stage, TimelineEntry,
    Window, WindowState,
)

OFFICE_NAME = "网信办/市政府办（交办方）"
RECEIPT_DETAIL = 40  # characters of each step the receipt names (the text is further down)


def at_beijing(moment: datetime | None) -> str:
    return f"{local_time(moment, with_year=True)} 北京时间" if moment else "—"


def overdue_by(deadline: datetime, now: datetime) -> str:
    """已超期 X天Y小时 (under a day: hours and minutes, so a fresh miss reads as such)."""
    minutes = max(0, int((now - deadline).total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return f"{days}天{hours}小时" if days else f"{hours}小时{minutes:02d}分"


def _ending(status: IncidentStatus) -> TimelineEntry | None:
    """The timeline entry that ended the incident (办结 or 撤销): who and when."""
    return next((e for e in reversed(status.timeline) if e.action == status.stage.value), None)


def state_line(status: IncidentStatus) -> str:
    """办结 / 已撤销 with who and when, or 进行中 with stage and escalation.

    A terminated run cannot write its own details: the UI's status badge (Terminated)
    and ``yuqing status`` / ``yuqing report`` say 已终止 (README)."""
    if status.stage.is_final:
        ending = _ending(status)
        word = "办结" if status.stage == Stage.CLOSED else "已撤销"
        who = f" · {plain(ending.actor)}" if ending else ""
        why = f"\n\n{plain(ending.detail)}；无待办，各时限不再计时" if ending else ""
        return f"## 状态：{word} · {at_beijing(status.closed_at)}{who}{why}"
    return (f"## 状态：进行中 · {status.stage.label} · 督办 {status.escalation.label}"
            + (" · ⚠️ 超期" if late_duties(status, None) else ""))


def _returned(status: IncidentStatus) -> dict[str, Assignment]:
    return {a.unit_id: a for a in status.assignments if a.state == AssignmentState.RETURNED}


def _current_round(window: Window, status: IncidentStatus) -> bool:
    """A unit's window of an earlier 交办 round (before a return) is no longer owed."""
    assignment = status.assignment(window.unit_id) if window.unit_id else None
    return assignment is None or window.seq == assignment.round or window.id.value == "W-CONT"


def late_duties(status: IncidentStatus, now: datetime | None) -> list[tuple[str, Window]]:
    """(owner, window) for every duty late now: an unresolved miss, or a pending window whose
    deadline has passed before its timer fired; returned units owe nothing any more."""
    if status.stage.is_final:
        return []
    returned = _returned(status)
    late = []
    for w in status.windows:
        passed = now is not None and w.state == WindowState.PENDING and w.deadline < now
        if not (w.unresolved_miss or passed) or not _current_round(w, status):
            continue
        owners = w.owed_by or ([w.unit_id] if w.unit_id else [OFFICE])
        late += [(owner, w) for owner in owners if owner not in returned]
    return sorted(late, key=lambda item: item[1].deadline)


def overdue_block(status: IncidentStatus, now: datetime, names: dict[str, str]) -> list[str]:
    """One line per late duty: 单位（或交办方）· 时限 · 截止 · 已超期 X天Y小时."""
    late = late_duties(status, now)
    if not late:
        return []
    return [f"**⚠️ 超期（{len(late)} 项，按写入时计算）**", *(
        f"- {names.get(owner, owner)} · {w.id.value} {w.label} · 截止 {at_beijing(w.deadline)}"
        f" · 已超期 {overdue_by(w.deadline, now)}" for owner, w in late)]


def reassignment_waiting(status: IncidentStatus, names: dict[str, str]) -> list[str]:
    """待办 for the office: a unit returned its assignment and no later 研判 assigned again."""
    if status.stage.is_final:
        return []
    lines = []
    for unit_id, assignment in _returned(status).items():
        returned = next((e for e in reversed(status.timeline)
                         if e.action == "return_assignment" and e.unit_id == unit_id), None)
        since = returned.at if returned else assignment.assigned_at
        if any(e.action in ("analyze", "reanalyze") and e.at > since for e in status.timeline):
            continue
        who = f"，{plain(returned.actor)} {at_beijing(returned.at)} 退回" if returned else ""
        lines.append(f"- 待重新交办（网信办）：{names.get(unit_id, unit_id)} 称非本单位职责"
                     f"「{plain(assignment.return_reason or '—')}」{who}；请发 `analyze` 指定承办单位")
    return lines


def receipt_line(receipt: MessageReceipt, actor: str | None, status: IncidentStatus) -> str:
    """受理回执 of the last accepted update: the UI itself only says "Update successful"."""
    nearest = next((w for w in status.windows if w.state == WindowState.PENDING
                    and w.deadline == receipt.next_deadline), None)
    following = (f"{nearest.id.value} {nearest.label} {at_beijing(nearest.deadline)}"
                 if nearest else at_beijing(receipt.next_deadline))
    done = "；".join(plain(clipped(e.detail, RECEIPT_DETAIL)) for e in receipt.effects[:3]) \
        or "无变化（重复消息）"
    return (f"**上一条消息**：`{receipt.message}`（{plain(actor or '未署名')}，"
            f"{at_beijing(receipt.accepted_at)}）已受理：{done} → 阶段 {receipt.stage.label}、"
            f"下一时限 {following if receipt.next_deadline else '无'}"
            + ("、⚠️ 仍有超期" if receipt.overdue else ""))


def standing_deadline(status: IncidentStatus, assignment: Assignment) -> str | None:
    """Which 办理期限 stands after decisions that moved it (延期、退回重办、说明情况), said once."""
    moved = [e for e in status.timeline if e.unit_id == assignment.unit_id and (
        (e.action == "decide_extension" and e.detail.startswith("同意"))
        or (e.action == "review_feedback" and not e.detail.startswith("审核通过，办结")))]
    if not moved or assignment.handling_deadline is None:
        return None
    last = moved[-1]
    earlier = f"；此前 {len(moved) - 1} 项决定的期限不再适用" if len(moved) > 1 else ""
    return (f"  - 现行办理期限 {at_beijing(assignment.handling_deadline)}：以 "
            f"{at_beijing(last.at)} {plain(last.actor)}「{plain(last.detail)}」为准{earlier}")
