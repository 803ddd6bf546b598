"""What the wire knows and the register doesn't (issue 16 part 5), for the diagnostics screen.

The live store lists every detector and channel heard on the broker; the register lists the sites'
areas and the detectors with their channels. ``wire_against_register`` compares them, one row for each
thing to add, in the order it has to be added:

* ``area``: readings came from an area the register does not have (its detectors are named with it:
  the area comes first);
* ``device``: a detector of a registered area that the register does not have there (unknown, or
  registered under another area);
* ``channel``: a registered detector sends a channel the register does not list for it.

Nothing here reads the database or Qt: the screen hands it the store's devices and the register it
read off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

from models.queries import DetectorInfo, SiteInfo


class Unknown(StrEnum):
    AREA = "area"
    DEVICE = "device"
    CHANNEL = "channel"


class WireOnly(NamedTuple):
    """One thing heard on the wire and missing from the register; ``seen`` what came with it
    (the area's detectors, the detector's channels)."""

    kind: Unknown
    site: str
    area: str
    device: str = ""
    ch: str = ""
    seen: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return "/".join(p for p in (self.site, self.area, self.device, self.ch) if p)


def wire_against_register(
    seen: Mapping[tuple[str, str, str], Iterable[str]],
    sites: Sequence[SiteInfo],
    detectors: Sequence[DetectorInfo],
) -> list[WireOnly]:
    """The areas, detectors and channels in ``seen`` ((site, area, device) → the channels heard; a
    detector that only sent its status has none) that the register lacks, sorted by place."""
    areas = {(s.site_id, a.area_id) for s in sites for a in s.areas}
    registered = {(d.site_id, d.area_id, d.device_id): {c.ch for c in d.channels} for d in detectors}
    by_area: dict[tuple[str, str], dict[str, set[str]]] = {}
    for (site, area, device), chs in seen.items():
        by_area.setdefault((site, area), {}).setdefault(device, set()).update(chs)
    rows: list[WireOnly] = []
    for (site, area), devices in sorted(by_area.items()):
        if (site, area) not in areas:
            rows.append(WireOnly(Unknown.AREA, site, area, seen=tuple(sorted(devices))))
            continue
        for device, chs in sorted(devices.items()):
            known = registered.get((site, area, device))
            if known is None:
                rows.append(WireOnly(Unknown.DEVICE, site, area, device, seen=tuple(sorted(chs))))
                continue
            rows.extend(WireOnly(Unknown.CHANNEL, site, area, device, ch) for ch in sorted(chs - known))
    return rows
