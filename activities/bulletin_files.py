"""The monthly 通报 as files: JSON (README, "The monthly 通报 and 考核"), Markdown,
self-contained HTML with charts, a spreadsheet with one sheet per table, and the public
version (定期对社会公开).

Charts are SVG from matplotlib with their text kept as text, inlined in the HTML: no
network, and Chinese renders with the reader's own fonts; the layout is measured with the
CJK font installed here (fonts-noto-cjk: the image, scripts/install-browser). The public version carries
no personal data: no actors, person names, report URLs or content — only per-unit
figures.
"""

import html
import io
import re
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from domain.audit_report import html_table  # noqa: E402
from domain.bulletin import Bulletin, on_time_rate  # noqa: E402
from domain.presentation import BEIJING  # noqa: E402

# Chinese sans-serif fonts, preferred first; the SVG names them for the reader's browser
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "Noto Sans CJK JP")
_CJK_FILES = re.compile(r"NotoSansCJK|SourceHanSans|wqy-(microhei|zenhei)|msyh|simhei", re.I)


def installed_cjk_font() -> str | None:
    """The first of CJK_FONTS installed. matplotlib's font cache may predate the font
    (installed after matplotlib first ran), so the font files are added when it lacks them."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known.intersection(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if _CJK_FILES.search(Path(path).name):
                font_manager.fontManager.addfont(path)
        known = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in known), None)


plt.rcParams.update({"svg.fonttype": "none", "font.family": "sans-serif",
                     "font.sans-serif": [*filter(None, [installed_cjk_font()]), *CJK_FONTS,
                                         "DejaVu Sans"]})


def _in_beijing(bulletin: Bulletin) -> Bulletin:
    """The JSON says its time as every file does: Beijing time (+08:00)."""
    return bulletin.model_copy(update={"generated_at": bulletin.generated_at.astimezone(BEIJING)})


def generated(bulletin: Bulletin) -> str:
    return f"{bulletin.generated_at.astimezone(BEIJING):%Y-%m-%d %H:%M} 北京时间"

UNIT_COLUMNS = [
    ("unit_id", "单位编号"), ("name", "单位"), ("assigned", "交办"),
    ("acknowledged_on_time", "按时签收"), ("responded_on_time", "按时回应"),
    ("feedback_on_time", "按时反馈"), ("completed", "办结"), ("completion_rate", "办结率"),
    ("explained", "已说明情况"), ("open", "未办结"), ("overdue_now", "当前超期"),
    ("urged", "催办"), ("supervised", "督办"), ("accountability", "问责"),
]
SANCTION_COLUMNS = [("notice_criticism", "通报批评"), ("interview", "约谈"),
                    ("efficiency_accountability", "效能问责"), ("commendation", "表扬")]
DISCLOSURE_COLUMNS = [("suggestion_adopted", "建议采纳"), ("difficulty_solved", "困难解决"),
                      ("major_issue_investigated", "重大问题调查处置")]
WINDOW_COLUMNS = [("id", "时限"), ("due", "应办"), ("met", "按时"), ("missed", "超期")]
PUBLIC_COLUMNS = [("name", "单位"), ("assigned", "交办"), ("completed", "办结"),
                  ("completion_rate", "办结率"), ("responded_on_time", "按时回应"),
                  *DISCLOSURE_COLUMNS]


def _unit_rows(bulletin: Bulletin) -> list[list]:
    return [[getattr(u, key) for key, _ in UNIT_COLUMNS]
            + [u.sanctions[key] for key, _ in SANCTION_COLUMNS]
            + [u.disclosure[key] for key, _ in DISCLOSURE_COLUMNS] for u in bulletin.units]


def _unit_head() -> list[str]:
    return [label for _, label in (*UNIT_COLUMNS, *SANCTION_COLUMNS, *DISCLOSURE_COLUMNS)]


def _public_rows(bulletin: Bulletin) -> list[list]:
    rows = []
    for u in bulletin.units:
        row = []
        for key, _ in PUBLIC_COLUMNS:
            row.append(u.disclosure[key] if key in u.disclosure else getattr(u, key))
        row[0] = u.name or u.unit_id
        rows.append(row)
    return rows


def _cell(value) -> str:
    return f"{value:.0%}" if isinstance(value, float) else str(value)


def _md_table(head: list[str], rows: list[list]) -> list[str]:
    if not rows:
        return ["（无）"]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(_cell(c).replace("|", "\\|") for c in row) + " |"
              for row in rows)]


def markdown(bulletin: Bulletin, public: bool = False) -> str:
    title = f"网络政务舆情交办督办{'情况（向社会公开）' if public else '情况通报'} · {bulletin.month}"
    i = bulletin.incidents
    lines = [f"# {title}", "",
             f"统计口径：{bulletin.month} 首次发现的舆情（北京时间）；"
             f"生成于 {generated(bulletin)}", "",
             f"- 舆情事件 {i.reported} 件：已结束 {i.closed} 件，办理中 {i.open} 件", ""]
    if public:
        lines += ["## 各单位回应情况", "", *_md_table([h for _, h in PUBLIC_COLUMNS],
                                                   _public_rows(bulletin))]
        return "\n".join(lines) + "\n"
    lines += ["## 各单位", "", *_md_table(_unit_head(), _unit_rows(bulletin)), "",
              "## 各时限", "", *_md_table([h for _, h in WINDOW_COLUMNS],
                                       [[getattr(w, k) for k, _ in WINDOW_COLUMNS]
                                        for w in bulletin.windows])]
    return "\n".join(lines) + "\n"


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    # no metadata (a creation date would make the same month's files differ)
    return re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg"):], flags=re.S)


def unit_chart(bulletin: Bulletin) -> str:
    """办结率 and on-time rate per unit."""
    units = bulletin.units or []
    names = [u.name or u.unit_id for u in units]
    figure, axes = plt.subplots(figsize=(max(4, 0.9 * len(units) + 2), 3))
    positions = range(len(units))
    axes.bar([p - 0.2 for p in positions], [u.completion_rate for u in units], 0.4, label="办结率")
    axes.bar([p + 0.2 for p in positions], [on_time_rate(u) for u in units], 0.4, label="按时率")
    axes.set_xticks(list(positions), names, rotation=30, ha="right")
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_title(f"{bulletin.month} 各单位办结率与按时率")
    axes.legend()
    return _svg(figure)


def trend_chart(history: list[Bulletin]) -> str:
    """The month against the previous months: incidents and overall 办结率."""
    months = [b.month for b in history]
    rates = [sum(u.completed for u in b.units) / max(1, sum(u.assigned for u in b.units))
             for b in history]
    figure, axes = plt.subplots(figsize=(6, 3))
    axes.bar(months, [b.incidents.reported for b in history], color="#9ab", label="舆情事件数")
    other = axes.twinx()
    other.plot(months, rates, marker="o", color="#c33", label="办结率")
    other.set_ylim(0, 1)
    other.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole incidents
    axes.set_ylabel("件")
    bars, lines = axes.get_legend_handles_labels(), other.get_legend_handles_labels()
    axes.legend(bars[0] + lines[0], bars[1] + lines[1], loc="upper left")
    axes.set_title("近几个月舆情事件与办结率")
    return _svg(figure)


_STYLE = ("<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;"
          "padding:3px 6px}svg{max-width:100%;height:auto}</style>")


def _html_table(head: list[str], rows: list[list]) -> str:
    """The audit report's table, with figures shown as the bulletin shows them (rates as %)."""
    return html_table(head, [[_cell(c) for c in row] for row in rows])


