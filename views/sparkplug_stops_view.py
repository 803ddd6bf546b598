"""The Sparkplug stop-work targets kept with the registers: a tab of the detectors screen (issue 22).

A stop or resume of an area goes to the field as the JSON command and, for each target of that area,
as a DCMD (an NCMD when the device is empty) writing the target's Boolean metric, with the command's
id beside it; the acknowledgement is read from the target's DDATA metric. The configuration file's
``[[sparkplug.stop]]`` come first, these after. Every role reads; administrators and safety managers
add, change, remove and save the list (``SparkplugRegister.save_stops``: role, checks, audit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cockpit.plant_reads import PlantReads
from cockpit.sessions import LoginSession
from cockpit.sparkplug_config import SparkplugStop
from cockpit.sparkplug_register import SparkplugRegister
from models.queries import SiteInfo
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, make_table
from views.register_parts import PlacePicker, editor_panel, make_buttons, selected_row
from views.sparkplug_map_view import FIELD_TEXTS, _tr, map_problem_text
from views.view_model import Retranslated
from widgets.form_labels import set_form_labels

TEXT_FIELDS = ("group", "node", "device", "metric", "command_id_metric", "ack_metric")


class SparkplugStopsView(Retranslated):
    """Signals: ``action_done(action)``, ``action_failed(text)``."""

    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(
        self,
        register: SparkplugRegister,
        reads: PlantReads,
        *,
        acting: LoginSession,
        editable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._register, self._reads, self._acting, self._editable = register, reads, acting, editable
        self._offgui = OffGui(self, name="sparkplug-stops")
        self._stops: list[SparkplugStop] = []
        self.changed = False
        self.table = make_table([""] * 9)
        self.table.itemSelectionChanged.connect(self._selected)
        self.place = PlacePicker()
        self.site, self.area = self.place.site, self.place.area
        self.fields = {key: QLineEdit() for key in TEXT_FIELDS}
        self.box = QGroupBox()
        self.form = QFormLayout(self.box)
        for widget in (self.site, self.area, *self.fields.values()):
            self.form.addRow(QLabel(), widget)
        self.note, self.message = QLabel(), QLabel()
        self.note.setWordWrap(True)
        self.message.setWordWrap(True)
        self.buttons = make_buttons(
            (("add", self.add), ("apply", self.apply), ("remove", self.remove), ("save", self.save)),
            visible=editable,
        )
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.note)
        left.addWidget(self.table, 1)
        left.addLayout(row)
        self.side = editor_panel(self.box, editable=editable)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        names = {
            **{k: _tr(v) for k, v in FIELD_TEXTS.items()},
            "metric": QCoreApplication.translate("SparkplugMapView", "Stop metric (Boolean)"),
        }
        fields = [names[k] for k in ("site", "area", *TEXT_FIELDS)]
        self.table.setHorizontalHeaderLabels(["#", *fields])
        set_form_labels(self.form, tuple(fields))
        self.box.setTitle(QCoreApplication.translate("SparkplugMapView", "Stop-work target"))
        self.note.setText(
            QCoreApplication.translate(
                "SparkplugMapView",
                "A stop or resume of the area is also written to this Sparkplug device (empty device: the "
                "edge node), after the configuration file's targets.",
            )
        )
        self.fields["device"].setPlaceholderText(
            QCoreApplication.translate("SparkplugMapView", "empty: the edge node itself")
        )
        self.fields["command_id_metric"].setPlaceholderText(
            QCoreApplication.translate("SparkplugMapView", "empty: not sent")
        )
        self.fields["ack_metric"].setPlaceholderText(
            QCoreApplication.translate("SparkplugMapView", "empty: no acknowledgement read")
        )
        texts = {
            "add": QCoreApplication.translate("SparkplugMapView", "Add as new target"),
            "apply": QCoreApplication.translate("SparkplugMapView", "Change selected target"),
            "remove": QCoreApplication.translate("SparkplugMapView", "Remove"),
            "save": QCoreApplication.translate("SparkplugMapView", "Save targets"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)

    def refresh(self) -> None:
        reads, register = self._reads, self._register
        self._run(lambda: (reads.sites(), register.stops()), self._took)

    def _took(self, got: tuple[list[SiteInfo], list[SparkplugStop]]) -> None:
        sites, stops = got
        self.place.set_sites(sites)
        if not self._stops:  # a first read fills the form with a target's usual metrics
            for key in ("metric", "command_id_metric", "ack_metric"):
                self.fields[key].setText(getattr(SparkplugStop(), key))
        self._show(stops, changed=False)

    def stops(self) -> list[SparkplugStop]:
        return list(self._stops)

    def _show(self, stops: list[SparkplugStop], *, changed: bool, select: int | None = None) -> None:
        self._stops, self.changed = stops, changed
        t = self.table
        t.blockSignals(True)
        t.setRowCount(len(stops))
        for r, x in enumerate(stops):
            texts = (str(r + 1), x.site, x.area, *(getattr(x, k) for k in TEXT_FIELDS))
            for col, text in enumerate(texts):
                t.setItem(r, col, cell(text))
        t.blockSignals(False)
        fill_done(t)
        if select is not None and 0 <= select < len(stops):
            t.selectRow(select)
        if changed:
            self.message.setText(
                QCoreApplication.translate("SparkplugMapView", "Not saved yet: %1 targets").replace(
                    "%1", str(len(stops))
                )
            )

    def selected_row(self) -> int | None:
        return selected_row(self.table)

    def _selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        x = self._stops[row]
        self.place.select(x.site, x.area)
        for key, edit in self.fields.items():
            edit.setText(getattr(x, key))

    def target(self) -> SparkplugStop:
        site, area = self.place.chosen()
        return SparkplugStop(
            site=site,
            area=area,
            **{key: edit.text().strip() for key, edit in self.fields.items()},
        )

    def add(self) -> None:
        self._show([*self._stops, self.target()], changed=True, select=len(self._stops))

    def apply(self) -> None:
        row = self.selected_row()
        if row is not None:
            stops = list(self._stops)
            stops[row] = self.target()
            self._show(stops, changed=True, select=row)

    def remove(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._show(self._stops[:row] + self._stops[row + 1 :], changed=True)

    def save(self) -> None:
        register, acting, stops = self._register, self._acting, list(self._stops)

        def done(_: object) -> None:
            self.message.setText(QCoreApplication.translate("SparkplugMapView", "Saved"))
            self.action_done.emit("save")
            self.refresh()

        self._run(lambda: register.save_stops(acting, stops), done)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(map_problem_text(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)
