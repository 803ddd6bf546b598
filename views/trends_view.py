"""Gas trends: any number of panes, each one channel of one area with its limit lines.

A pane reads the store's native ring for windows up to the ring's span and adds the 10 s
min/max tier for longer ones (a one-sample spike survives as the bucket's max). STALE and
bad samples come out of the store as NaN and are drawn as gaps with a hatched band. The view
marks the panes whose channel a delta names and feeds only those: a quiet channel costs nothing.

Redrawing a pane is a full software render of its plot (tens of milliseconds under load), so the
view draws one pane per tick, in turn, rather than letting every pane's timer fire at once: each
window repaint then carries at most one pane, and the GUI thread never stalls on a wall of them.
A pane scrolled out of sight or on a hidden tab is not fed or drawn until it is seen again.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cockpit.telemetry_buffers import BUCKET_S
from models.records import ChannelKey
from views.place_names import PlaceNames
from views.view_model import LiveState, ViewBase, limit_dict
from widgets.trend_plot import TrendPlot

if TYPE_CHECKING:
    from cockpit.core_state import CoreDelta
    from cockpit.live import CoreBridge
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from cockpit.telemetry import TelemetryStore
    from models.queries import SiteInfo

# (seconds, label) of the window choices; windows beyond the native ring use the 10 s tier too.
WINDOWS = ((600, "10 min"), (3600, "1 h"), (8 * 3600, "8 h"), (24 * 3600, "24 h"))
NATIVE_MAX_S = 2 * 3600


class TrendPane(QFrame):
    """One trend: area and channel pickers, a window choice, the plot. Signals ``remove_requested``;
    ``chosen`` when someone picks its channel (the pickers, or ``show_channel``)."""

    remove_requested = Signal(object)
    chosen = Signal()

    def __init__(
        self, store: TelemetryStore, state: LiveState, sites: list[SiteInfo], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("panel")
        self.store = store
        self.state = state
        self._sites = sites
        self.key: ChannelKey | None = None
        self.pending = False  # its channel has readings the plot has not been given yet
        self._limits_shown: dict[str, float | None] | None = None
        self._band_to: float | None = None  # where the 60 s band before the native samples ends (epoch s)
        self._keys: dict[str, ChannelKey] = {}  # combo data is text: findData cannot compare Python objects
        self.area = QComboBox()
        self.channel = QComboBox()
        self.span = QComboBox()  # not `window`: that is QWidget.window()
        for seconds, label in WINDOWS:
            self.span.addItem(label, seconds)
        self.remove = QPushButton("✕")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self.plot = TrendPlot(self)
        self.plot.set_refresh_interval(None)  # the view draws its panes in turn (TrendsView._step)
        top = QHBoxLayout()
        top.addWidget(self.area, 2)
        top.addWidget(self.channel, 2)
        top.addWidget(self.span)
        top.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        self.fill_areas()
        self.area.currentIndexChanged.connect(self._area_changed)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.span.currentIndexChanged.connect(self._window_changed)
        # activated: only a person's pick, never the pickers refilled as channels arrive
        self.area.activated.connect(lambda _i: self.chosen.emit())
        self.channel.activated.connect(lambda _i: self.chosen.emit())
        self.retranslate()

    def retranslate(self) -> None:
        self.remove.setToolTip(self.tr("Remove this trend"))
        self.area.setToolTip(self.tr("Area"))
        self.channel.setToolTip(self.tr("Channel"))

    # ---- choices ----------------------------------------------------------------------------------
    def fill_areas(self) -> None:
        self.area.blockSignals(True)
        self.area.clear()
        for s in self._sites:
            for a in s.areas:
                self.area.addItem(f"{s.name} / {a.name}", f"{s.site_id}/{a.area_id}")
        # Areas the database does not know but the field reports (unregistered) still get a trend.
        known = {self.area.itemData(i) for i in range(self.area.count())}
        for ch in self.store.channels():
            where = f"{ch.key.site}/{ch.key.area}"
            if where not in known:
                known.add(where)
                self.area.addItem(f"{ch.key.site} / {ch.key.area}", where)
        self.area.blockSignals(False)
        self._area_changed()

    def _area_changed(self, *_: object) -> None:
        where = self.area.currentData()
        current = self.channel.currentData()
        self.channel.blockSignals(True)
        self.channel.clear()
        if where is not None:
            site, area = where.split("/", 1)
            live = [snap.key for snap in self.store.channels(site, area)]
            # and those silent since a restart: their history is kept (cockpit/telemetry_keep.py)
            for key in live + self.store.seeded(site, area):
                self._keys[str(key)] = key
                self.channel.addItem(f"{key.device} {key.ch}", str(key))
        index = self.channel.findData(current)
        self.channel.setCurrentIndex(index if index >= 0 else (0 if self.channel.count() else -1))
        self.channel.blockSignals(False)
        self._channel_changed()

    def _channel_changed(self, *_: object) -> None:
        data = self.channel.currentData()
        self.key = self._keys.get(data) if data else None
        self.plot.set_series(np.empty(0), np.empty(0))
        if self.key is None:
            self.plot.set_channel("", "")
            self.apply_limits()
            self.plot.set_history(np.empty(0), np.empty(0), np.empty(0), np.empty(0))
            return
        snap = self.store.channel(self.key)
        self.plot.set_channel(f"{self.key.device} {self.key.ch}", snap.unit if snap else "")
        self.apply_limits()
        self.reload(history=True)

    def _window_changed(self, *_: object) -> None:
        self.plot.set_window(float(self.span.currentData()))
        self.reload(history=True)

    def show_channel(self, key: ChannelKey) -> bool:
        """Pick ``key`` (its area first); False when the store does not know it."""
        where = f"{key.site}/{key.area}"
        index = self.area.findData(where)
        if index < 0:
            self.fill_areas()
            index = self.area.findData(where)
            if index < 0:
                return False
        self.area.setCurrentIndex(index)
        if self.channel.findData(str(key)) < 0:
            self._area_changed()
        c = self.channel.findData(str(key))
        if c < 0:
            return False
        if c == self.channel.currentIndex():
            self._channel_changed()
        self.channel.setCurrentIndex(c)
        self.chosen.emit()
        return True

    # ---- data ---------------------------------------------------------------------------------------
    def apply_limits(self) -> None:
        """Draw the engine's limits of the channel (only when they differ from what is drawn)."""
        limits = limit_dict(self.state.limits(self.key)) if self.key is not None else {}
        if limits != self._limits_shown:
            self._limits_shown = limits
            self.plot.set_limits(limits)

    def on_screen(self) -> bool:
        """Visible, and not scrolled out of the view's sight."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def step(self) -> bool:
        """Feed the plot if its channel changed, then let it draw (or scroll); True if it drew."""
        if self.pending:
            self.reload()
        return self.plot.tick()

    def reload(self, *, history: bool = False) -> None:
        """Feed the plot from the store (the live ring; the 60 s tier for long windows, and before the
        ring's oldest sample where a fast channel's ring holds less than the window)."""
        self.pending = False
        if self.key is None:
            return
        seconds = float(self.span.currentData())
        t, v = self.store.recent(self.key, min(seconds, NATIVE_MAX_S))
        snap = self.store.channel(self.key)
        bad = np.isnan(v)
        self.plot.set_series(t, v, bad=bad)
        self.plot.set_stale(snap is None or snap.stale)  # None: history from before a restart, no value
        if seconds > NATIVE_MAX_S:
            if history:
                end = self.store.now() or datetime.now(UTC)
                ht, hmin, hmax, hmean = self.store.history(self.key, end - timedelta(seconds=seconds), end)
                self.plot.set_history(ht, hmin, hmax, hmean)
                self._band_to = None
        else:
            self._band_before(seconds, float(t[0]) if len(t) else None, history=history)

    def _band_before(self, seconds: float, native_from: float | None, *, history: bool) -> None:
        """The 60 s tier's min/max band for the part of a short window the native ring no longer holds
        (a 10 Hz channel keeps its newest 8,192 samples, 13.6 min: issue 20's memory bound). Read again
        only when the ring's start has moved on by a bucket."""
        end = self.store.now() or datetime.now(UTC)
        cut = native_from if native_from is not None else end.timestamp()  # the band meets the ring
        if cut - BUCKET_S <= end.timestamp() - seconds:  # the ring covers the window (or nothing is kept)
            if history or self._band_to is not None:
                self.plot.set_history(np.empty(0), np.empty(0), np.empty(0), np.empty(0))
                self._band_to = None
            return
        if not history and self._band_to is not None and cut - self._band_to < BUCKET_S:
            return
        assert self.key is not None
        band = self.store.history(
            self.key, end - timedelta(seconds=seconds), datetime.fromtimestamp(cut, UTC)
        )
        self.plot.set_history(*band)
        self._band_to = cut


class TrendsView(ViewBase):
    """Any number of trend panes in a grid."""

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        sites: list[SiteInfo],
        *,
        state: LiveState | None = None,
        panes: int = 1,
        columns: int = 2,
        refresh_hz: float = 2.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self._sites = list(sites)
        self._columns = max(1, columns)
        self._panes: list[TrendPane] = []
        self._known: set[ChannelKey] = set()  # channels seen in deltas (new ones refill empty panes)
        self._has_data = bool(core.store.channels())
        self._next = 0  # the pane the next tick looks at first
        self._suggest_after = 0.0
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self._add_clicked)
        self.empty = QLabel()
        self.empty.setProperty("role", "heading")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._host = QWidget()
        self._grid = QGridLayout(self._host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._host)
        # Panes scrolled into sight are drawn at once, not when their turn comes.
        self._scrolled = QTimer(self)
        self._scrolled.setSingleShot(True)
        self._scrolled.setInterval(50)
        self._scrolled.timeout.connect(self._catch_up)
        scroll.verticalScrollBar().valueChanged.connect(lambda _v: self._scrolled.start())
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.empty, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        # The one signal itself: the panes need only which channels changed, nothing of LiveState's.
        (bridge.changed if bridge is not None else self.state.delta).connect(self.on_delta)
        self.state.updated.connect(self._limits_arrived)
        self.state.register_changed.connect(self._limits_arrived)  # a limit changed in the register
        self._period_s = 1.0 / refresh_hz  # how often one pane is redrawn, with up to 4 panes
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._step)
        self._timer.start(self._tick_ms())
        for _ in range(max(0, panes)):
            self.add_pane()
        self._suggested = False  # the opening panes follow the riskiest channels until someone chooses
        self.retranslate()

    def suggested_channels(self, n: int) -> list[ChannelKey]:
        """Distinct gas channels worth watching first: where hot work or confined-space entry is active."""
        order = {"LEL": 0, "CH4": 1, "H2S": 2, "O2": 3, "CO": 4, "NH3": 5, "CL2": 6, "SO2": 7}
        busy = {
            (p.site, p.area)
            for p in self.state.board.permits.values()
            if p.status.value == "active" and p.type.value in ("hot_work", "confined_space")
        }
        channels = [c.key for c in self.core.store.channels() if c.key.ch in order]
        channels.sort(key=lambda k: ((k.site, k.area) not in busy, order[k.ch], str(k)))
        picked: list[ChannelKey] = []
        areas: set[tuple[str, str]] = set()
        for key in channels:  # one channel per area first, so the panes show different places
            if (key.site, key.area) not in areas:
                picked.append(key)
                areas.add((key.site, key.area))
            if len(picked) == n:
                break
        return picked

    def _suggest_once(self) -> None:
        if self._suggested or not self._panes:
            return
        keys = self.suggested_channels(len(self._panes))
        if len(keys) < len(self._panes):
            return
        self._suggested = True
        for pane, key in zip(self._panes, keys, strict=False):
            pane.show_channel(key)

    def _chosen(self) -> None:
        """A channel picked for a pane: the suggestions never move a pane someone has pointed."""
        self._suggested = True

    def _add_clicked(self) -> None:
        self.add_pane()

    # ---- panes ----------------------------------------------------------------------------------------
    def add_pane(self, key: ChannelKey | None = None) -> TrendPane:
        pane = TrendPane(self.core.store, self.state, self._sites)
        pane.remove_requested.connect(self.remove_pane)
        pane.chosen.connect(self._chosen)
        self._panes.append(pane)
        self._relayout()
        if key is not None:
            pane.show_channel(key)
        self._update_empty()
        return pane

    def remove_pane(self, pane: TrendPane) -> None:
        if pane in self._panes:
            self._panes.remove(pane)
            self._grid.removeWidget(pane)
            pane.deleteLater()
            self._relayout()
        self._update_empty()

    def panes(self) -> list[TrendPane]:
        return list(self._panes)

    def _tick_ms(self) -> int:
        # One pane per tick: four panes are each redrawn twice a second (refresh_hz), sixteen every
        # two seconds, so the wall costs the GUI thread about the same whatever its size.
        return max(20, round(1000 * self._period_s / max(1, min(4, len(self._panes)))))

    def _relayout(self) -> None:
        for i, pane in enumerate(self._panes):
            self._grid.addWidget(pane, i // self._columns, i % self._columns)
        self._timer.setInterval(self._tick_ms())

    def _update_empty(self) -> None:
        self.empty.setVisible(not self._has_data or not self._panes)

    def focus_area(self, site: str, area: str) -> None:
        """Show that area's channels, one per pane (adding panes as needed, up to 8)."""
        self._suggested = True
        keys = [c.key for c in self.core.store.channels(site, area)][:8]
        if not keys:
            names = PlaceNames(self._sites)  # names, not the register's codes
            self.say(
                self.tr("No readings from %1 / %2 yet.")
                .replace("%1", names.site(site))
                .replace("%2", names.area(site, area))
            )
            return
        for pane in self._panes:
            pane.fill_areas()
        while len(self._panes) < len(keys):
            self.add_pane()
        for pane, key in zip(self._panes, keys, strict=False):
            pane.show_channel(key)
        names = PlaceNames(self._sites)
        self.say(
            self.tr("Trends of %1 / %2").replace("%1", names.site(site)).replace("%2", names.area(site, area))
        )

    # ---- live -------------------------------------------------------------------------------------------
    def on_delta(self, delta: CoreDelta) -> None:
        dirty = delta.dirty_channels
        if not self._suggested and time.monotonic() >= self._suggest_after:
            self._suggest_after = time.monotonic() + 1.0  # it reads every channel: at most once a second
            self._suggest_once()
        if not dirty:
            return
        for pane in self._panes:
            if pane.key is not None and pane.key in dirty:
                pane.pending = True
        new = dirty - self._known
        if new:
            self._known |= new
            for pane in self._panes:
                if pane.key is None:
                    pane.fill_areas()
        if not self._has_data:
            self._has_data = True
            self._update_empty()

    def _step(self) -> None:
        """One tick: the next pane on screen with something to do feeds its plot and draws."""
        count = len(self._panes)
        for i in range(count):
            pane = self._panes[(self._next + i) % count]
            if pane.on_screen() and pane.step():
                self._next = (self._next + i + 1) % count
                return

    def _catch_up(self) -> None:
        """Draw every pane on screen that has something to show (after a scroll brought them in)."""
        for pane in self._panes:
            if pane.on_screen():
                pane.step()

    def _limits_arrived(self) -> None:
        for pane in self._panes:
            pane.apply_limits()

    def retranslate(self) -> None:
        self.add_button.setText(self.tr("Add trend"))
        self.empty.setText(self.tr("No readings yet: trends appear when detectors report."))
        for pane in self._panes:
            pane.retranslate()
