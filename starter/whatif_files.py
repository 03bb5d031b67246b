"""The what-if as files: ``whatif-YYYY-MM.json`` (README, "政策推演"), ``.md``, and a
self-contained ``.html`` with the units' on-time rates, as issued and as proposed, in one
inline SVG chart.
Tables and charts are drawn with the bulletin's own helpers."""

import html
import json
import warnings
from pathlib import Path
from typing import Any

from activities.bulletin_files import _STYLE, _cell, _md_table, _svg, plt
from domain.audit_report import html_table
from domain.whatif.report import UNIT_METRICS

WINDOW_FIGURES = [("due", "应办"), ("met", "按时"), ("missed", "超期")]


def _shown(value: Any) -> str:
    return "—" if value is None else _cell(value)


def _pair(actual: Any, proposed: Any, difference: Any) -> str:
    if actual == proposed:
        return _shown(actual)
    if difference is None:
        return f"{_shown(actual)} → {_shown(proposed)}"
    shown = f"{difference:+.0%}" if isinstance(difference, float) else f"{difference:+d}"
    return f"{_shown(actual)} → {_shown(proposed)} ({shown})"


def _unit_table(report: dict) -> tuple[list[str], list[list[str]]]:
    head = ["单位", *(label for _, label in UNIT_METRICS)]
    rows = [[f"{r['name'] or r['unit_id']}{' ★' if r['changed'] else ''}",
             *(_pair(r["actual"][m], r["proposed"][m], r["difference"][m])
               for m, _ in UNIT_METRICS)] for r in report["units"]]
    return head, rows


def _window_table(report: dict) -> tuple[list[str], list[list[str]]]:
    head = ["时限", *(label for _, label in WINDOW_FIGURES)]
    rows = [[r["id"], *(_pair(r["actual"][k], r["proposed"][k], r["difference"][k])
                        for k, _ in WINDOW_FIGURES)] for r in report["windows"]]
    return head, rows


def _changed_table(report: dict) -> tuple[list[str], list[list[str]]]:
    head = ["舆情", "涉及单位", "办理中", "现被拒绝的消息", "晚于新截止", "首个不同的步骤"]
    felt = "是（受影响）" if any(report["felt_by_running_incidents"].values()) else "是（不受影响）"
    rows = [[c["incident_id"], "、".join(c["units"]), felt if c["open"] else "否",
             str(c["refused_now"]), str(c["late_now"]), c["first_difference"]]
            for c in report["changed_incidents"]]
    return head, rows


def _settings_line(report: dict) -> str:
    if not report["settings"]:
        return "拟议设置：无（与实际相同，用于核验重放）"
    felt = report["felt_by_running_incidents"]
    return "拟议设置：" + "，".join(
        f"{key} = {value}{'（正在办理的舆情也受影响）' if felt.get(key) else ''}"
        for key, value in report["settings"].items())


def _sections(report: dict) -> list[tuple[str, tuple[list[str], list[list[str]]]]]:
    return [("各单位（实际 → 推演，★ 有变化）", _unit_table(report)),
            ("各时限", _window_table(report)),
            ("结果改变的舆情", _changed_table(report))]


def _headline(report: dict) -> list[str]:
    before, after = report["actual"]["incidents"], report["proposed"]["incidents"]
    return [_settings_line(report),
            f"统计口径：{report['month']} 首次发现的舆情（北京时间），共 {before['reported']} 件；"
            f"推演已结束 {after['closed']} 件（实际 {before['closed']} 件）",
            f"结果改变的舆情 {len(report['changed_incidents'])} 件"]


def markdown(report: dict) -> str:
    lines = [f"# 政策推演 · {report['month']}", "", *(f"- {line}" for line in _headline(report)),
             ""]
    for title, (head, rows) in _sections(report):
        lines += [f"## {title}", "", *_md_table(head, rows), ""]
    lines += ["## 前提与局限", "", *(f"- {a}" for a in report["assumptions"])]
    return "\n".join(lines) + "\n"


def chart(report: dict) -> str:
    """按时率 per unit: as issued beside as proposed."""
    rows = [r for r in report["units"] if r["actual"]["assigned"] or r["proposed"]["assigned"]]
    names = [r["name"] or r["unit_id"] for r in rows]
    figure, axes = plt.subplots(figsize=(max(4, 0.9 * len(rows) + 2), 3))
    positions = range(len(rows))
    axes.bar([p - 0.2 for p in positions], [r["actual"]["on_time_rate"] or 0 for r in rows],
             0.4, label="实际按时率")
    axes.bar([p + 0.2 for p in positions], [r["proposed"]["on_time_rate"] or 0 for r in rows],
             0.4, label="推演按时率")
    axes.set_xticks(list(positions), names, rotation=30, ha="right")
    axes.set_ylim(0, 1)
    axes.set_title(f"{report['month']} 各单位按时率：实际与推演")
    axes.legend()
    with warnings.catch_warnings():  # text stays text in the SVG: the reader's fonts draw it
        warnings.simplefilter("ignore", UserWarning)
        return _svg(figure)


def html_page(report: dict) -> str:
    title = f"政策推演 · {report['month']}"
    parts = [f"<h1>{html.escape(title)}</h1>",
             "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in _headline(report))
             + "</ul>", chart(report)]
    for heading, (head, rows) in _sections(report):
        parts += [f"<h2>{html.escape(heading)}</h2>", html_table(head, rows)]
    parts += ["<h2>前提与局限</h2>",
              "<ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in report["assumptions"])
              + "</ul>"]
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>{_STYLE}</head><body>{''.join(parts)}"
            "</body></html>\n")


def write(report: dict, out: Path) -> list[Path]:
    """``whatif-YYYY-MM.{json,md,html}`` in ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"whatif-{report['month']}"
    files = {f"{stem}.json": json.dumps(report, ensure_ascii=False, indent=2),
             f"{stem}.md": markdown(report), f"{stem}.html": html_page(report)}
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return [out / name for name in files]
