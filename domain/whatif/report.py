"""The what-if as CONTRACT shapes it (``whatif-YYYY-MM.json``), with the side-by-side rows
and the honest limits every rendering shows."""

from typing import Any

from domain.audit_report import OFFICE_ROW
from domain.bulletin import Bulletin, UnitFigures, on_time_rate
from domain.status import OFFICE
from domain.whatif.compare import WhatIf

# Per unit, side by side: (field, 中文). ``on_time_rate`` and ``windows_missed`` are derived.
UNIT_METRICS = [
    ("assigned", "交办"), ("acknowledged_on_time", "按时签收"),
    ("responded_on_time", "按时回应"), ("feedback_on_time", "按时反馈"),
    ("on_time_rate", "按时率"), ("urged", "催办"), ("supervised", "督办"),
    ("accountability", "问责"), ("windows_missed", "超期时限"), ("completed", "办结"),
    ("overdue_now", "当前超期"),
]


def _value(unit: UnitFigures | None, metric: str, missed: dict[str, int], unit_id: str) -> Any:
    if metric == "windows_missed":
        return missed.get(unit_id, 0)
    if unit is None:
        return 0
    return on_time_rate(unit) if metric == "on_time_rate" else getattr(unit, metric)


def _difference(actual: Any, proposed: Any) -> Any:
    return round(proposed - actual, 4) if isinstance(actual, float) or isinstance(
        proposed, float) else proposed - actual


def unit_rows(whatif: WhatIf, actual: Bulletin, proposed: Bulletin) -> list[dict]:
    """Every unit (and the offices' row, when the bulletin has one) in either bulletin,
    or owing a missed window in either."""
    before = {u.unit_id: u for u in actual.units}
    after = {u.unit_id: u for u in proposed.units}
    missed_before, missed_after = whatif.missed["actual"], whatif.missed["proposed"]
    ids = sorted(before.keys() | after.keys() | missed_before.keys() | missed_after.keys())
    rows = []
    for unit_id in ids:
        unit = before.get(unit_id) or after.get(unit_id)
        name = unit.name if unit else (OFFICE_ROW if unit_id == OFFICE else "")
        row: dict[str, Any] = {"unit_id": unit_id, "name": name,
                               "actual": {}, "proposed": {}, "difference": {}}
        for metric, _ in UNIT_METRICS:
            old = _value(before.get(unit_id), metric, missed_before, unit_id)
            new = _value(after.get(unit_id), metric, missed_after, unit_id)
            row["actual"][metric], row["proposed"][metric] = old, new
            row["difference"][metric] = _difference(old, new)
        row["changed"] = any(v != 0 for v in row["difference"].values())
        rows.append(row)
    return rows


def window_rows(actual: Bulletin, proposed: Bulletin) -> list[dict]:
    before = {w.id: w for w in actual.windows}
    after = {w.id: w for w in proposed.windows}
    order = [w.id for w in actual.windows] + [w.id for w in proposed.windows
                                              if w.id not in before]
    rows = []
    for window_id in order:
        old, new = before.get(window_id), after.get(window_id)
        figures = {key: ((getattr(old, key) if old else 0), (getattr(new, key) if new else 0))
                   for key in ("due", "met", "missed")}
        rows.append({"id": window_id, "actual": {k: a for k, (a, _) in figures.items()},
                     "proposed": {k: p for k, (_, p) in figures.items()},
                     "difference": {k: p - a for k, (a, p) in figures.items()}})
    return rows


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
    """CONTRACT's what-if JSON, with the side-by-side rows and the limits in figures."""
    actual, proposed = whatif.bulletins()
    proposal = whatif.proposal
    return {
        "month": whatif.month, "settings": proposal.as_json(),
        "felt_by_running_incidents": proposal.felt_by_running_incidents(),
        "actual": actual.model_dump(mode="json"), "proposed": proposed.model_dump(mode="json"),
        "units": unit_rows(whatif, actual, proposed),
        "windows": window_rows(actual, proposed),
        "changed_incidents": [c.as_json() for c in sorted(whatif.changed,
                                                          key=lambda c: c.incident_id)],
        "limits": dict(whatif.counts), "not_replayed": whatif.problems,
        "assumptions": assumptions(whatif),
    }
