"""Building the screens does not load the PDF renderer: it is loaded when a handover is rendered.

reportlab (with PIL and its fonts) took about a quarter of the time to the first painted overview when
the handover screen's service imported it at module level (issue 15). This guards that without timing:
a fresh interpreter imports what ``build_context`` and the handover screen import, then lists what came
with them.
"""

from __future__ import annotations

from tests.support.fresh_imports import loaded

HEAVY = ("reportlab", "PIL", "openpyxl", "cockpit.report.handover_pdf")
PROBE = """
import sys
import views.factories, views.main_window, views.handover_view
import cockpit.handover_reports, cockpit.report.handover_service
heavy = sys.argv[1:]
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)))
"""


def test_building_the_screens_leaves_the_pdf_renderer_unloaded() -> None:
    found = loaded(PROBE, *HEAVY)
    assert found == [], f"loaded before any PDF is rendered: {' '.join(found)}"


CORE = ("cockpit.core", "cockpit.field_process")
WINDOW_PROBE = """
import pickle, sys
import views.factories, views.main_window, views.overview_view, views.popup_controller, views.shell
import cockpit.runtime, cockpit.field_link
from cockpit.config import Config
from cockpit.field_params import FieldLinkParams, field_process_entry
# What spawning the field process pickles in the window's process: its target and its parameters.
pickle.dumps(field_process_entry)
pickle.dumps(FieldLinkParams(Config(), "sqlite://", "wall", None, None, None))
core = sys.argv[1:]
print(" ".join(sorted(m for m in sys.modules if m in core)))
"""


def test_the_windows_process_never_imports_the_core_it_runs_in_the_field_process() -> None:
    """The field process runs the core; the window only spawns it and reads its pipe (0.12-0.13 s of
    imports before the first paint when the spawn's parameters lived in the field process's module)."""
    found = loaded(WINDOW_PROBE, *CORE)
    assert found == [], f"the window's process imported: {' '.join(found)}"
