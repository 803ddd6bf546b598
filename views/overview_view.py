"""Level 1 of the display hierarchy: every site and area at a glance, read from three metres.

A permanent alarm bar (counts by priority, the newest unacknowledged alarm) and an EEMUA 191
flood banner sit above a grid of area tiles. Tiles repaint from the live state on a 1 Hz
timer (STALE is a matter of time passing, not only of messages) and at once when the core
sends a new board.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from models.alarms import Alarm, AlarmState
from models.plant_clock import PlantClock
from views.overview_fit import WallFit, fit_wall
from views.view_model import (
    Coalescer,
    LiveState,
    ViewBase,
    alarm_counts,
    alarm_title,
    area_tile_data,
)
from widgets.badges import PriorityBadge
from widgets.theme import set_state_property
from widgets.value_tile import AreaTile, AreaTileData

if TYPE_CHECKING:
    from cockpit.core_state import PermitInfo
    from cockpit.live import CoreBridge
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from cockpit.telemetry import ChannelSnapshot
    from models.queries import SiteInfo


TILES_PER_PAINT = 10
BATCH_GAP_MS = 25


class AlarmBar(QFrame):
    """Counts by priority (shape + number) and the newest unacknowledged alarm's text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        row = QHBoxLayout(self)
        self.counts: dict[int, QLabel] = {}
        for p in (1, 2, 3, 4):
            badge = PriorityBadge(p, size_pt=16.0)
            count = QLabel("0")
            count.setProperty("role", "value")
            row.addWidget(badge)
            row.addWidget(count)
            row.addSpacing(12)
            self.counts[p] = count
        self.newest = QLabel()
        self.newest.setProperty("role", "heading")
        self.newest.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.newest, 1)


