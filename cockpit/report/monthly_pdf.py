"""The monthly special-work analysis as a PDF (reportlab, the CJK font embedded, the house layout of the
handover: ``handover_pdf``'s font and atomic write, ``pdf_drawing``'s page furniture).

The tables come from ``monthly_texts.sections``; the charts are bars, one per month (the month itself
dark, the months before it grey), and the month's top reasons as horizontal bars.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cockpit.fonts import CjkFont
from cockpit.report.atomic import temporary_beside
from cockpit.report.handover_pdf import register_font
from cockpit.report.layout import Lang, Progress
from cockpit.report.monthly_data import MonthlyReport
from cockpit.report.monthly_texts import Section, Words, sections
from cockpit.report.pdf_drawing import DARK, GREY, numbered_canvas
from models.errors import UserError

BAR_NOW = colors.Color(0.15, 0.35, 0.6)
BAR_BEFORE = colors.Color(0.7, 0.75, 0.82)
AXIS = colors.Color(0.5, 0.5, 0.5)
PANEL_H = 48 * mm


class MonthCharts(Flowable):
    """Panels of bars, three to a row: a value per month, and the top reasons of the month."""

    def __init__(
        self,
        panels: Sequence[tuple[str, Sequence[str], Sequence[float]]],
        reasons: tuple[str, Sequence[tuple[str, int]]],
        width: float,
        font: str,
    ) -> None:
        super().__init__()
        self.panels, self.reasons, self.font = list(panels), reasons, font
        count = len(self.panels) + 1
        self.rows = -(-count // 3)
        self.width, self.height = width, self.rows * PANEL_H

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        w = self.width / 3
        for i, (title, labels, values) in enumerate(self.panels):
            row, col = divmod(i, 3)
            self._bars(col * w, self.height - (row + 1) * PANEL_H, w, title, labels, values)
        row, col = divmod(len(self.panels), 3)
        self._reasons(col * w, self.height - (row + 1) * PANEL_H, w)

    def _bars(
        self, x0: float, y0: float, w: float, title: str, labels: Sequence[str], values: Sequence[float]
    ) -> None:
        c = self.canv
        left, right, bottom, top = x0 + 8 * mm, x0 + w - 4 * mm, y0 + 8 * mm, y0 + PANEL_H - 8 * mm
        hi = max([*values, 0.0]) or 1.0
        c.saveState()
        c.setFont(self.font, 7)
        c.setFillColor(colors.black)
        c.drawString(x0 + 2 * mm, y0 + PANEL_H - 5 * mm, title)
        c.setStrokeColor(AXIS)
        c.setLineWidth(0.4)
        c.line(left, bottom, right, bottom)
        slot = (right - left) / max(1, len(values))
        for i, (label, v) in enumerate(zip(labels, values, strict=True)):
            x = left + i * slot + slot * 0.2
            h = (top - bottom) * v / hi
            c.setFillColor(BAR_NOW if i == len(values) - 1 else BAR_BEFORE)
            c.rect(x, bottom, slot * 0.6, h, stroke=0, fill=1)
            c.setFillColor(DARK)
            c.setFont(self.font, 6)
            c.drawCentredString(x + slot * 0.3, bottom + h + 1.5, _number(v))
            c.setFont(self.font, 5.5)
            c.drawCentredString(x + slot * 0.3, bottom - 7, label)
        c.restoreState()

    def _reasons(self, x0: float, y0: float, w: float) -> None:
        c = self.canv
        title, items = self.reasons
        c.saveState()
        c.setFont(self.font, 7)
        c.setFillColor(colors.black)
        c.drawString(x0 + 2 * mm, y0 + PANEL_H - 5 * mm, title)
        hi = max([n for _l, n in items] + [1])
        label_w = 24 * mm
        room = w - label_w - 12 * mm
        for i, (label, n) in enumerate(items[:5]):
            y = y0 + PANEL_H - 13 * mm - i * 6.5 * mm
            c.setFont(self.font, 5.5)
            c.setFillColor(DARK)
            c.drawRightString(x0 + label_w, y + 1, _cut(label, self.font, 5.5, label_w - 2 * mm))
            c.setFillColor(BAR_NOW)
            c.rect(x0 + label_w + 1.5 * mm, y, room * n / hi, 4 * mm, stroke=0, fill=1)
            c.setFillColor(DARK)
            c.drawString(x0 + label_w + 2.5 * mm + room * n / hi, y + 1, str(n))
        c.restoreState()


def _number(v: float) -> str:
    return f"{v:.0f}" if v == int(v) else f"{v:.1f}"


def _cut(text: str, font: str, size: float, room: float) -> str:
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


class _Builder:
    def __init__(self, report: MonthlyReport, lang: str, font: str) -> None:
        self.report, self.lang, self.font = report, lang, font
        self.w = Words(lang, report)
        self.width = A4[0] - 30 * mm
        base: dict[str, Any] = {"fontName": font, "wordWrap": "CJK" if lang == "zh_CN" else None}
        self.title = ParagraphStyle("title", fontSize=16, leading=20, spaceAfter=2, **base)
        self.h1 = ParagraphStyle(
            "h1", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, keepWithNext=1, **base
        )
        self.body = ParagraphStyle("body", fontSize=9, leading=12, **base)
        self.cell = ParagraphStyle("cell", fontSize=7.5, leading=9.2, **base)
        self.small = ParagraphStyle("small", fontSize=7, leading=9, textColor=DARK, spaceBefore=2, **base)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style or self.cell)

    def table(self, section: Section) -> Table:
        first = 2.6 if section.key in ("summary", "contractor", "site", "reasons") else 1.8
        widths = [first, *[1.0] * (len(section.header) - 1)]
        scale = self.width / sum(widths)
        data = [[self.p(h) for h in section.header]]
        data += [[self.p(str(c)) for c in row] for row in section.rows]
        table = Table(data, colWidths=[x * scale for x in widths], repeatRows=1, hAlign="LEFT")
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("BACKGROUND", (0, 0), (-1, 0), GREY),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.Color(0.6, 0.6, 0.6)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        if section.key == "summary":  # the month itself stands out
            month_col = len(section.header) - 2
            style.append(("BACKGROUND", (month_col, 1), (month_col, -1), colors.Color(0.9, 0.94, 1.0)))
        table.setStyle(TableStyle(style))
        return table

    def charts(self) -> MonthCharts:
        months = self.report.months
        labels = [m.month[2:] for m in months]  # 26-11: room for four under a bar
        t = self.w.t
        panels = [
            (t("c_permits"), labels, [float(m.permits) for m in months]),
            (t("c_lead"), labels, [round((m.lead_median_s or 0) / 3600, 1) for m in months]),
            (t("c_refused"), labels, [float(m.rejected + m.sent_back) for m in months]),
            (t("c_stops"), labels, [float(m.stops) for m in months]),
            (t("c_alarms"), labels, [m.alarm_load.per_10min_avg if m.alarm_load else 0.0 for m in months]),
        ]
        reasons = [(self.w.reason(r.code), r.total) for r in self.report.month.top_reasons]
        return MonthCharts(panels, (t("c_reasons"), reasons), self.width, self.font)

    def story(self) -> list[Any]:
        r, t = self.report, self.w.t
        out: list[Any] = [
            self.p(t("title"), self.title),
            self.p(t("subtitle", month=r.month.month, plant=r.plant or "—", zone=r.zone), self.body),
            Spacer(1, 3 * mm),
        ]
        parts = sections(r, self.lang)
        for i, section in enumerate(parts):
            out.append(self.p(section.title, self.h1))
            if section.rows:
                out.append(self.table(section))
            if section.note:
                out.append(self.p(section.note, self.small))
            if i == 0:
                out += [self.p(t("s_charts"), self.h1), self.charts()]
        return out


def render_monthly_pdf(
    report: MonthlyReport,
    out: Path,
    *,
    lang: Lang = "zh_CN",
    progress: Progress | None = None,
    font: CjkFont | None = None,
) -> Path:
    """Write the report to ``out`` whole or not at all (a temporary file beside it, renamed)."""
    out = Path(out)
    tell = progress or (lambda _done, _total, _text: None)
    tell(0, 3, "font")
    name = register_font(font)
    builder = _Builder(report, lang, name)
    t = builder.w.t
    tmp = temporary_beside(out)
    footer = f"{t('generated')} {builder.w.when()} ({report.zone})"
    header = f"{report.plant} · {t('title')} · {report.month.month}"
    try:
        tell(1, 3, "layout")
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=f"{t('title')} {report.month.month}",
            author=report.plant,
            creator="hazwork-cockpit",
        )
        doc.build(builder.story(), canvasmaker=numbered_canvas(name, footer, t("page"), header))
        tell(2, 3, "write")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"cannot write the report to {out}: {exc.strerror or exc}; choose another folder"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tell(3, 3, "done")
    return out
