"""Bounded field types every message and the start share (limits in domain/limits.py)."""

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field

from domain import limits


def not_blank(value: str) -> str:
    if not (stripped := value.strip()):
        raise ValueError("不能为空 (must not be blank)")
    return stripped


_SPACE = re.compile(r"\s")  # any character str.isspace() calls a space


def _unit_id(value: str) -> str:
    value = not_blank(value)
    if len(value.encode("utf-8")) > limits.MAX_UNIT_ID_BYTES:
        raise ValueError(f"单位编号最长 {limits.MAX_UNIT_ID_BYTES} 字节 "
                         f"(at most {limits.MAX_UNIT_ID_BYTES} UTF-8 bytes)")
    if not value.isprintable() or _SPACE.search(value):
        raise ValueError("单位编号不能含空白或控制字符 (no spaces or control characters)")
    return value


def _in_range(value: datetime) -> datetime:
    if not limits.EARLIEST <= value < limits.LATEST:
        raise ValueError(f"时间须在 {limits.EARLIEST.year} 年至 {limits.LATEST.year} 年之间 "
                         "(out of range)")
    return value


# Every string and list is bounded (domain/limits.py); the reason names the limit.
Text = Annotated[str, Field(max_length=limits.MAX_TEXT_CHARS), AfterValidator(not_blank)]
Name = Annotated[str, Field(max_length=limits.MAX_NAME_CHARS), AfterValidator(not_blank)]
OptionalName = Annotated[str, Field(max_length=limits.MAX_NAME_CHARS)]
OptionalText = Annotated[str, Field(max_length=limits.MAX_TEXT_CHARS)]
Url = Annotated[str, Field(max_length=limits.MAX_URL_CHARS)]
UnitId = Annotated[str, Field(max_length=limits.MAX_UNIT_ID_BYTES), AfterValidator(_unit_id)]
UnitIds = Annotated[list[UnitId], Field(max_length=limits.MAX_ACTIVE_UNITS)]
Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]
Hours = Annotated[float, Field(gt=0, le=limits.MAX_HOURS, allow_inf_nan=False)]
MessageId = Annotated[str, Field(min_length=1, max_length=limits.MAX_MESSAGE_ID_CHARS,
                                 pattern=r"^[\x21-\x7e]+$")]
BOUNDED = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)