def html_page(bulletin: Bulletin, history: list[Bulletin], public: bool = False) -> str:
    text = markdown(bulletin, public).splitlines()
    title = text[0].removeprefix("# ")
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(text[2])}</p>",
             f"<p>{html.escape(text[4].removeprefix('- '))}</p>",
             unit_chart(bulletin), trend_chart(history)]
    if public:
        parts += ["<h2>各单位回应情况</h2>",
                  _html_table([h for _, h in PUBLIC_COLUMNS], _public_rows(bulletin))]
    else:
        parts += ["<h2>各单位</h2>", _html_table(_unit_head(), _unit_rows(bulletin)),
                  "<h2>各时限</h2>",
                  _html_table([h for _, h in WINDOW_COLUMNS],
                              [[getattr(w, k) for k, _ in WINDOW_COLUMNS]
                               for w in bulletin.windows])]
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>{_STYLE}</head><body>{''.join(parts)}"
            "</body></html>\n")


def workbook(bulletin: Bulletin) -> Workbook:
    """One sheet per table, as offices file and edit it: header frozen and bold, rates as
    percentages, columns as wide as their text."""
    book = Workbook()
    overview = book.active
    overview.title = "概况"
    for row in (["月份", bulletin.month], ["生成于", generated(bulletin)],
                ["舆情事件", bulletin.incidents.reported], ["已结束", bulletin.incidents.closed],
                ["办理中", bulletin.incidents.open]):
        overview.append(row)
    _fit_columns(overview)
    for name, head, rows, frozen in (
            ("各单位", _unit_head(), _unit_rows(bulletin), "C2"),
            ("各时限", [h for _, h in WINDOW_COLUMNS],
             [[getattr(w, k) for k, _ in WINDOW_COLUMNS] for w in bulletin.windows], "B2"),
            ("向社会公开", [h for _, h in PUBLIC_COLUMNS], _public_rows(bulletin), "B2")):
        sheet = book.create_sheet(name)
        sheet.append(head)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):  # the bulletin's only fractions are rates
                    cell.number_format = "0.0%"
        sheet.freeze_panes = frozen  # the header row and the unit's name stay in view
        _fit_columns(sheet)
    return book


def _fit_columns(sheet) -> None:
    """Width in characters, a CJK character counting two."""
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        widest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in _cell(v)) for v in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, 48)


def write(bulletin: Bulletin, history: list[Bulletin], out: Path) -> list[Path]:
    """All files of one month's bulletin in ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"bulletin-{bulletin.month}"
    files = {
        f"{stem}.json": json.dumps(_in_beijing(bulletin).model_dump(mode="json"),
                                   ensure_ascii=False, indent=2),
        f"{stem}.md": markdown(bulletin),
        f"{stem}.html": html_page(bulletin, history),
        f"{stem}-public.md": markdown(bulletin, public=True),
        f"{stem}-public.html": html_page(bulletin, history, public=True),
    }
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    workbook(bulletin).save(out / f"{stem}.xlsx")
    return [*written, out / f"{stem}.xlsx"]
