"""The incident page's current details (当前详情): what a supervisor needs at a glance.

Markdown the Web UI renders (lists, not tables: its renderer runs table cells together),
in Chinese, every time with its date, time and zone (北京时间). The details are written
when the incident changes, so every "剩余 / 已超期" says it was computed then. They open
with the true state and the late duties (``domain.current_state``); what awaits a
decision is shown in full, other texts shortened.
"""

import functools
from datetime import datetime

from domain.current_state import (
    OFFICE_NAME, overdue_block, reassignment_waiting, receipt_line, standing_deadline,
    state_line,
)
from domain.plain_text import code, plain
from domain.presentation import local_time, time_left
from domain.engine.step import clipped
from domain.receipts import named, receipt_text
from domain.status import OFFICE, AssignmentState, IncidentStatus, MessageReceipt, WindowState

TEXT_SHOWN = 120  # what a unit wrote, shown up to this many characters
RECENT = 8  # timeline entries and refusals shown, newest first


@functools.lru_cache(maxsize=1024)  # the same entries are shown again at every task
def _clip(text: str) -> str:
    return plain(clipped(" ".join(text.split()), TEXT_SHOWN))  # sender text: never Markdown


@functools.lru_cache(maxsize=1024)
def _at(moment: datetime | None) -> str:
    return f"{local_time(moment, with_year=True)} 北京时间" if moment else "—"


def _names(status: IncidentStatus) -> dict[str, str]:
    names = {a.unit_id: plain(a.name or a.unit_id) for a in status.assignments}
    names[OFFICE] = OFFICE_NAME
    return names


def _full(text: str) -> str:
    """A text awaiting a decision, whole: one Markdown paragraph (line breaks kept as ⏎)."""
    return " ⏎ ".join(plain(line) for line in text.strip().splitlines() if line.strip())


def _header(status: IncidentStatus) -> list[str]:
    lines = [
        f"**分类** {status.category.value + ' ' + status.category.label if status.category else '待研判'}"
        f" · **级别** {status.severity.value if status.severity else '待研判'}"
        f" · **政策配置** {status.profile.value} · 规则版本 {status.rules_version}"
        + (" · **造谣传谣**" if status.rumour else ""),
        "**责任单位** " + ("、".join(
            f"{plain(a.name or a.unit_id)}{'（牵头）' if a.lead else ''}"
            for a in (status.assignments if status.stage.is_final else status.active_assignments)
            if a.state != AssignmentState.RETURNED) or ("无" if status.stage.is_final else "待研判交办")),
    ]
    if status.accountability_recommended and status.escalation.value != "accountability":
        lines.append("**建议启动问责**（督办后仍未解决；依本地默认宽限期，须监察机关决定）")
    if status.monitoring_started_at:
        lines.append(f"**24小时全网舆情监测** 自 {_at(status.monitoring_started_at)}")
    return lines


def _waiting(status: IncidentStatus, names: dict[str, str]) -> list[str]:
    """What is waiting for whom; what awaits a decision in full, with who and when."""
    # a notice nobody received waits for the office, even once the incident has ended
    undelivered = [f"- ⚠️ 未送达：{named(u.notice, u.what)} → {'、'.join(u.recipients)}"
                   f"（{_clip(u.cause)}；{local_time(u.since)} 已提醒网信办，请电话或人工送达）"
                   for u in status.undelivered]
    if status.stage.is_final:
        return undelivered
    lines = reassignment_waiting(status, names)
    for a in status.active_assignments:
        name = plain(a.name or a.unit_id)
        ack = next((w for w in status.windows if w.id.value == "W-ACK"
                    and w.unit_id == a.unit_id and w.seq == a.round), None)
        if a.state == AssignmentState.ASSIGNED:
            due = f"（签收截止 {_at(ack.deadline)}）" if ack else "（交办单待补填）"
            lines.append(f"- 待签收：{name}{due}")
        if a.state == AssignmentState.FEEDBACK_SUBMITTED and a.feedback:
            f = a.feedback[-1]
            kind = "办理情况" if f.resolved else f"说明情况：暂不具备办理条件，预计 {_at(f.expected_by)} 办结"
            lines.append(f"- 待审核（网信办）：{name} 的情况反馈〔{kind}〕"
                         f"（{plain(f.actor)} {_at(f.submitted_at)} 提交）：「{_full(f.summary)}」")
        if a.extension_request:
            r = a.extension_request
            lines.append(f"- 待审批：{name} 申请延期至 {_at(r.until)}（{plain(r.actor)} "
                         f"{_at(r.requested_at)} 申请），理由：「{_full(r.reason)}」")
    c = status.consultation
    if c and c.concluded_at is None:
        lines.append(f"- 待记录会商研判意见（{local_time(c.called_at)} 已通知）")
    return lines + undelivered


