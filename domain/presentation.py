"""Chinese-first text for people: Beijing time, the UI's current details and refusal reasons.

Light on purpose (pydantic for type checking only): the CLI's parser imports ``BEIJING``.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


BEIJING = timezone(timedelta(hours=8))  # 北京时间: every date people read, the bulletin's months


@functools.lru_cache(maxsize=1024)  # the current details show the same moments task after task
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
