"""Chinese-first text for people: the UI's current details and refusal reasons."""

from datetime import datetime, timedelta, timezone

from pydantic import ValidationError

from domain.status import OFFICE, IncidentStatus, WindowState

BEIJING = timezone(timedelta(hours=8))


def local_time(moment: datetime | None, with_year: bool = False) -> str:
    """Beijing time; audits need the year, the UI's at-a-glance view does not."""
    if moment is None:
        return "—"
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M")


def time_left(deadline: datetime, now: datetime) -> str:
    delta = deadline - now
    sign = "剩余" if delta >= timedelta(0) else "已超期"
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{sign} {hours}小时{minutes:02d}分"


# Chinese first for the problems a supervisor typing JSON will meet; pydantic's English follows.
_PROBLEMS = {
    "enum": "取值无效",
    "literal_error": "取值无效",
    "string_type": "须为文本",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "greater_than": "须大于下限",
    "datetime_type": "须为时间，如 2026-11-21T09:00:00+08:00",
    "datetime_parsing": "须为时间，如 2026-11-21T09:00:00+08:00",
    "datetime_from_date_parsing": "须为时间，如 2026-11-21T09:00:00+08:00",
    "timezone_aware": "须带时区，如 +08:00",
    "list_type": "须为列表 [...]",
    "model_type": "须为 JSON 对象 {...}",
    "dict_type": "须为 JSON 对象 {...}",
}


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, naming the field, so a supervisor can fix the JSON."""
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "消息"
        kind = item["type"]
        if kind == "missing":
            text = "缺少必填字段 (required)"
        elif kind == "extra_forbidden":
            text = "未知字段，请检查拼写 (unknown field)"
        elif kind == "value_error":  # our own validators already speak Chinese
            text = item["msg"].removeprefix("Value error, ")
        else:
            text = f"{_PROBLEMS.get(kind, '格式不符')} ({item['msg']})"
        problems.append(f"{where}：{text}")
    return "；".join(problems)


def render_current_details(status: IncidentStatus, now: datetime) -> str:
    """Markdown for the UI's current details: the incident at a glance."""
    lines = [
        f"**阶段** {status.stage.label}　**督办** {status.escalation.label}"
        + ("　⚠️ **已超期**" if status.overdue else ""),
        f"**分类** {status.category.value if status.category else '待研判'}"
        f"　**级别** {status.severity.value if status.severity else '待研判'}"
        f"　**政策配置** {status.profile.value}"
        + ("　**造谣传谣**" if status.rumour else ""),
    ]
    if status.accountability_recommended and status.escalation.value != "accountability":
        lines.append("**建议启动问责**（督办后仍未解决；依本地默认宽限期，须人工决定）")
    if status.monitoring_started_at:
        lines.append(f"**24小时全网舆情监测** 自 {local_time(status.monitoring_started_at)} 起")
    if status.consultation:
        c = status.consultation
        lines.append(f"**会商研判** {local_time(c.called_at)} 已通知"
                     + (f"；意见：{c.assessment}；预控处置：{c.measures}" if c.concluded_at
                        else "；待记录意见（record_consultation）"))
    if status.assignments:
        lines += ["", "| 责任单位 | 状态 | 办理期限 |", "|---|---|---|"]
        for a in status.assignments:
            deadline = a.handling_deadline
            left = f"（{time_left(deadline, now)}）" if deadline and a.state.is_active else ""
            lead = "（牵头）" if a.lead else ""
            lines.append(f"| {a.name or a.unit_id}{lead} | {a.state.label} | "
                         f"{local_time(deadline)}{left} |")
    if status.windows:
        lines += ["", "| 时限 | 承担方 | 截止 | 状态 | 依据 |", "|---|---|---|---|---|"]
        for w in status.windows:
            mark = "法定" if w.statutory else "本地默认"
            state = w.state.label
            if w.state == WindowState.PENDING:
                state += f"（{time_left(w.deadline, now)}）"
            elif w.state == WindowState.MISSED and w.met_at:
                state += f"（{local_time(w.met_at)} 补办）"
            owers = "、".join("网信办（交办方）" if o == OFFICE else o for o in w.owed_by)
            moved = (f"原 {local_time(w.original_deadline)} → "
                     if w.original_deadline and w.original_deadline != w.deadline else "")
            lines.append(f"| {w.id.value} {w.label} | {owers or w.unit_id or '—'} | "
                         f"{moved}{local_time(w.deadline)} | {state} | {mark} |")
    if status.sanctions:
        lines += ["", "**通报批评 · 约谈 · 效能问责 · 表扬**"]
        for s in status.sanctions:
            lines.append(f"- {local_time(s.decided_at)} {s.kind.label} {s.unit_id}"
                         f"（{s.office}）：{s.reason}")
    if status.rejected_inputs:
        lines += ["", "**最近被拒绝的消息**"]
        for r in status.rejected_inputs[-3:]:
            lines.append(f"- {local_time(r.at)} `{r.message}`：{r.reason}")
    # Current details are written when the incident changes, not every minute.
    lines += ["", f"_更新于 {local_time(now)}，剩余时间以此刻计_"]
    return "\n".join(lines)
