"""Sites and areas as people call them: names, not the register's codes, wherever a screen names a place.

An alarm's message and a command's reason carry codes (``site=CHEM1``, ``area=TK08``, a source
``CHEM1/TK08/GD-101/LEL``): they are the keys the field and the database speak. A screen shows the
names instead ("Tank farm", "Tank 08"); a code not in the register is shown as it came, so nothing is
hidden. Built from the ``SiteInfo`` list every view is handed (``set_sites``).
"""

from __future__ import annotations

from collections.abc import Iterable

from models.queries import SiteInfo


class PlaceNames:
    """``site`` → site name and ``(site, area)`` → area name, with the code when a name is missing."""

    def __init__(self, sites: Iterable[SiteInfo] = ()) -> None:
        self._sites: dict[str, str] = {}
        self._areas: dict[tuple[str, str], str] = {}
        self.set_sites(sites)

    def set_sites(self, sites: Iterable[SiteInfo]) -> None:
        self._sites = {s.site_id: s.name or s.site_id for s in sites}
        self._areas = {(a.site_id, a.area_id): a.name or a.area_id for s in sites for a in s.areas}

    def site(self, site: str) -> str:
        return self._sites.get(site, site)

    def area(self, site: str, area: str) -> str:
        return self._areas.get((site, area), area)

    def where(self, site: str, area: str) -> str:
        """``Site name / Area name`` (the alarm list's and the journal's place column)."""
        return f"{self.site(site)} / {self.area(site, area)}"

    def source(self, source: str) -> str:
        """A source path ``SITE/AREA/DEVICE/CH`` with its area named (``Tank 08 · GD-101/LEL``); any
        other source (``worker:W-1``, a path of unknown places) as it came."""
        parts = source.split("/")
        if len(parts) < 3 or (parts[0], parts[1]) not in self._areas:
            return source
        return f"{self._areas[(parts[0], parts[1])]} · {'/'.join(parts[2:])}"

    def __bool__(self) -> bool:
        return bool(self._sites or self._areas)
