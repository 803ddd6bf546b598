"""Small helpers for widget tests: render a widget and look for colours in it."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget


def rendered(widget: QWidget) -> QImage:
    """The widget painted to an image (proves it paints without error)."""
    image = widget.grab().toImage()
    assert not image.isNull()
    assert image.width() > 0
    assert image.height() > 0
    return image


def _rgb(image: QImage) -> np.ndarray:
    img = image.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.sizeInBytes())
    rows = raw.reshape(img.height(), img.bytesPerLine())
    return rows[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(np.int16)


def count_color(image: QImage, color: QColor | str, tolerance: int = 12, step: int = 1) -> int:
    """How many pixels of ``image`` (sampled every ``step``) are within ``tolerance`` of ``color``."""
    target = QColor(color)
    rgb = _rgb(image)[::step, ::step]
    want = np.array([target.red(), target.green(), target.blue()], dtype=np.int16)
    return int((np.abs(rgb - want) <= tolerance).all(axis=2).sum())


def has_color(image: QImage, color: QColor | str, tolerance: int = 12, step: int = 1) -> bool:
    return count_color(image, color, tolerance, step) > 0