class OverviewView(ViewBase):
    """The overview wall. Signal ``area_selected(site, area)`` when a tile is clicked."""

    area_selected = Signal(str, str)

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        sites: list[SiteInfo],
        *,
        state: LiveState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self._tiles: dict[tuple[str, str], AreaTile] = {}
        self._blocks: list[tuple[QWidget, QLabel, QGridLayout, list[AreaTile]]] = []
        self._names: dict[tuple[str, str], tuple[str, str]] = {}
        self._fit: WallFit | None = None
        self.alarm_bar = AlarmBar()
        self.flood = QLabel()
        self.flood.setObjectName("floodBanner")
        self.flood.setProperty("role", "heading")
        self.flood.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.flood.setVisible(False)
        self.empty = QLabel()
        self.empty.setProperty("role", "heading")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # The sites side by side, each a block of tiles under its name, laid out to fit the screen
        # (views/overview_fit.py); it scrolls only when even the smallest tiles cannot fit.
        self._grid_host = QWidget()
        self._sites_row = QHBoxLayout(self._grid_host)
        self._sites_row.setContentsMargins(0, 0, 0, 0)
        self._spacing = 6
        self._sites_row.setSpacing(self._spacing * 3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        self.wall_scroll = scroll
        self._relayout_soon = QTimer(self)
        self._relayout_soon.setSingleShot(True)
        self._relayout_soon.setInterval(0)
        self._relayout_soon.timeout.connect(self.relayout)

        layout = QVBoxLayout(self)
        layout.addWidget(self.alarm_bar)
        layout.addWidget(self.flood)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)

        self._queued: list[tuple[AreaTile, AreaTileData]] = []
        self._next_batch = QTimer(self)
        self._next_batch.setSingleShot(True)
        self._next_batch.setInterval(BATCH_GAP_MS)  # room for the repaint of the batch before
        self._next_batch.timeout.connect(self._show_queued)
        self._build_tiles(sites)
        # Repaint from each new board, but at most once a second in a burst of them (each repaint
        # reads every channel and repaints most tiles), and not at all while hidden. After a quiet
        # second a change shows at once; the alarm popup and the horn never wait for this.
        self._soon = Coalescer(self.refresh, 1000, self, widget=self)
        self.state.updated.connect(self._soon.request)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._soon.request)
        self._timer.start()
        self.retranslate()

    # ---- content ------------------------------------------------------------------------------
    def set_sites(self, sites: list[SiteInfo]) -> None:
        """(Re)build the tiles: one per area, grouped under a heading per site."""
        self._build_tiles(sites)
        self.refresh()

    def _build_tiles(self, sites: list[SiteInfo]) -> None:
        self._sites = list(sites)
        self._clock = PlantClock.from_sites(self._sites)
        self._queued = []
        for block, _heading, _grid, _tiles in self._blocks:
            self._sites_row.removeWidget(block)
            block.deleteLater()
        self._blocks.clear()
        self._tiles.clear()
        self._names = {
            (site.site_id, area.area_id): (site.name, area.name)
            for site in self._sites
            for area in site.areas
        }
        for site in self._sites:
            block = QWidget()
            column = QVBoxLayout(block)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(self._spacing)
            heading = QLabel(site.name)
            heading.setProperty("role", "title")
            heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            heading.setToolTip(site.name)
            grid = QGridLayout()
            grid.setSpacing(self._spacing)
            column.addWidget(heading)
            column.addLayout(grid, 1)
            tiles: list[AreaTile] = []
            for area in site.areas:
                tile = AreaTile()
                tile.area_selected.connect(self.area_selected)
                tile.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
                grid.addWidget(tile, len(tiles), 0)  # in the view at once: styled (and sized) as shown
                self._tiles[(site.site_id, area.area_id)] = tile
                tiles.append(tile)
            self._blocks.append((block, heading, grid, tiles))
            self._sites_row.addWidget(block)
        self.empty.setVisible(not self._tiles)
        self._fit = None
        self.relayout()

    def relayout(self) -> None:
        """Place the tiles for the wall's present size and font (a new scale changes both)."""
        if not self._blocks:
            return
        viewport = self.wall_scroll.viewport().size()
        if viewport.width() < 10 or viewport.height() < 10:
            return
        sample = next((tiles[0] for *_rest, tiles in self._blocks if tiles), None)
        if sample is None:
            return
        for widget in (sample, *sample.findChildren(QWidget), self._blocks[0][1]):
            widget.ensurePolished()  # the stylesheet's fonts, before measuring
        least = sample.minimumSizeHint()
        fit = fit_wall(
            [len(tiles) for *_rest, tiles in self._blocks],
            viewport.width() - 2,
            viewport.height() - 2,
            tile_w=least.width(),
            tile_h=least.height(),
            heading_h=self._blocks[0][1].sizeHint().height() + self._spacing,
            spacing=self._spacing,
        )
        if fit == self._fit:
            return
        self._fit = fit
        for (block, _heading, grid, tiles), columns in zip(self._blocks, fit.columns, strict=True):
            for tile in tiles:
                grid.removeWidget(tile)
            for i, tile in enumerate(tiles):
                grid.addWidget(tile, i // columns, i % columns)
            for r in range(max(grid.rowCount(), fit.rows)):
                grid.setRowStretch(r, 1 if r < fit.rows else 0)
                grid.setRowMinimumHeight(r, least.height() if r < fit.rows else 0)
            for c in range(max(grid.columnCount(), columns)):
                grid.setColumnStretch(c, 1 if c < columns else 0)
                grid.setColumnMinimumWidth(c, least.width() if c < columns else 0)
            self._sites_row.setStretchFactor(block, columns)

    def wall_fit(self) -> WallFit | None:
        """The rows and columns the wall has now."""
        return self._fit

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout_soon.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._relayout_soon.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit = None  # the tiles' least size changed with the scale
            self._relayout_soon.start()

    def refresh(self) -> None:
        board = self.state.board
        by_area: dict[tuple[str, str], list[ChannelSnapshot]] = {}
        for ch in self.core.store.channels():
            by_area.setdefault(ch.key.area_key, []).append(ch)
        alarms: dict[tuple[str, str], list[Alarm]] = {}
        for a in board.alarms:
            alarms.setdefault((a.site, a.area), []).append(a)
        permits: dict[tuple[str, str], list[PermitInfo]] = {}
        for p in board.permits.values():
            permits.setdefault((p.site, p.area), []).append(p)
        changed: list[tuple[AreaTile, AreaTileData]] = []
        for site in self._sites:
            for area in site.areas:
                key = (site.site_id, area.area_id)
                tile = self._tiles.get(key)
                if tile is not None:
                    data = area_tile_data(
                        area,
                        by_area.get(key, []),
                        board,
                        self.state.limits,
                        alarms=alarms.get(key, []),
                        permits=permits.get(key, []),
                    )
                    if tile.data() is None:
                        tile.set_data(data)  # a new tile is filled at once (the first paint shows it all)
                    elif data != tile.data():
                        changed.append((tile, data))
        self._queued = changed  # what an earlier refresh had not shown yet is superseded
        self._show_queued()
        self._refresh_bar()

    def _show_queued(self) -> None:
        """Give the next few changed tiles their data; the rest a moment later.

        Under load nearly every tile has a new value each time, and one repaint of the whole wall
        took long enough to hold up everything else on the screen thread. A few tiles at a time,
        each batch repainted on its own, keep every repaint short; the wall is done in ~0.1 s.
        """
        batch, self._queued = self._queued[:TILES_PER_PAINT], self._queued[TILES_PER_PAINT:]
        for tile, data in batch:
            tile.set_data(data)
        if self._queued:
            self._next_batch.start()

    def _refresh_bar(self) -> None:
        alarms = self.state.board.alarms
        counts = alarm_counts(alarms)
        for p, label in self.alarm_bar.counts.items():
            label.setText(str(counts[p]))
        unacked = [a for a in alarms if a.state in (AlarmState.UNACK, AlarmState.RTN_UNACK)]
        now = self.core.clock()
        newest = max(unacked, key=lambda a: a.last_ts or a.first_ts or now, default=None)
        if newest is None:
            self.alarm_bar.newest.setText(self.tr("No unacknowledged alarms"))
            set_state_property(self.alarm_bar, "alarmPriority", None)
        else:
            self.alarm_bar.newest.setText(
                self.tr("Newest unacknowledged: %1  P%2  %3 / %4  %5")
                .replace("%1", self._clock.format(newest.last_ts or newest.first_ts, newest.site, "time"))
                .replace("%2", str(int(newest.priority)))
                .replace("%3", self._names.get((newest.site, newest.area), (newest.site, ""))[0])
                .replace("%4", self._names.get((newest.site, newest.area), ("", newest.area))[1])
                .replace("%5", alarm_title(newest.condition, newest.source))
            )
            set_state_property(self.alarm_bar, "alarmPriority", min(int(a.priority) for a in unacked))
        flood = self.state.board.flood
        self.flood.setVisible(flood.active)
        if flood.active:
            minutes = self.core.config.alarms.flood_window_min
            self.flood.setText(
                self.tr("Alarm flood: %1 alarms in %2 min. Handle priority 1 first; repeats are grouped.")
                .replace("%1", str(flood.count_in_window))
                .replace("%2", f"{minutes:g}")
            )
        set_state_property(self.flood, "alarmPriority", 2 if flood.active else None)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("No sites configured: add sites and areas to the database."))
        self.refresh()

    # ---- what a user sees ----------------------------------------------------------------------
    def tile(self, site: str, area: str) -> AreaTile | None:
        return self._tiles.get((site, area))

    def tiles(self) -> dict[tuple[str, str], AreaTile]:
        return dict(self._tiles)
