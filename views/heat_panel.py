"""The site map's heat-map controls: switch the layer on, choose a day or a week, read the legend.

Off by default: the live map is for the work going on now; the heat layer is a look back at where the
high-risk work was (issue 21 part 5). When on, it reads ``HeatMapReads.figures`` for the site, day and
span off the GUI thread and tints the areas (``widgets/heat_layer.py``); the legend gives the hours of
each tint for the chosen span, and a line names the busiest area. Days are the site's (plant time).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cockpit.heat_map import HeatFigures, HeatMapReads, Span
from models.plant_clock import PlantClock
from views.offgui import OffGui
from views.view_model import Retranslated
from widgets.heat_layer import BINS, NONE, RAMP, AreaHeatMark, HeatLayer
from widgets.site_map import SiteMap


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"


class HeatPanel(Retranslated):
    """Signal ``shown(site)`` once a site's figures are on the map."""

    shown = Signal(str)

    def __init__(
        self,
        site_map: SiteMap,
        reads: HeatMapReads,
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reads = reads
        self._clock = clock or (lambda: datetime.now(UTC))
        self.layer = HeatLayer(site_map)
        self._offgui = OffGui(self, name="heat")
        self._site: str | None = None
        self._zone = ""
        self.figures: HeatFigures | None = None

        self.switch = QCheckBox()
        self.switch.toggled.connect(self._switched)
        self.span_box = QComboBox()
        self.span_box.addItem("", "day")
        self.span_box.addItem("", "week")
        self.span_box.currentIndexChanged.connect(self.read)
        self.day_edit = QDateEdit()
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.dateChanged.connect(self.read)
        self.legend_title = QLabel()
        self.swatches = [QLabel() for _ in RAMP]
        for swatch, color in zip(self.swatches, RAMP, strict=True):
            dark = RAMP.index(color) >= 2
            swatch.setStyleSheet(
                f"background-color:{color}; color:{'#ffffff' if dark else '#1a1a1a'}; padding:1px 6px;"
            )
        self.no_work = QLabel()
        self.no_work.setStyleSheet(
            f"background-color:{NONE}; color:#1a1a1a; padding:0px 6px; border:1px solid #8a8a8a;"
        )
        self.busiest = QLabel()
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for w in (self.switch, self.span_box, self.day_edit):
            controls.addWidget(w)
        controls.addStretch(1)
        self.legend = QWidget()
        legend = QHBoxLayout(self.legend)
        legend.setContentsMargins(0, 0, 0, 0)
        legend.addWidget(self.legend_title)
        legend.addWidget(self.no_work)
        for swatch in self.swatches:
            legend.addWidget(swatch)
        legend.addWidget(self.busiest, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.legend)
        self._switched(False)
        self.retranslate()

    @property
    def span(self) -> Span:
        return "week" if self.span_box.currentData() == "week" else "day"

    def day(self) -> date:
        return self.day_edit.date().toPython()  # type: ignore[return-value]  # a QDate gives a date

    def set_site(self, site_id: str | None, zone: str) -> None:
        """The map shows another site: its plant day today, and its figures when the layer is on."""
        first = self._site is None
        self._site, self._zone = site_id, zone
        if first:
            today = PlantClock(zone).local(self._clock()).date()
            self.day_edit.blockSignals(True)
            self.day_edit.setDate(QDate(today.year, today.month, today.day))
            self.day_edit.blockSignals(False)
        self.read()

    def choose(self, day: date, span: Span = "day") -> None:
        """Tests and the operator alike: this day (or its week)."""
        self.span_box.setCurrentIndex(1 if span == "week" else 0)
        self.day_edit.setDate(QDate(day.year, day.month, day.day))

    def _switched(self, on: bool) -> None:
        for w in (self.span_box, self.day_edit, self.legend):
            w.setVisible(on)
        if on:
            self.read()
        else:
            self.figures = None
            self.layer.clear()

    def read(self, *_: object) -> None:
        site = self._site
        if not self.switch.isChecked() or site is None:
            return
        reads, day, span = self._reads, self.day(), self.span
        self._offgui.run(lambda: reads.figures(site, day, span), self._took, self._failed)

    def wait(self, ms: int = 10_000) -> bool:
        return self._offgui.wait(ms)

    def _took(self, figures: HeatFigures) -> None:
        if not self.switch.isChecked() or figures.site_id != self._site:
            return  # switched off, or another site, meanwhile
        self.figures = figures
        self._show()
        self.shown.emit(figures.site_id)

    def _failed(self, exc: Exception) -> None:
        self.busiest.setText(self.tr("Heat map not read: %1").replace("%1", str(exc)))

    def reapply(self) -> None:
        """The map drew its areas anew: tint them again."""
        if self.figures is not None:
            self.layer.reapply()

    def _show(self) -> None:
        figures = self.figures
        if figures is None:
            return
        marks = {}
        for area, heat in figures.areas.items():
            text = self.tr("%1 h").replace("%1", _hours(heat.hours))
            if heat.alarms:
                many = self.tr("%1 alarms").replace("%1", str(heat.alarms))
                text += " · " + (self.tr("1 alarm") if heat.alarms == 1 else many)
            tip = self.tr("%1: %2 h of high-risk work (%3 permits), %4 alarms raised")
            tip = tip.replace("%1", figures.name(area)).replace("%2", _hours(heat.hours))
            tip = tip.replace("%3", str(heat.permits)).replace("%4", str(heat.alarms))
            marks[(figures.site_id, area)] = AreaHeatMark(heat.hours, heat.alarms, text, tip)
        self.layer.show(marks, BINS[figures.span])
        self._legend()

    def _legend(self) -> None:
        bins = BINS[self.span if self.figures is None else self.figures.span]
        lower = 0.0
        for swatch, upper in zip(self.swatches, (*bins, None), strict=True):
            if upper is None:
                swatch.setText(self.tr("> %1 h").replace("%1", _hours(lower)))
            else:
                swatch.setText(self.tr("%1–%2 h").replace("%1", _hours(lower)).replace("%2", _hours(upper)))
                lower = upper
        figures = self.figures
        if figures is None or not figures.areas:
            self.busiest.setText(self.tr("No high-risk work and no alarms in this period."))
            return
        area, heat = max(figures.areas.items(), key=lambda kv: (kv[1].hours, kv[1].alarms))
        self.busiest.setText(
            self.tr("Busiest: %1, %2 h").replace("%1", figures.name(area)).replace("%2", _hours(heat.hours))
        )

    def retranslate(self) -> None:
        self.switch.setText(self.tr("Heat map"))
        self.switch.setToolTip(self.tr("High-risk work-hours and alarms per area, for a day or a week"))
        self.span_box.setItemText(0, self.tr("Day"))
        self.span_box.setItemText(1, self.tr("Week (Monday to Sunday)"))
        self.legend_title.setText(self.tr("Work-hours:"))
        self.no_work.setText(self.tr("No work"))
        self._legend()
        self._show()
