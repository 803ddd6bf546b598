"""PyInstaller runtime hook: runs in the built program before main.py.

The bundle ships a TrueType CJK font for the PDF reports in ``_internal/resources/fonts`` (see
cockpit.spec). ``cockpit.fonts`` looks at ``$COCKPIT_CJK_FONT`` first, so pointing it there makes every
console print with the same font; a site that set the variable itself keeps its own choice.
"""

import os
import sys
from pathlib import Path


def _point_at_bundled_font() -> None:
    if os.environ.get("COCKPIT_CJK_FONT"):
        return
    folder = Path(getattr(sys, "_MEIPASS", "")) / "resources" / "fonts"
    if not folder.is_dir():
        return
    fonts = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc"))
    if fonts:
        os.environ["COCKPIT_CJK_FONT"] = str(fonts[0])


_point_at_bundled_font()
