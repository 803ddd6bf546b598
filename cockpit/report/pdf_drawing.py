"""What the handover PDF draws itself: the page furniture (header, footer, "page X of Y") and the trends.

Every piece of text is set in the one embedded CJK font: a standard PDF font (Helvetica) is not embedded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from cockpit.report.records import AreaExcursions

GREY = colors.Color(0.85, 0.85, 0.85)
DARK = colors.Color(0.25, 0.25, 0.25)
SERIES_COLOURS = (
    colors.black,
    colors.Color(0.75, 0.1, 0.1),
    colors.Color(0.1, 0.3, 0.7),
    colors.Color(0.1, 0.5, 0.2),
)
SERIES_DASHES: tuple[tuple[float, ...] | None, ...] = (None, (3, 2), (1, 1.5), (5, 2, 1, 2))


def numbered_canvas(font: str, footer_left: str, page_text: str, header: str) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each can say "page X of Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Without an initial font the canvas names Helvetica on every page: a font not embedded.
            kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont(font, 7)
            self.setFillColor(DARK)
            self.drawString(15 * mm, 9 * mm, footer_left)
            self.drawRightString(width - 15 * mm, 9 * mm, page_text.format(x=number, y=total))
            self.drawString(15 * mm, _height - 9 * mm, header)
            self.setStrokeColor(GREY)
            self.line(15 * mm, 12 * mm, width - 15 * mm, 12 * mm)
            self.restoreState()

    return NumberedCanvas


class TrendChart(Flowable):
    """A small trend of one area: a line per channel, each scaled to its own range (labelled at the right).

    Drawn straight on the canvas rather than as a reportlab ``Drawing``: a Drawing starts every render
    with Helvetica as its font, which would put a font that is not embedded into the PDF.
    """

    def __init__(self, area: AreaExcursions, start: datetime, end: datetime, width: float, font: str) -> None:
        super().__init__()
        self.area, self.start, self.end, self.font = area, start, end, font
        self.width, self.height = width, 34 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        left, right, bottom, top = 8 * mm, 46 * mm, 6 * mm, 3 * mm
        pw, ph = self.width - left - right, self.height - bottom - top
        span_h = max((self.end - self.start).total_seconds() / 3600, 1e-6)
        c.saveState()
        c.setLineWidth(0.5)
        c.setStrokeColor(colors.Color(0.5, 0.5, 0.5))
        c.rect(left, bottom, pw, ph, stroke=1, fill=0)
        c.setFont(self.font, 5.5)
        c.setFillColor(DARK)
        step = 1 if span_h <= 12 else 2 if span_h <= 24 else max(1, round(span_h / 12))
        hour = 0
        while hour <= span_h + 1e-9:
            x = left + pw * hour / span_h
            c.line(x, bottom, x, bottom - 1.5)
            c.drawCentredString(x, bottom - 6, str(hour))
            hour += step
        for i, series in enumerate(self.area.series[:4]):
            values = [p.value for p in series.points]
            lo, hi = min(values), max(values)
            if hi - lo < 1e-9:
                lo, hi = lo - 1, hi + 1
            pad = (hi - lo) * 0.1
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            dash = SERIES_DASHES[i % len(SERIES_DASHES)]
            c.setStrokeColor(colour)
            c.setFillColor(colour)
            c.setLineWidth(0.9)
            c.setDash(list(dash) if dash else [])
            pts = [
                (
                    left + pw * min(max((p.ts - self.start).total_seconds() / 3600 / span_h, 0.0), 1.0),
                    bottom + ph * (p.value - lo + pad) / (hi - lo + 2 * pad),
                )
                for p in series.points
            ]
            if len(pts) > 1:
                path = c.beginPath()
                path.moveTo(*pts[0])
                for x, y in pts[1:]:
                    path.lineTo(x, y)
                c.drawPath(path, stroke=1, fill=0)
            for x, y in pts:
                c.rect(x - 1, y - 1, 2, 2, stroke=0, fill=1)
            label_y = bottom + ph - 7 - i * 9
            c.line(left + pw + 3, label_y + 2, left + pw + 11, label_y + 2)
            c.setDash([])
            c.setFont(self.font, 6)
            c.drawString(left + pw + 13, label_y, f"{series.channel} {lo:g}–{hi:g} {series.unit}")
        c.restoreState()
