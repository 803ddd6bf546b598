"""The alarm system's health (issue 21, part 1): EEMUA 191 and ISA-18.2 figures, live, for a shift, a
day, a week or a month, read from the alarm journal off the GUI thread (so a restart loses nothing).

The chart draws the alarms of every 10-minute period against EEMUA's lines: 1 (acceptable on
average), 2 (manageable) and 10 (a flood). Times are the plant's; texts are codes translated here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.alarm_kpi import (
    BAND_ACCEPTABLE,
    BAND_MANAGEABLE,
    BAND_OVERDEMANDING,
    AlarmFigures,
    AlarmKpis,
    AlarmSource,
)
from cockpit.report.journal import FLOOD_COUNT, FLOOD_WINDOW
from models.plant_clock import PlantClock
from models.queries import SiteInfo
from views.error_words import error_text
from views.handover_view import current_shift
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, fmt_local, make_table
from views.source_words import source_text
from views.view_model import Retranslated
from widgets import theme
from widgets.alarm_words import condition_text
from widgets.theme import QT_TRANSLATE_NOOP

__all__ = ["AlarmKpiView", "period_bounds"]

PERIODS = ("shift", "day", "week", "month")
FIGURES = ("alarms", "average", "peak", "floods", "standing", "shelved", "chatter", "top")
_PERIOD_TEXTS = {
    "shift": QT_TRANSLATE_NOOP("AlarmKpiView", "This shift"),
    "day": QT_TRANSLATE_NOOP("AlarmKpiView", "Today"),
    "week": QT_TRANSLATE_NOOP("AlarmKpiView", "Last 7 days"),
    "month": QT_TRANSLATE_NOOP("AlarmKpiView", "This month"),
}
_BAND_TEXTS = {
    BAND_ACCEPTABLE: QT_TRANSLATE_NOOP("AlarmKpiView", "acceptable (EEMUA 191: 1 or fewer)"),
    BAND_MANAGEABLE: QT_TRANSLATE_NOOP("AlarmKpiView", "manageable (EEMUA 191: up to 2)"),
    BAND_OVERDEMANDING: QT_TRANSLATE_NOOP("AlarmKpiView", "over-demanding (EEMUA 191: more than 2)"),
}
_BAND_COLOURS = {BAND_ACCEPTABLE: "confirmed", BAND_MANAGEABLE: "risk_high", BAND_OVERDEMANDING: "alarm_p1"}


def period_bounds(period: str, now: datetime, zone: str) -> tuple[datetime, datetime]:
    """The period so far, in UTC: ``now`` is its end (live figures), its start the plant's."""
    local = now.astimezone(ZoneInfo(zone))
    if period == "shift":
        return current_shift(now, zone)[0], now
    if period == "week":
        return now - timedelta(days=7), now
    if period == "month":
        local = local.replace(day=1)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(UTC), now