def _units(status: IncidentStatus, now: datetime) -> list[str]:
    lines = []
    running = not status.stage.is_final
    for a in status.assignments:
        deadline = a.handling_deadline
        timed = any(w.id.value == "W-HANDLE" and w.unit_id == a.unit_id and w.seq == a.round
                    and w.state == WindowState.PENDING for w in status.windows)
        left = f"（写入时{time_left(deadline, now)}）" if deadline and timed and running else ""
        lead = "（牵头）" if a.lead else ""
        lines.append(f"- **{plain(a.name or a.unit_id)}**{lead} · {a.state.label} · "
                     f"办理期限 {_at(deadline)}{left}")
        reviewed = next((e for e in reversed(status.timeline)
                         if e.action == "review_feedback" and e.unit_id == a.unit_id),
                        None) if a.feedback and a.feedback[-1].review_comment else None
        if reviewed:
            lines.append(f"  - 审核意见（{plain(reviewed.actor)} {_at(reviewed.at)}）："
                         f"「{_full(a.feedback[-1].review_comment)}」")
        if running and a.state.is_active and (standing := standing_deadline(status, a)):
            lines.append(standing)
    return lines


def _windows(status: IncidentStatus, now: datetime, names: dict[str, str]) -> list[str]:
    lines = []
    for w in status.windows:
        if w.state == WindowState.NOT_APPLICABLE:
            continue
        owers = "、".join(names.get(o, o) for o in w.owed_by) or names.get(w.unit_id or "", "—")
        state = w.state.label
        if w.state == WindowState.PENDING and not status.stage.is_final:
            state += f"（写入时{time_left(w.deadline, now)}）"
        elif w.state == WindowState.MISSED and w.met_at:
            state += f"（{local_time(w.met_at)} 补办）"
        moved = (f"原 {local_time(w.original_deadline)} → "
                 if w.original_deadline and w.original_deadline != w.deadline else "")
        lines.append(f"- {w.id.value} {w.label} · {owers} · 截止 {moved}{_at(w.deadline)} · "
                     f"{state} · {'法定' if w.statutory else '本地默认'}")
    return lines


def _decisions(status: IncidentStatus, names: dict[str, str]) -> list[str]:
    """What units published and what supervisors decided, newest last."""
    lines = [f"- {local_time(r.published_at)} {r.channel.label}（{names.get(r.unit_id, r.unit_id)}）"
             f"：{_clip(r.summary)}" for r in status.responses]
    for entry in status.timeline:
        if entry.action in DECISIONS:
            lines.append(f"- {local_time(entry.at)} {plain(entry.actor)}：{_clip(entry.detail)}"
                         + _named_unit(entry.detail, entry.unit_id, names)
                         + ("〔本地默认，非法定〕" if entry.local_default else ""))
    return lines[-RECENT:]


DECISIONS = frozenset({"leader_instruction", "supervise", "start_accountability", "sanction",
                       "record_consultation", "decide_extension", "alert_office",
                       "recommend_accountability"})


def _named_unit(detail: str, unit_id: str | None, names: dict[str, str]) -> str:
    """Every decision line names its unit (where the text does not already)."""
    if not unit_id:
        return ""
    name = names.get(unit_id, unit_id)
    return f"（{name}）" if name and name not in detail and unit_id not in detail else ""


def _recent(status: IncidentStatus) -> list[str]:
    """The latest steps, accepted and refused, with who and when (newest first; of entries
    at the same moment the later recorded first). A refusal's reason is shown whole."""
    items = [(e.at, 0, i, f"{plain(e.actor)}：{_clip(e.detail)}")
             for i, e in enumerate(status.timeline[-RECENT:])]
    items += [(r.last_at or r.at, 1, i,
               f"✗ 被拒绝 {code(r.message)}（{plain(r.actor or '未署名')}）：{plain(r.reason)}"
               + (f"（连续 {r.repeated} 次）" if r.repeated > 1 else ""))
              for i, r in enumerate(status.rejected_inputs[-RECENT:])]
    items.sort(reverse=True)  # by (at, kind, index): unique, the text never compared
    return [f"- {local_time(at)} {text}" for at, _, _, text in items[:RECENT]]


def render_current_details(status: IncidentStatus, now: datetime,
                           last_update: tuple[MessageReceipt, str | None] | None = None) -> str:
    """``last_update``: the receipt of the last accepted update and who sent it."""
    names = _names(status)
    sections = [[state_line(status)], overdue_block(status, now, names)]
    if last_update is not None:
        sections.append([receipt_line(*last_update, status)])
    sections += [
        _header(status),
        [f"_写于 {_at(now)}。" + ("事件已结束，以下为结束时的记录。_" if status.stage.is_final else
         "其中“剩余 / 已超期”按写入时计算；此后的变化请刷新页面或查询 status。"
         "页首若显示 Terminated（已终止），本详情停在终止之前，以页首为准。_")],
    ]
    for title, lines in (("待办", _waiting(status, names)), ("各单位", _units(status, now)),
                         ("时限", _windows(status, now, names)),
                         ("回应与决定", _decisions(status, names)),
                         ("通知送达（新→旧）", [f"- {receipt_text(r)}"
                                          for r in reversed(status.notices[-RECENT:])]),
                         ("最近记录（新→旧）", _recent(status))):
        if lines:
            sections.append([f"**{title}**", *lines])
    if status.rejected_inputs:
        sections.append(["**最近被拒绝的消息**", *(
            f"- {local_time(r.at)} {code(r.message)}：{_clip(r.reason)}"
            for r in status.rejected_inputs[-3:])])
    return "\n\n".join("\n".join(lines) for lines in sections if lines)
