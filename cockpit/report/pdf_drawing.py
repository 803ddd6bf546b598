"""What the handover PDF draws itself: the page furniture (header, footer, "page X of Y").

The gas charts are in ``trend_chart``.

Every piece of text is set in the one embedded CJK font: a standard PDF font (Helvetica) is not embedded.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

GREY = colors.Color(0.85, 0.85, 0.85)
DARK = colors.Color(0.25, 0.25, 0.25)


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
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(DARK)
            page = page_text.format(x=number, y=total)
            self.setFont(font, 7)
            self.drawRightString(width - 15 * mm, 9 * mm, page)
            room = width - 30 * mm
            # the footer ends well before the page number; the header spans the text's width
            self._fitted(footer_left, 15 * mm, 9 * mm, room - stringWidth(page, font, 7) - 6 * mm)
            self._fitted(header, 15 * mm, height - 9 * mm, room)
            self.setStrokeColor(GREY)
            self.line(15 * mm, 12 * mm, width - 15 * mm, 12 * mm)
            self.restoreState()

        def _fitted(self, text: str, x: float, y: float, room: float) -> None:
            """``text`` within ``room`` points: smaller down to 5.5 pt, then cut with an ellipsis."""
            size = 7.0
            while size > 5.5 and stringWidth(text, font, size) > room:
                size -= 0.5
            if stringWidth(text, font, size) > room:
                while text and stringWidth(text + "…", font, size) > room:
                    text = text[:-1]
                text += "…"
            self.setFont(font, size)
            self.drawString(x, y, text)

    return NumberedCanvas


class CellParagraph(Paragraph):
    """A table cell's paragraph, which keeps its lines for the width it was last wrapped to: reportlab wraps
    a cell again each time its table is measured, split at a page's end and drawn (the header on every
    page), and in CJK mode each wrap measures the text character by character."""

    _wrapped: tuple[float, float, float] | None = None  # (available width, width, height)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._wrapped is not None and self._wrapped[0] == avail_width:
            return self._wrapped[1], self._wrapped[2]
        width, height = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, width, height)
        return width, height