class AlarmKpiView(Retranslated):
    """Figures, the 10-minute chart, the ten most frequent and the chattering alarms."""

    def __init__(
        self,
        figures: AlarmFigures,
        sites: list[SiteInfo],
        *,
        clock: Callable[[], datetime] | None = None,
        refresh_ms: int = 60_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._figures = figures
        self._sites = sites
        self._plant = PlantClock.from_sites(sites)
        self._areas = {(a.site_id, a.area_id): a.name for s in sites for a in s.areas}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="alarm-kpi")
        self.kpis: AlarmKpis | None = None
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.period = QComboBox()
        self.site = QComboBox()
        self.reload = QPushButton()
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.site.currentIndexChanged.connect(lambda _i: self.refresh())
        self.reload.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        for widget in (self.period, self.site, self.reload):
            bar.addWidget(widget)
        self.chart = pg.PlotWidget(background=theme.PALETTE.panel, enableMenu=False)
        self.chart.setMinimumHeight(220)
        self.chart.getPlotItem().hideButtons()
        self.bad_actors = make_table([""] * 4)
        self.chattering = make_table([""] * 4)
        self.bad_title, self.chatter_title, self.status = QLabel(), QLabel(), QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(self._figure_grid())
        layout.addWidget(self.chart, 1)
        layout.addLayout(self._tables(), 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.retranslate()
        self.refresh()

    def _figure_grid(self) -> QGridLayout:
        self._names: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, key in enumerate(FIGURES):
            name, value = QLabel(), QLabel()
            value.setFont(theme.scaled_font(14, bold=True))
            self._names[key], self._values[key] = name, value
            grid.addWidget(name, 0, i)
            grid.addWidget(value, 1, i)
        return grid

    def _tables(self) -> QHBoxLayout:
        tables = QHBoxLayout()
        for title, table in ((self.bad_title, self.bad_actors), (self.chatter_title, self.chattering)):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(table, 1)
            tables.addLayout(column, 1)
        return tables

    # ---- loading -------------------------------------------------------------------------------
    def _choice(self) -> tuple[str, str | None]:
        index = max(0, self.period.currentIndex())
        return PERIODS[index], self.site.currentData()

    def refresh(self) -> None:
        if self.period.count() == 0:  # still being built
            return
        period, site = self._choice()
        start, end = period_bounds(period, self._clock(), self._plant.zone(site))
        self._offgui.run(lambda: self._figures.read(start, end, site=site), self._on_kpis, self._on_error)

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the loads asked for so far have been shown."""
        return self._offgui.wait(ms)

    def _on_kpis(self, kpis: AlarmKpis) -> None:
        self.kpis = kpis
        self.status.setText(
            self.tr("From %1 to %2 (%3); read from the alarm journal.")
            .replace("%1", fmt_local(kpis.start, self._zone(), "stamp"))
            .replace("%2", fmt_local(kpis.end, self._zone(), "stamp"))
            .replace("%3", self._plant.zone_mark(self._choice()[1]))
        )
        self._show(kpis)

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(self.tr("The alarm journal could not be read: %1").replace("%1", error_text(exc)))

    def _zone(self) -> str:
        return self._plant.zone(self._choice()[1])

    # ---- showing -------------------------------------------------------------------------------
    def _show(self, k: AlarmKpis) -> None:
        v = self._values
        v["alarms"].setText(str(k.alarms))
        v["average"].setText(f"{k.per_10min_avg:.2f}  {self.tr(_BAND_TEXTS[k.band])}")
        v["average"].setStyleSheet(f"color: {theme.color(_BAND_COLOURS[k.band]).name()}")
        v["peak"].setText(str(k.per_10min_peak))
        v["floods"].setText(f"{k.flood_share * 100:.1f} %  ({k.flooded_periods}/{k.periods})")
        v["standing"].setText(str(k.standing_24h))
        longest = "" if k.longest_shelf is None else f"  ({self._duration(k.longest_shelf)})"
        v["shelved"].setText(f"{k.shelved_now}{longest}")
        v["chatter"].setText(str(len(k.chattering)))
        v["top"].setText(f"{k.bad_actor_share * 100:.0f} %")
        self._fill(self.bad_actors, k.bad_actors)
        self._fill(self.chattering, k.chattering)
        self._draw(k)

    def _duration(self, span: timedelta) -> str:
        hours, rest = divmod(int(span.total_seconds()) // 60, 60)
        return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(rest))

    def _fill(self, table: QTableWidget, sources: tuple[AlarmSource, ...]) -> None:
        table.setRowCount(len(sources))
        for row, a in enumerate(sources):
            table.setItem(row, 0, cell(self._areas.get((a.site, a.area), a.area)))
            table.setItem(row, 1, cell(source_text(a.source)))
            table.setItem(row, 2, cell(_condition(a.condition)))
            table.setItem(row, 3, cell(str(a.count)))
        fill_done(table)

    def _draw(self, k: AlarmKpis) -> None:
        plot = self.chart.getPlotItem()
        plot.clear()
        width = FLOOD_WINDOW.total_seconds()
        first = k.start.timestamp()
        xs = [first + (i + 0.5) * width for i in range(k.periods)]
        offset = self._plant.local(k.start, self._choice()[1]).utcoffset() or timedelta()
        axis = pg.DateAxisItem(orientation="bottom", utcOffset=-offset.total_seconds())
        plot.setAxisItems({"bottom": axis})
        colours = [theme.color("alarm_p1" if n >= FLOOD_COUNT else "process") for n in k.per_10min]
        plot.addItem(pg.BarGraphItem(x=xs, height=list(k.per_10min), width=width * 0.9, brushes=colours))
        for level, key in ((1, "confirmed"), (2, "risk_high"), (FLOOD_COUNT, "alarm_p1")):
            plot.addItem(
                pg.InfiniteLine(
                    pos=level, angle=0, pen=pg.mkPen(theme.color(key), style=Qt.PenStyle.DashLine)
                )
            )
        plot.setLabel("left", self.tr("Alarms per 10 min"))
        plot.setXRange(first, k.end.timestamp(), padding=0.01)
        plot.setYRange(0, max(FLOOD_COUNT + 2, k.per_10min_peak + 1), padding=0)

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Alarm system performance"))
        self.reload.setText(self.tr("Refresh"))
        names = {
            "alarms": self.tr("Alarms"),
            "average": self.tr("Average per 10 min"),
            "peak": self.tr("Peak in 10 min"),
            "floods": self.tr("Time in flood"),
            "standing": self.tr("Standing > 24 h"),
            "shelved": self.tr("Shelved (longest)"),
            "chatter": self.tr("Chattering"),
            "top": self.tr("Top 10 share"),
        }
        for key, text in names.items():
            self._names[key].setText(text)
        self.bad_title.setText(self.tr("The ten most frequent alarms"))
        self.chatter_title.setText(self.tr("Chattering alarms (3 or more within a minute)"))
        headers = [self.tr("Area"), self.tr("Detector"), self.tr("Condition"), self.tr("Alarms")]
        self.bad_actors.setHorizontalHeaderLabels(headers)
        self.chattering.setHorizontalHeaderLabels(headers)
        period_index, site_index = self.period.currentIndex(), self.site.currentIndex()
        self.period.blockSignals(True)
        self.site.blockSignals(True)
        self.period.clear()
        for key in PERIODS:
            self.period.addItem(self.tr(_PERIOD_TEXTS[key]))
        self.site.clear()
        self.site.addItem(self.tr("All sites"), None)
        for s in self._sites:
            self.site.addItem(s.name, s.site_id)
        self.period.setCurrentIndex(max(0, period_index))
        self.site.setCurrentIndex(max(0, site_index))
        self.period.blockSignals(False)
        self.site.blockSignals(False)
        if self.kpis is not None:
            self._on_kpis(self.kpis)


def _condition(code: str) -> str:
    """A condition in words (it showed GAS_TEST_FAILED); the ISA level codes kept beside theirs."""
    words = condition_text(code)
    return f"{words} ({code})" if code in ("HIHI", "HI", "LO", "LOLO") and words != code else words
