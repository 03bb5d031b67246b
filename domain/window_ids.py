"""Window ids (时限编号): ``"W-ACK"`` and the like, as histories and search attributes hold them.

An id is a string, not an enum member, so a profile can add a window of its own by one
entry (``domain.profiles.WindowRule``) without touching this module. The windows of
SPEC §4 are named here once, with their labels; iterating ``WindowId`` gives them in
the order the README and the bulletin show them. Any other id is shown after them.
"""

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic_core import core_schema

OFFICE = "office"  # a window owed by the assigning office (网信办、市政府办), not a unit
ID_PATTERN = re.compile(r"W-[A-Z][A-Z0-9-]{0,30}")

# (attribute, id, label) of SPEC §4's windows, plus the local-default analysis window.
BUILT_IN = (
    ("ANALYZE", "W-ANALYZE", "研判"),
    ("FACTS", "W-FACTS", "发布已掌握的事实信息"),
    ("AUTH", "W-AUTH", "发布权威信息"),
    ("PRESS", "W-PRESS", "举行新闻发布会"),
    ("RESP", "W-RESP", "予以回应"),
    ("HANDLE", "W-HANDLE", "办理时限（情况反馈）"),
    ("ACK", "W-ACK", "签收回传交办单"),
    ("BACKFILL", "W-BACKFILL", "补充填报交办单"),
    ("CONT", "W-CONT", "持续发布权威信息"),
)
LABELS = {value: label for _, value, label in BUILT_IN}


class _BuiltIn(type):
    def __iter__(cls) -> Iterator["WindowId"]:
        return (getattr(cls, name) for name, _, _ in BUILT_IN)


class WindowId(str, metaclass=_BuiltIn):
    """A window's id: ``W-`` and capitals (``W-ACK``); compares equal to its string."""

    __slots__ = ()
    ANALYZE: ClassVar["WindowId"]
    FACTS: ClassVar["WindowId"]
    AUTH: ClassVar["WindowId"]
    PRESS: ClassVar["WindowId"]
    RESP: ClassVar["WindowId"]
    HANDLE: ClassVar["WindowId"]
    ACK: ClassVar["WindowId"]
    BACKFILL: ClassVar["WindowId"]
    CONT: ClassVar["WindowId"]

    def __new__(cls, value: str) -> "WindowId":
        if isinstance(value, WindowId):
            return value
        if (shared := _SHARED.get(value)) is not None:  # one object per built-in id, as
            return shared  # an enum member was: a cached incident's windows hold no copies
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            raise ValueError(f"not a window id (W- and capitals, e.g. W-ACK): {value!r}")
        return super().__new__(cls, value)

    @property
    def value(self) -> str:
        return str.__str__(self)

    @property
    def label(self) -> str:
        """A built-in window's label; a profile's own window is labelled by its entry."""
        return LABELS.get(self, self.value)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str))


_SHARED: dict[str, WindowId] = {}
for _name, _value, _ in BUILT_IN:
    _SHARED[_value] = WindowId(_value)
    setattr(WindowId, _name, _SHARED[_value])


def window_order(window_id: str) -> tuple[int, str]:
    """Sort key: SPEC §4's windows in their order, then any other by its id."""
    built_in = [value for _, value, _ in BUILT_IN]
    return (built_in.index(window_id), "") if window_id in built_in else (len(built_in),
                                                                          window_id)

