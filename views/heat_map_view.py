"""The site map with its heat layer (issue 21 part 5): ``MapView`` and, under its legend, ``HeatPanel``.

A subclass, so the live map screen stays as it is (and within its size) when the plant has no heat
reads; the factory builds this one when it has them. The panel follows the map's site: a new site (or
the same one after a register change, which draws its areas anew) is read again for the chosen day.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from cockpit.heat_map import HeatMapReads
from views.heat_panel import HeatPanel
from views.map_view import MapView


class HeatMapView(MapView):
    """``MapView`` plus ``heat``: the heat layer's switch, day or week, and legend under the plan."""

    def __init__(self, *args: Any, heat: HeatMapReads, **kwargs: Any) -> None:
        self.heat: HeatPanel | None = None  # MapView's constructor already changes site
        super().__init__(*args, **kwargs)
        self.heat = HeatPanel(self.site_map, heat, clock=self.core.clock)
        side = self.site_map.parentWidget()  # the plan's column: the site's choice, the plan, the legend
        layout = side.layout() if side is not None else None
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.heat)
        self._follow_site()

    def _site_changed(self, *args: object) -> None:
        super()._site_changed(*args)
        self._follow_site()

    def _follow_site(self) -> None:
        site = self.current_site()
        if self.heat is not None:
            self.heat.set_site(site.site_id if site else None, site.timezone if site else "")
