"""The bulletin's files: JSON (README, "The monthly 通报 and 考核"), Markdown, self-contained
HTML with charts, XLSX, and a public version with no personal data."""

import json
import re

from openpyxl import load_workbook

from domain.bulletin import compute, previous_months
from activities import bulletin_files
from tests.domain.bulletin_month import NOW, month_of_incidents


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
    assert data["generated_at"].endswith("+08:00")
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


def test_the_spreadsheet_reads_as_offices_expect(tmp_path):
    """Issue #24: rates as percentages, a frozen bold header, columns wide enough, the
    generation time in Beijing time."""
    _, out = written(tmp_path)
    book = load_workbook(out / "bulletin-2026-11.xlsx")
    units = book["各单位"]
    rate_column = [c.value for c in units[1]].index("办结率") + 1
    rate = units.cell(row=2, column=rate_column)
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    assert units.freeze_panes == "C2" and units["A1"].font.bold
    assert units.column_dimensions["B"].width >= 2 * len(units["B2"].value)
    assert book["向社会公开"].freeze_panes == "B2"
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True)}
    assert overview["生成于"].endswith("北京时间")
    markdown = (out / "bulletin-2026-11.md").read_text("utf-8")
    assert re.search(r"生成于 \d{4}-\d\d-\d\d \d\d:\d\d 北京时间", markdown)


def test_the_charts_have_a_legend_whole_counts_and_their_chinese_glyphs(tmp_path):
    import warnings

    import pytest
    statuses = month_of_incidents()
    history = [compute(statuses, m, NOW) for m in previous_months("2026-11", 6)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trend = bulletin_files.trend_chart(history)
        bulletin_files.unit_chart(history[-1])
    assert 'id="legend_1"' in trend and "舆情事件数" in trend
    counts_axis = trend.split('id="matplotlib.axis_2"', 1)[1].split('id="legend_1"')[0]
    ticks = re.findall(r"<text[^>]*>([^<]*)</text>", counts_axis)
    assert "件" in ticks, ticks  # the counts axis' label; its tick labels come before it
    assert ticks[0] == "0" and all(t.isdigit() for t in ticks[:ticks.index("件")]), ticks
    if bulletin_files.installed_cjk_font() is None:
        pytest.skip("no CJK font installed: run scripts/install-browser (fonts-noto-cjk)")
    assert not [w for w in caught if "Glyph" in str(w.message)]
