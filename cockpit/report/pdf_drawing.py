"""What the handover PDF draws itself: the page furniture (header, footer, "page X of Y").

The gas charts are in ``trend_chart``.

Every piece of text is set in the one embedded CJK font: a standard PDF font (Helvetica) is not embedded.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

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
