"""Compliance reports (合规审计报告) for auditors: per incident, and summarised over many.

Built from a status rebuilt from the incident's history alone, so it works long
after the worker that ran the incident is gone. Markdown and HTML for people,
JSON for machines.
"""

import html
from datetime import datetime
from collections import defaultdict

from pydantic import BaseModel

from domain.presentation import local_time as _short_time
from domain.status import OFFICE, IncidentStatus, Window, WindowState

OFFICE_ROW = "交办方（网信办、市政府办）"  # the offices' own windows, one row in reports and the 通报


class RequestRecord(BaseModel):
    """One request: the typed actor, the principal sealed into it (a verified login or a
    service's keys) and the client identity the server recorded."""

    at: datetime
    kind: str  # start / signal / update / cancel
    message: str
    actor: str
    identity: str
    principal: str = "—"

    @property
    def agreement(self) -> str:
        """Whether the typed actor names the verified principal (一致 / 不一致 / 未验证)."""
        if self.principal == "—":
            return "未验证"
        return "一致" if self.principal.lower() in self.actor.lower() else "不一致"


class RateRow(BaseModel):
    key: str
    met: int
    missed: int

    @property
    def on_time_rate(self) -> float | None:
        decided = self.met + self.missed
        return self.met / decided if decided else None


class BatchSummary(BaseModel):
    incidents: int
    closed: int
    withdrawn: int
    urged: int
    supervised: int
    accountability: int
    per_unit: list[RateRow]
    per_window: list[RateRow]


def local_time(moment) -> str:
    return _short_time(moment, with_year=True)


def _rate(row: RateRow) -> str:
    rate = row.on_time_rate
    return "—" if rate is None else f"{rate:.0%}"


def owers(status: IncidentStatus, window: Window) -> list[str]:
    """Who owed the window: recorded with it, or (older incidents) its unit or every unit."""
    if window.owed_by:
        return window.owed_by
    return [window.unit_id] if window.unit_id else status.responsible_unit_ids


def _owner_name(owner: str) -> str:
    return OFFICE_ROW if owner == OFFICE else owner


def _deadline(w: Window) -> str:
    """A moved deadline shows where it started (延期、已说明情况、退回重办)."""
    missed = "".join(f"（{local_time(d)} 曾超期）" for d in w.missed_deadlines)
    if w.original_deadline and w.original_deadline != w.deadline:
        return f"原 {local_time(w.original_deadline)} → {local_time(w.deadline)}{missed}"
    return local_time(w.deadline) + missed


def _done(w: Window) -> str:
    """Met on time, or made good after the deadline: a late action never reads as 满足."""
    if not w.met_at:
        return "—"
    if w.state == WindowState.MISSED:
        return f"逾期补办 {local_time(w.met_at)}（{w.met_by}）"
    return f"{local_time(w.met_at)}（{w.met_by}）"


def _windows_rows(status: IncidentStatus) -> list[list[str]]:
    rows = []
    for w in status.windows:
        rows.append([w.id.value + (f" #{w.seq}" if w.seq > 1 else ""), w.label, w.unit_id or "—",
                     "、".join(_owner_name(o) for o in owers(status, w)) or "—",
                     w.source + ("（法定）" if w.statutory else "（非法定）"),
                     _deadline(w), _done(w), w.state.label + (f"：{w.note}" if w.note else "")])
    return rows


def _sections(status: IncidentStatus, requests: list[RequestRecord] | None = None,
              ) -> list[tuple[str, list[str], list[list[str]]]]:
    escalations = [e for e in status.timeline if e.rule and e.rule.startswith("E-")]
    return [
        ("时限 Windows", ["规则", "时限", "单位", "承担方", "依据", "截止", "完成（动作）", "结果"],
         _windows_rows(status)),
        ("督办升级 Escalations", ["时间", "操作人", "规则", "依据", "内容"],
         [[local_time(e.at), e.actor, e.rule or "", "本地默认" if e.local_default else "法定/人工",
           e.detail] for e in escalations]),
        ("时间线 Timeline", ["时间", "操作人", "动作", "单位", "内容"],
         [[local_time(e.at), e.actor, e.action, e.unit_id or "—", e.detail]
          for e in status.timeline]),
        ("被拒绝的消息 Refused messages", ["时间", "消息", "操作人", "原因"],
         [[local_time(r.at), r.message, r.actor or "—", r.reason]
          for r in status.rejected_inputs]),
        ("请求来源 Requests（声明的操作人 / 经验证的身份 / 服务器记录的身份）",
         ["时间", "方式", "消息", "声明的操作人", "经验证的身份", "是否一致", "服务器记录的身份"],
         [[local_time(r.at), r.kind, r.message, r.actor, r.principal, r.agreement, r.identity]
          for r in requests or []]),
    ]


