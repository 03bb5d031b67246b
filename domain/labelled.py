"""Enums whose members carry their Chinese label, so value and label are written once."""

from enum import Enum


class LabelledEnum(str, Enum):
    """A str enum declared as ``MET = "met", "按时完成"``: the value, then the label."""

    label: str

    def __new__(cls, value: str, label: str) -> "LabelledEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
