"""The screens follow the register (issue 16 part 4): a change the core took in reaches the views.

The core publishes the register's sequence number in its state (``cockpit/register_live.py``);
``LiveState.register_changed`` fires when it moves. ``RegisterFollow`` then reads the sites and areas
off the GUI thread and hands them to every built view that shows them (``set_sites``: the overview;
``take_register``: the map, which reads its detectors and plan again; the diagnostics' wire against
the register). The trends' limit lines read the new limits by themselves (``LiveState.limits``).
The view context's list of sites is changed in place, so a view built later starts from the new one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from views.offgui import OffGui

if TYPE_CHECKING:
    from cockpit.plant_reads import PlantReads
    from models.queries import SiteInfo
    from views.main_window import CockpitWindows
    from views.view_model import LiveState

log = logging.getLogger(__name__)

FOLLOWERS = ("overview", "map", "diagnostics")  # the views with sites to take anew


class RegisterFollow(QObject):
    """Reads the sites again whenever the core took in a register change; ``sites_read`` says them."""

    sites_read = Signal(list)  # list[SiteInfo]

    def __init__(self, state: LiveState, plant: PlantReads, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plant = plant
        self._offgui = OffGui(self, name="views-register")
        state.register_changed.connect(self.reload)

    def reload(self) -> None:
        self._offgui.run(self._plant.sites, self.sites_read.emit, self._failed)

    def wait(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms)

    @staticmethod
    def _failed(exc: Exception) -> None:
        log.warning("reading the changed register failed: %s", exc)


def follow_register(windows: CockpitWindows) -> RegisterFollow | None:
    """Wire the follower to the windows' views (``views/factories.wire``); None without a live state."""
    ctx = windows.ctx
    if ctx.state is None or ctx.plant is None:
        return None
    follow = RegisterFollow(ctx.state, ctx.plant, parent=ctx.state)

    def took(sites: list[SiteInfo]) -> None:
        ctx.sites[:] = sites
        for key in FOLLOWERS:
            view = windows.views.get(key)
            if view is None:
                continue
            take = getattr(view, "take_register", None) or getattr(view, "set_sites", None)
            if take is not None:
                take(list(sites))

    follow.sites_read.connect(took)
    return follow
