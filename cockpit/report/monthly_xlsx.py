"""The monthly special-work analysis as an xlsx workbook (openpyxl): a sheet per table of the PDF
(``monthly_texts.sections``), numbers as numbers so the safety department can chart them again, with a
bar chart of the key figures on the summary sheet.
"""

from __future__ import annotations

import os
from pathlib import Path

from cockpit.report.atomic import temporary_beside
from cockpit.report.layout import Lang, Progress
from cockpit.report.monthly_data import MonthlyReport
from cockpit.report.monthly_texts import Words, sections
from models.errors import UserError

SHEET_NAME_MAX = 31  # Excel's limit
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique."""
    name = title.translate(_BAD_SHEET_CHARS).strip()[:SHEET_NAME_MAX] or "sheet"
    base, n = name, 2
    while name in taken:
        name = f"{base[: SHEET_NAME_MAX - 3]} {n}"
        n += 1
    taken.add(name)
    return name


def render_monthly_xlsx(
    report: MonthlyReport, out: Path, *, lang: Lang = "zh_CN", progress: Progress | None = None
) -> Path:
    """Write the workbook to ``out`` whole or not at all (a temporary file beside it, renamed)."""
    from openpyxl import Workbook  # only a report pays for openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font, PatternFill

    out = Path(out)
    tell = progress or (lambda _done, _total, _text: None)
    w = Words(lang, report)
    parts = sections(report, lang)
    book = Workbook()
    book.remove(book.active)  # a new workbook always has its first sheet
    taken: set[str] = set()
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for i, section in enumerate(parts):
        tell(i, len(parts) + 1, section.key)
        sheet = book.create_sheet(_sheet_title(section.title, taken))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(section.header)
        for cell in sheet[2]:
            cell.font, cell.fill = bold, grey
        for row in section.rows:
            sheet.append(row)
        if section.note:
            sheet.append([])
            for line in section.note.split("\n"):
                sheet.append([line])
        sheet.column_dimensions["A"].width = 34
        for col in "BCDEFGH":
            sheet.column_dimensions[col].width = 14
        sheet.freeze_panes = "B3"
    summary = book.worksheets[0]
    summary.insert_rows(1)
    summary["A1"] = f"{w.t('title')} · {report.month.month} · {report.plant or '—'} · {report.zone}"
    summary["A1"].font = Font(bold=True, size=13)
    _permit_chart(book, report, w, BarChart, Reference)
    tmp = temporary_beside(out)
    tell(len(parts), len(parts) + 1, "write")
    try:
        book.save(str(tmp))
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"cannot write the report to {out}: {exc.strerror or exc}; choose another folder"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tell(len(parts) + 1, len(parts) + 1, "done")
    return out


def _permit_chart(book: object, report: MonthlyReport, w: Words, bar_chart: type, reference: type) -> None:
    """A bar chart of permits submitted and approved per month, beside the summary table."""
    sheet = book.worksheets[0]  # type: ignore[attr-defined]
    months = len(report.months)
    chart = bar_chart()
    chart.title = w.t("c_permits")
    # the summary's rows 4 and 5 are permits submitted and approved; columns B.. are the months
    data = reference(sheet, min_col=1, max_col=1 + months, min_row=4, max_row=5)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(reference(sheet, min_col=2, max_col=1 + months, min_row=3, max_row=3))
    chart.height, chart.width = 7, 14
    sheet.add_chart(chart, f"{chr(ord('A') + months + 3)}3")
