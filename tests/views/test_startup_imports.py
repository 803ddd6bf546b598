"""Building the screens does not load the PDF renderer: it is loaded when a handover is rendered.

reportlab (with PIL and its fonts) took about a quarter of the time to the first painted overview when
the handover screen's service imported it at module level (issue 15). This guards that without timing:
a fresh interpreter imports what ``build_context`` and the handover screen import, then lists what came
with them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("reportlab", "PIL", "openpyxl", "cockpit.report.handover_pdf")
PROBE = """
import sys
import views.factories, views.main_window, views.handover_view
import cockpit.handover_reports, cockpit.report.handover_service
heavy = sys.argv[1:]
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)))
"""


def test_building_the_screens_leaves_the_pdf_renderer_unloaded() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [], f"loaded before any PDF is rendered: {proc.stdout.strip()}"