def _header(status: IncidentStatus) -> list[tuple[str, str]]:
    return [
        ("事件", f"{status.incident_id} {status.title}"),
        ("政策配置", status.profile.value),
        ("分类 / 级别", f"{status.category.value if status.category else '—'} / "
                      f"{status.severity.value if status.severity else '—'}"),
        ("阶段 / 督办", f"{status.stage.label} / {status.escalation.label}"),
        ("规则版本", f"{status.rules_version}"),
        ("会商研判", _consultation(status)),
        ("责任单位", "、".join(f"{a.name or a.unit_id}（{a.state.label}）"
                            for a in status.assignments) or "—"),
    ]


def _consultation(status: IncidentStatus) -> str:
    c = status.consultation
    if c is None:
        return "—"
    called = f"{local_time(c.called_at)} 通知 {'、'.join(c.members)}（{c.source}）"
    if c.concluded_at is None:
        return called + "；尚未记录意见"
    return called + f"；意见：{c.assessment}；预控处置：{c.measures}"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def incident_markdown(status: IncidentStatus, requests: list[RequestRecord] | None = None) -> str:
    lines = [f"# 合规审计报告 · {status.incident_id}", ""]
    lines += [f"- **{k}** {v}" for k, v in _header(status)]
    for title, head, rows in _sections(status, requests):
        lines += ["", f"## {title}", ""]
        if not rows:
            lines.append("（无）")
            continue
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def html_table(head: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p>（无）</p>"
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = ("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
          "td,th{border:1px solid #999;padding:4px 8px;text-align:left}</style>")


def _html_page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>{_STYLE}</head><body>{body}</body></html>\n")


def incident_html(status: IncidentStatus, requests: list[RequestRecord] | None = None) -> str:
    title = f"合规审计报告 · {status.incident_id}"
    parts = [f"<h1>{html.escape(title)}</h1><ul>"]
    parts += [f"<li><b>{html.escape(k)}</b> {html.escape(v)}</li>" for k, v in _header(status)]
    parts.append("</ul>")
    for section, head, rows in _sections(status, requests):
        parts.append(f"<h2>{html.escape(section)}</h2>{html_table(head, rows)}")
    return _html_page(title, "".join(parts))


def _count(per_window: dict, per_unit: dict, window_id: str, owners: list[str],
           field: str) -> None:
    """A window counts for each unit that owed it; the office's own (W-BACKFILL, W-ANALYZE)
    count for the office, never against a unit (SPEC §4, §8)."""
    keys = [(per_window, window_id)] + [(per_unit, _owner_name(o)) for o in owners]
    for table, key in keys:
        table[key].key = key
        setattr(table[key], field, getattr(table[key], field) + 1)


def summarise(statuses: list[IncidentStatus]) -> BatchSummary:
    per_unit: dict[str, RateRow] = defaultdict(lambda: RateRow(key="", met=0, missed=0))
    per_window: dict[str, RateRow] = defaultdict(lambda: RateRow(key="", met=0, missed=0))
    for status in statuses:
        for w in status.windows:
            owners = owers(status, w)
            for _ in w.missed_deadlines:  # a deadline missed before it was moved stays a miss
                _count(per_window, per_unit, w.id.value, owners, "missed")
            if w.state not in (WindowState.MET, WindowState.MISSED):
                continue
            field = "met" if w.state == WindowState.MET else "missed"
            _count(per_window, per_unit, w.id.value, owners, field)
    levels = [s.escalation.rank for s in statuses]
    return BatchSummary(
        incidents=len(statuses),
        closed=sum(s.stage.value == "closed" for s in statuses),
        withdrawn=sum(s.stage.value == "withdrawn" for s in statuses),
        urged=sum(rank >= 1 for rank in levels),
        supervised=sum(rank >= 2 for rank in levels),
        accountability=sum(rank >= 3 for rank in levels),
        per_unit=sorted(per_unit.values(), key=lambda r: r.key),
        per_window=sorted(per_window.values(), key=lambda r: r.key),
    )


def _summary_sections(summary: BatchSummary) -> list[tuple[str, list[str], list[list[str]]]]:
    counts = [["事件数", str(summary.incidents)], ["办结", str(summary.closed)],
              ["撤销", str(summary.withdrawn)], ["催办", str(summary.urged)],
              ["督办", str(summary.supervised)], ["问责", str(summary.accountability)]]
    return [
        ("总览 Overview", ["项目", "数量"], counts),
        ("各单位按时率 On-time rate per unit", ["单位", "按时", "超期", "按时率"],
         [[r.key, str(r.met), str(r.missed), _rate(r)] for r in summary.per_unit]),
        ("各时限按时率 On-time rate per window", ["时限", "按时", "超期", "按时率"],
         [[r.key, str(r.met), str(r.missed), _rate(r)] for r in summary.per_window]),
    ]


def summary_markdown(summary: BatchSummary) -> str:
    lines = ["# 舆情回应交办督办 · 汇总报告"]
    for title, head, rows in _summary_sections(summary):
        lines += ["", f"## {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def summary_html(summary: BatchSummary) -> str:
    title = "舆情回应交办督办 · 汇总报告"
    body = f"<h1>{title}</h1>" + "".join(
        f"<h2>{html.escape(t)}</h2>{html_table(h, rows)}" for t, h, rows in _summary_sections(summary))
    return _html_page(title, body)
