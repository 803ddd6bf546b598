"""A site plan's image (PNG or SVG bytes) as a QImage the map and the plan editor draw.

Pure Qt, no database: the screens hand the bytes over. Runs on a worker thread too (QImage and
QSvgRenderer are not tied to the GUI thread; a QPixmap is made from the image on the GUI thread).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QSize
from PySide6.QtGui import QImage, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer

MAX_SIDE = 4096  # pixels drawn at most on a side: a larger plan is drawn scaled down, to scale


def decode_plan(data: bytes, media_type: str, *, max_side: int = MAX_SIDE) -> QImage | None:
    """The plan as an image, at most ``max_side`` on a side; None when Qt cannot read it."""
    if media_type == "image/svg+xml":
        renderer = QSvgRenderer(QByteArray(data))
        if not renderer.isValid():
            return None
        size = renderer.defaultSize()
        if size.isEmpty():
            size = renderer.viewBox().size()
        size = _fit(size, max_side)
        if size.isEmpty():
            return None
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        return image
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    # Say the format: left to guess, Qt's probe once took a PNG for a TGA of 18505 × 21060 pixels and
    # refused it (over the 256 MB allocation limit), only in some runs.
    reader = QImageReader(buffer, QByteArray(b"png"))
    reader.setDecideFormatFromContent(False)
    size = reader.size()
    if size.isValid() and (size.width() > max_side or size.height() > max_side):
        reader.setScaledSize(_fit(size, max_side))
    image = reader.read()
    return None if image.isNull() else image


def _fit(size: QSize, max_side: int) -> QSize:
    longest = max(size.width(), size.height())
    if longest <= max_side:
        return size
    return QSize(max(1, size.width() * max_side // longest), max(1, size.height() * max_side // longest))
