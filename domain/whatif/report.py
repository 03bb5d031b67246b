"""The what-if as the README's "政策推演" shapes it (``whatif-YYYY-MM.json``), with the
side-by-side rows and the honest limits every rendering shows."""

from collections.abc import Callable
from typing import Any

from domain.bulletin import Bulletin, UnitFigures, on_time_rate
from domain.whatif.compare import WhatIf

# Per unit, side by side: (field, 中文); ``on_time_rate`` is derived (domain.bulletin).
UNIT_METRICS = [
    ("assigned", "交办"), ("acknowledged_on_time", "按时签收"),
    ("responded_on_time", "按时回应"), ("feedback_on_time", "按时反馈"),
    ("on_time_rate", "按时率"), ("urged", "催办"), ("supervised", "督办"),
    ("accountability", "问责"), ("missed", "超期时限"), ("completed", "办结"),
    ("overdue_now", "当前超期"),
]


def _value(unit: UnitFigures | None, metric: str) -> Any:
    if metric == "on_time_rate":  # none for a row with nothing assigned (the offices')
        return on_time_rate(unit) if unit is not None and unit.assigned else None
    return getattr(unit, metric) if unit is not None else 0


def _difference(actual: Any, proposed: Any) -> Any:
    if actual is None or proposed is None:
        return 0 if actual == proposed else None
    return round(proposed - actual, 4) if isinstance(actual, float) or isinstance(
        proposed, float) else proposed - actual


def _side_by_side(actual: list, proposed: list, key: str, metrics: list[str],
                  value: Callable[[Any, str], Any]) -> list[dict]:
    """Rows of either side, in the actual side's order: each metric as issued, as
    proposed, and the difference."""
    before = {getattr(r, key): r for r in actual}
    after = {getattr(r, key): r for r in proposed}
    rows = []
    for ident in [*before, *(k for k in after if k not in before)]:
        row: dict[str, Any] = {key: ident, "actual": {}, "proposed": {}, "difference": {}}
        for metric in metrics:
            old, new = value(before.get(ident), metric), value(after.get(ident), metric)
            row["actual"][metric], row["proposed"][metric] = old, new
            row["difference"][metric] = _difference(old, new)
        row["changed"] = any(v != 0 for v in row["difference"].values())
        rows.append(row)
    return rows


def unit_rows(actual: Bulletin, proposed: Bulletin) -> list[dict]:
    """Every row of either bulletin (the offices' row included), in the bulletin's order."""
    names = {u.unit_id: u.name for u in [*proposed.units, *actual.units]}
    return [{"unit_id": row["unit_id"], "name": names[row["unit_id"]], **row} for row in
            _side_by_side(actual.units, proposed.units, "unit_id",
                          [metric for metric, _ in UNIT_METRICS], _value)]


def window_rows(actual: Bulletin, proposed: Bulletin) -> list[dict]:
    return _side_by_side(actual.windows, proposed.windows, "id", ["due", "met", "missed"],
                         lambda window, metric: getattr(window, metric) if window else 0)


def assumptions(whatif: WhatIf) -> list[str]:
    """What the replay takes for granted, and how far that reaches in this month."""
    c = whatif.counts
    said = [
        "每件舆情的上报、研判和各单位的每条消息均按其实际到达的时间重放：假定各单位的行为不因"
        "拟议规则而改变 (inputs are replayed at the times they arrived: units are assumed "
        "not to react to the changed rule)。",
        f"按拟议规则，{c['refused_now_incidents']} 件舆情中共有 {c['refused_now_messages']} 条"
        "当时被受理的消息将被拒绝 (messages that would now be refused)；"
        f"{c['accepted_now_messages']} 条当时被拒绝的消息将被受理。",
        f"{c['late_now_incidents']} 件舆情中共有 {c['late_now_windows']} 个当时按时完成的时限，"
        "其消息将晚于拟议的新截止时间到达 (messages that would arrive after a new deadline)。",
        "本地默认值和规则版本在上报时写入每件舆情：正在办理的舆情不受调整影响，只有调整后上报的"
        f"舆情适用 (a running incident keeps its settings)；本月受影响的舆情中 {c['open_changed']} "
        "件仍在办理。",
        "截止时间在两条消息之间按其时刻触发，与工作流的定时器相同，推演至该舆情记录的最后时刻"
        "（已结束的舆情为其结束时）；通知等投递与取消请求不重放，不影响通报数字。",
        f"本月 {c['incidents']} 件舆情，重放 {c['replayed']} 件；{c['not_replayed']} 件无法重放，"
        "按实际计入两份通报。",
    ]
    if c["not_reproduced"]:
        said.append(f"{c['not_reproduced']} 件舆情按现行代码、不作调整重放时与当时记录不一致"
                    "（规则或代码已变更），其差异不全是拟议调整所致。")
    return said


def report_json(whatif: WhatIf) -> dict[str, Any]:
    """The what-if JSON (README, "政策推演"): side-by-side rows, limits in figures."""
    actual, proposed = whatif.bulletins()
    proposal = whatif.proposal
    return {
        "month": whatif.month, "settings": proposal.as_json(),
        "felt_by_running_incidents": proposal.felt_by_running_incidents(),
        "actual": actual.model_dump(mode="json"), "proposed": proposed.model_dump(mode="json"),
        "units": unit_rows(actual, proposed),
        "windows": window_rows(actual, proposed),
        "changed_incidents": [c.as_json() for c in sorted(whatif.changed,
                                                          key=lambda c: c.incident_id)],
        "limits": dict(whatif.counts), "not_replayed": whatif.problems,
        "assumptions": assumptions(whatif),
    }
