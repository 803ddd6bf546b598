"""The contractor performance report on paper (PDF, landscape A4) and as a workbook (xlsx).

Both are written atomically (a temporary file beside ``out``, moved into place once whole), so a failure
never leaves half a report. The PDF sets every character in the embedded CJK font (``handover_pdf``'s
``register_font``); the workbook holds numbers as numbers, so the safety manager can sort and sum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from cockpit.contractor_performance import PerformanceReport
from cockpit.fonts import CjkFont
from cockpit.report.atomic import write_atomically
from cockpit.report.contractor_texts import (
    generated_text,
    name_text,
    period_text,
    ranking_cells,
    ranking_header,
    strings,
    trend_text,
)

Progress = Callable[[int, int, str], None]


class _Pdf:
    """The report's styles, cells and story (reportlab is imported only when a PDF is rendered)."""

    def __init__(self, lang: str, font_name: str) -> None:
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm

        from cockpit.report.pdf_drawing import DARK

        self.f, self.font, self.mm = strings(lang), font_name, mm
        self.page = landscape(A4)
        self.width = self.page[0] - 30 * mm
        base: dict[str, Any] = {"fontName": font_name, "wordWrap": "CJK" if lang == "zh_CN" else None}
        self.title = ParagraphStyle("title", fontSize=16, leading=20, spaceAfter=4, **base)
        self.h1 = ParagraphStyle("h1", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, **base)
        self.body = ParagraphStyle("body", fontSize=8.5, leading=11.5, **base)
        self.cell = ParagraphStyle("cell", fontSize=8, leading=10, **base)
        self.small = ParagraphStyle("small", fontSize=7.5, leading=10, textColor=DARK, **base)

    def p(self, text: str, style: Any = None) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(escape(text), style or self.cell)

    def table(self, header: list[str], rows: list[list[str]], widths: Sequence[float]) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        from cockpit.report.pdf_drawing import GREY

        scale = self.width / sum(widths)
        t = Table(
            [[self.p(h) for h in header], *[[self.p(c) for c in row] for row in rows]],
            colWidths=[w * scale for w in widths],
            repeatRows=1,
            hAlign="LEFT",
        )
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),  # else Helvetica, not embedded
                    ("BACKGROUND", (0, 0), (-1, 0), GREY),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.Color(0.6, 0.6, 0.6)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        return t

    def story(self, report: PerformanceReport) -> list[Any]:
        from reportlab.platypus import Spacer

        f, p = self.f, self.p
        story: list[Any] = [
            p(f["title"], self.title),
            p(f"{f['plant']}: {report.plant}" if report.plant else "", self.body),
            p(f"{f['period']}: {period_text(report)}", self.body),
            p(f"{f['generated']}: {generated_text(report)}", self.body),
            Spacer(1, 3 * self.mm),
            p(f["ranking"], self.h1),
        ]
        rows = [ranking_cells(r, f) for r in report.rows]
        widths = [4, 6, 21, 6, 11, 7, 7, 7, 5, 7, 6, 7]
        story.append(self.table(ranking_header(f), rows, widths) if rows else p(f["none"], self.body))
        story.append(p(f["trend"], self.h1))
        if report.rows:
            months = [pt.on.isoformat() for pt in report.rows[0].trend]
            trend_rows = [
                [r.code, name_text(r, f), *[f"{pt.grade} ({pt.points})" for pt in r.trend], r.grade_now]
                for r in report.rows
            ]
            header = [f["code"], f["contractor"], *months, f["grade_now"]]
            story.append(self.table(header, trend_rows, [6, 22, *[9] * len(months), 7]))
        story += [Spacer(1, 3 * self.mm), p(f["how"], self.h1)]
        notes = ["rule_rank", "rule_worked", "rule_stops", "rule_trend"]
        if not report.near_misses_recorded:
            notes.append("no_near")
        return story + [p(f[k], self.small) for k in notes]


def render_performance_pdf(
    report: PerformanceReport,
    out: Path,
    *,
    lang: str = "zh_CN",
    font: CjkFont | None = None,
    progress: Progress | None = None,
) -> Path:
    """The report as a PDF at ``out``; a missing CJK font or an unwritable folder is a UserError."""
    from reportlab.platypus import SimpleDocTemplate

    from cockpit.report.handover_pdf import register_font
    from cockpit.report.pdf_drawing import numbered_canvas

    say = progress or (lambda _d, _t, _x: None)
    say(0, 3, "font")
    font_name = register_font(font)
    pdf = _Pdf(lang, font_name)
    f, mm = pdf.f, pdf.mm
    story = pdf.story(report)
    say(1, 3, "layout")
    footer = f"{f['generated']} {generated_text(report)}"
    header_text = f"{report.plant} · {f['title']} · {report.first_day} – {report.last_day}".lstrip(" ·")

    def write(tmp: Path) -> None:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=pdf.page,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=f"{f['title']} {report.first_day} – {report.last_day}",
            author=report.plant,
            creator="hazwork-cockpit",
        )
        doc.build(story, canvasmaker=numbered_canvas(font_name, footer, f["page"], header_text))

    write_atomically(Path(out), write)
    say(3, 3, "written")
    return Path(out)


def write_performance_xlsx(report: PerformanceReport, out: Path, *, lang: str = "zh_CN") -> Path:
    """The report as a workbook: the ranking (numbers as numbers) and the grade's trend by month."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    f = strings(lang)
    book = Workbook()
    ranking = book.active
    assert ranking is not None
    ranking.title = f["sheet_rank"]
    ranking.append([f["title"], period_text(report)])
    ranking.append(ranking_header(f))
    for cell in ranking[2]:
        cell.font = Font(bold=True)
    for r in report.rows:
        ranking.append(
            [
                r.rank,
                r.code,
                name_text(r, f),
                r.grade_now,
                trend_text(r),
                r.permits_worked,
                round(r.work_hours, 2),
                r.violations,
                r.points,
                r.stop_works,
                r.near_misses,  # an empty cell while near misses are not recorded, never a zero
                r.certificate_lapses,
            ]
        )
    ranking.column_dimensions["C"].width = 30
    trend = book.create_sheet(f["sheet_trend"])
    trend.append([f["code"], f["contractor"], f["month_end"], f["grade"], f["window_points"]])
    for r in report.rows:
        for pt in r.trend:
            trend.append([r.code, r.name, pt.on, pt.grade, pt.points])
    trend.column_dimensions["B"].width = 30
    trend.column_dimensions["C"].width = 12
    for row in trend.iter_rows(min_row=2, min_col=3, max_col=3):
        for c in row:
            c.number_format = "yyyy-mm-dd"
    return write_atomically(Path(out), lambda tmp: book.save(str(tmp)))
