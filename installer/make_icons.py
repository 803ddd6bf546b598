"""Render resources/icons/cockpit.svg to the PNG (Linux menu, window) and ICO (Windows) the bundle uses.

Run it after changing the SVG: ``python installer/make_icons.py``. Qt's own SVG and ICO plugins do
the work, so no image tool is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(size: int) -> object:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(ICONS / "cockpit.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    ok = render(256).save(str(ICONS / "cockpit.png"))  # type: ignore[attr-defined]
    ok = render(256).save(str(ICONS / "cockpit.ico")) and ok  # type: ignore[attr-defined]
    print(f"icons written to {ICONS}" if ok else "could not write the icons")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
