"""The README's overdue filters: one list, and 超期未回应 names exactly the response windows.

SPEC §7 E-URGE: 逾期不回应 is W-FACTS, W-AUTH, W-PRESS, W-RESP; W-CONT (and W-ACK) are
local-default reminder windows, not 逾期不回应 (README, "Who answers for what": 超期未回应
(W-RESP, W-FACTS, …)).
"""

import re
from pathlib import Path

from domain.profiles import RESPONSE_WINDOWS

ROOT = Path(__file__).resolve().parents[2]


def filter_rows(label: str) -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    return re.findall(rf"^\| {re.escape(label)}[^|]* \| `([^`]+)` \|$", readme, re.MULTILINE)


def test_the_readme_has_one_overdue_filter_list():
    for label in ("超期未回应", "超期未反馈", "研判超期"):
        assert len(filter_rows(label)) == 1, label


def test_not_answered_filter_names_exactly_the_response_windows():
    (query,) = filter_rows("超期未回应")
    listed = re.search(r"OverdueWindows IN \(([^)]*)\)", query).group(1)
    assert {w.strip().strip('"') for w in listed.split(",")} == {w.value for w in RESPONSE_WINDOWS}
    assert 'ExecutionStatus="Running"' in query
