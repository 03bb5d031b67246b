"""The bulletin's files: CONTRACT JSON, Markdown, self-contained HTML with charts, XLSX,
and a public version with no personal data."""

import json
import re

from openpyxl import load_workbook

from domain.bulletin import compute, previous_months
from activities import bulletin_files
from tests.domain.test_bulletin import NOW, month_of_incidents


def written(tmp_path):
    statuses = month_of_incidents()
    history = [compute(statuses, m, NOW) for m in previous_months("2026-11", 6)]
    return bulletin_files.write(history[-1], history, tmp_path), tmp_path


def test_every_file_of_the_month(tmp_path):
    paths, out = written(tmp_path)
    assert sorted(p.name for p in paths) == [
        "bulletin-2026-11-public.html", "bulletin-2026-11-public.md", "bulletin-2026-11.html",
        "bulletin-2026-11.json", "bulletin-2026-11.md", "bulletin-2026-11.xlsx"]
    data = json.loads((out / "bulletin-2026-11.json").read_text("utf-8"))
    assert data["month"] == "2026-11" and data["timezone"] == "Asia/Shanghai"
    assert set(data["units"][0]) >= {
        "unit_id", "name", "assigned", "acknowledged_on_time", "responded_on_time",
        "feedback_on_time", "completed", "completion_rate", "explained", "open", "overdue_now",
        "urged", "supervised", "accountability", "sanctions", "disclosure"}
    assert data["windows"][0].keys() >= {"id", "due", "met", "missed"}


def test_the_html_is_self_contained_with_charts_and_chinese_text(tmp_path):
    _, out = written(tmp_path)
    page = (out / "bulletin-2026-11.html").read_text("utf-8")
    assert page.count("<svg") == 2 and "办结率" in page
    # nothing fetched: no script, stylesheet, image or font from anywhere
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "<script" not in page and "<link" not in page and "<metadata>" not in page


def test_the_spreadsheet_has_one_sheet_per_table(tmp_path):
    _, out = written(tmp_path)
    book = load_workbook(out / "bulletin-2026-11.xlsx")
    assert book.sheetnames == ["概况", "各单位", "各时限", "向社会公开"]
    units = book["各单位"]
    assert units["A1"].value == "单位编号" and units["A2"].value == "u1"
    assert units["C2"].value == 3  # assigned


def test_the_public_version_carries_no_personal_data(tmp_path):
    _, out = written(tmp_path)
    for name in ("bulletin-2026-11-public.md", "bulletin-2026-11-public.html"):
        text = (out / name).read_text("utf-8")
        for private in ("测试员", "监测平台", "example.org", "网民反映", "逾期", "待资金"):
            assert private not in text, (name, private)
        assert "困难解决" in text


def test_bad_months_are_refused_with_a_reason():
    import pytest

    from activities.bulletin_source import parse_month
    from datetime import datetime, timezone
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert parse_month(" 2026-11 ", now) == "2026-11"
    for bad in ("2026-13", "26-11", "2026/11", "", "2030-01", "1999-12", "2026-00"):
        with pytest.raises(ValueError, match="YYYY-MM|不在"):
            parse_month(bad, now)
