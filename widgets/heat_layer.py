"""The site map's heat layer: each area tinted by its high-risk work-hours, with its hours and alarms.

The tint is a violet ramp, a hue the map uses for nothing else: red, orange, yellow and blue already say
an area's risk, and saturated colours say an alarm (ISA-101), so a busy area must not look like either.
Each tint is a child of its area's item, stacked above the area's fill and below its name and STOPPED
tags, so the names stay readable and a click still selects the area. An area without work is grey.
Driven by setters: the layer knows nothing of the database (``views/heat_panel.py`` reads the figures).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPolygonItem, QGraphicsSimpleTextItem

from widgets.site_map import SiteMap

#: Lightest to darkest; class ``i`` holds hours above ``bins[i]`` up to ``bins[i + 1]``.
RAMP = ("#e6dcf5", "#c4aee6", "#9c7ad1", "#7447b5", "#4b1f8a")
#: An area without work while the layer is shown.
NONE = "#d4d4d4"
#: The upper bounds of the first four classes, in hours, for a day and for a week (the fifth is open).
BINS: dict[str, tuple[float, ...]] = {"day": (2.0, 6.0, 12.0, 24.0), "week": (10.0, 40.0, 80.0, 160.0)}


@dataclass(frozen=True, slots=True)
class AreaHeatMark:
    """What the layer shows on one area: its hours, its alarms, and the tooltip worded by the screen."""

    hours: float
    alarms: int
    text: str  # drawn in the area, e.g. "12.5 h · 3 alarms"
    tooltip: str = ""


def heat_class(hours: float, bins: Sequence[float]) -> int | None:
    """The ramp's index for ``hours``; None for no work."""
    if hours <= 0:
        return None
    for i, upper in enumerate(bins):
        if hours <= upper:
            return i
    return len(bins)


def heat_color(hours: float, bins: Sequence[float]) -> QColor | None:
    index = heat_class(hours, bins)
    return None if index is None else QColor(RAMP[index])


class _Tint(QGraphicsPolygonItem):
    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setZValue(-0.5)  # above the parent's fill (children draw over it), below the tags (z 0)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.label = QGraphicsSimpleTextItem(self)
        self.label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        font = QFont()
        font.setBold(True)
        self.label.setFont(font)


class HeatLayer:
    """Tints the areas of a ``SiteMap``; ``show`` replaces what is shown, ``clear`` removes it all.

    While shown, every area is tinted: an area without work in the window gets ``NONE`` (a neutral
    grey), so its risk colour cannot be read as a measure of work.
    """

    def __init__(self, site_map: SiteMap) -> None:
        self._map = site_map
        self._on = False
        self._marks: dict[tuple[str, str], AreaHeatMark] = {}
        self._bins: tuple[float, ...] = BINS["day"]
        self._tints: dict[tuple[str, str], _Tint] = {}

    @property
    def shown(self) -> bool:
        return self._on

    def show(self, marks: Mapping[tuple[str, str], AreaHeatMark], bins: Sequence[float]) -> None:
        self._on, self._marks, self._bins = True, dict(marks), tuple(bins)
        self.reapply()

    def clear(self) -> None:
        self._on, self._marks = False, {}
        self.reapply()

    def reapply(self) -> None:
        """Tint the areas the map holds now (after ``set_areas`` made new items or moved their corners)."""
        keys = set(self._map.area_keys()) if self._on else set()
        for key in list(self._tints):
            tint = self._tints[key]
            # An area the map removed took its tint with it (a child dies with its parent).
            alive = shiboken6.isValid(tint)
            if not alive or key not in keys or tint.parentItem() is not self._map.area_item(*key):
                scene = tint.scene() if alive else None
                if scene is not None:
                    scene.removeItem(tint)
                del self._tints[key]
        for key in keys:
            parent = self._map.area_item(*key)
            if parent is None:
                continue
            mark = self._marks.get(key, AreaHeatMark(0.0, 0, ""))
            color = heat_color(mark.hours, self._bins) or QColor(NONE)
            tint = self._tints.get(key) or self._tints.setdefault(key, _Tint(parent))
            if tint.polygon() != parent.polygon():
                tint.setPolygon(parent.polygon())
            tint.setBrush(QBrush(color))
            tint.label.setText(mark.text)
            dark = (heat_class(mark.hours, self._bins) or 0) >= 2
            tint.label.setBrush(QBrush(QColor("#ffffff" if dark else "#1a1a1a")))
            box, size = parent.polygon().boundingRect(), tint.label.boundingRect()
            tint.label.setPos(QPointF(box.center().x(), box.center().y()))
            tint.label.setTransform(QTransform.fromTranslate(-size.width() / 2, -size.height() / 2))
            tint.setToolTip(mark.tooltip)

    # ---- inspection (tests) ----------------------------------------------------------------------
    def color_of(self, site: str, area: str) -> QColor | None:
        tint = self._tints.get((site, area))
        return tint.brush().color() if tint is not None else None

    def text_of(self, site: str, area: str) -> str:
        tint = self._tints.get((site, area))
        return tint.label.text() if tint is not None else ""
