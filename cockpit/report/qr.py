"""A QR code drawn on a reportlab canvas (reportlab's own QR widget: no extra library)."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """``text`` as a QR code of ``size`` points square, its lower-left corner at (x, y).

    Error correction M (15 %: a creased or smudged paper still reads); the widget keeps the standard
    quiet zone of four modules inside ``size``."""
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    width, height = right - left, top - bottom
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
