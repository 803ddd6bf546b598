"""The Sparkplug mapping kept with the registers: a tab of the detectors screen (issue 22).

Every role reads the entries in their order (tried after the configuration file's ``[[sparkplug.map]]``;
the first that matches a metric wins); administrators and safety managers add, change, remove and move
them, then save the whole list at once (``SparkplugRegister``: the role read from the database, the
configuration's own checks, one audit entry). Beside them, the metrics the host has seen and mapped
nowhere; "Map this metric…" fills the form with one of them. Reads and the save run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
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
from cockpit.sparkplug_config import MapProblem, SparkplugMap, SparkplugMapError
from cockpit.sparkplug_register import SparkplugRegister
from models.queries import SiteInfo
from models.records import SAFETY_CHANNELS
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, make_table
from views.plant_register_view import problem_text
from views.register_parts import PlacePicker, editor_panel, make_buttons, selected_row
from views.view_model import Retranslated
from widgets.form_labels import set_form_labels
from widgets.theme import QT_TRANSLATE_NOOP

_CTX = "SparkplugMapView"
LIMIT_NAMES = ("lolo", "lo", "hi", "hihi")
PATTERNS = ("group", "node", "device", "metric")
MAP_TEXTS: dict[str, str] = {
    MapProblem.EMPTY: QT_TRANSLATE_NOOP("SparkplugMapView", "Entry {entry}: {field} is empty"),
    MapProblem.NOT_IDENTIFIER: QT_TRANSLATE_NOOP(
        "SparkplugMapView", "Entry {entry}: {field} {value!r} is not allowed: letters, digits, '.', '_', '-'"
    ),
    MapProblem.WRONG_UNIT: QT_TRANSLATE_NOOP(
        "SparkplugMapView", "Entry {entry}: {channel} is measured in {canonical}, not {unit!r}"
    ),
    MapProblem.NO_UNIT: QT_TRANSLATE_NOOP(
        "SparkplugMapView", "Entry {entry}: {channel} is not a known gas: give its unit"
    ),
    MapProblem.LIMITS_DISAGREE: QT_TRANSLATE_NOOP(
        "SparkplugMapView", "Entry {entry}: {name} {value:g} disagrees with the configuration's {other:g}"
    ),
    MapProblem.LIMITS_REFUSED: QT_TRANSLATE_NOOP(
        "SparkplugMapView", "Entry {entry}: limits refused: {reason}"
    ),
    MapProblem.STOP_EMPTY: QT_TRANSLATE_NOOP(
        "SparkplugMapView", "Stop-work target {entry}: {field} is empty"
    ),
    MapProblem.TOO_LONG: QT_TRANSLATE_NOOP(
        "SparkplugMapView", "Entry {entry}: {field} is longer than {max} characters"
    ),
}
FIELD_TEXTS: dict[str, str] = {
    "group": QT_TRANSLATE_NOOP("SparkplugMapView", "Group"),
    "node": QT_TRANSLATE_NOOP("SparkplugMapView", "Edge node"),
    "device": QT_TRANSLATE_NOOP("SparkplugMapView", "Device"),
    "metric": QT_TRANSLATE_NOOP("SparkplugMapView", "Metric"),
    "site": QT_TRANSLATE_NOOP("SparkplugMapView", "Site"),
    "area": QT_TRANSLATE_NOOP("SparkplugMapView", "Area"),
    "detector": QT_TRANSLATE_NOOP("SparkplugMapView", "Detector"),
    "channel": QT_TRANSLATE_NOOP("SparkplugMapView", "Channel"),
    "unit": QT_TRANSLATE_NOOP("SparkplugMapView", "Unit"),
    "command_id_metric": QT_TRANSLATE_NOOP("SparkplugMapView", "Command ID metric"),
    "ack_metric": QT_TRANSLATE_NOOP("SparkplugMapView", "Acknowledgement metric"),
}
NOT_A_NUMBER = QT_TRANSLATE_NOOP("SparkplugMapView", "{field}: {text!r} is not a number")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def map_problem_text(exc: Exception) -> str:
    """A refusal in the user's language: the service's code and parameters, the field named in it."""
    if isinstance(exc, SparkplugMapError) and "entry" in exc.params and exc.code in MAP_TEXTS:
        params = dict(exc.params)
        key = str(params.get("key", ""))
        params["field"] = _tr(FIELD_TEXTS[key]) if key in FIELD_TEXTS else key
        return _tr(MAP_TEXTS[exc.code]).format(**params)
    return problem_text(exc)


def limits_text(limits: dict[str, float]) -> str:
    return "  ".join(f"{name.upper()} {limits[name]:g}" for name in LIMIT_NAMES if name in limits)


class _EntryForm(QGroupBox):
    """One entry's fields: the four patterns, where it goes, its unit and optional limits."""

    def __init__(self) -> None:
        super().__init__()
        self.patterns = {key: QLineEdit() for key in PATTERNS}
        self.place = PlacePicker()
        self.site, self.area, self.channel = self.place.site, self.place.area, QComboBox()
        self.channel.setEditable(True)
        self.channel.addItems(sorted(SAFETY_CHANNELS))
        self.detector, self.unit = QLineEdit(), QLineEdit()
        self.limits = {name: QLineEdit() for name in LIMIT_NAMES}
        self.form = QFormLayout(self)
        widgets = (*self.patterns.values(), self.site, self.area, self.detector, self.channel, self.unit)
        for widget in (*widgets, *self.limits.values()):
            self.form.addRow(QLabel(), widget)

    def set_sites(self, sites: list[SiteInfo]) -> None:
        self.place.set_sites(sites)

    def show_entry(self, e: SparkplugMap) -> None:
        for key, edit in self.patterns.items():
            edit.setText(getattr(e, key))
        self.place.select(e.site, e.area)
        self.detector.setText(e.detector)
        self.channel.setCurrentText(e.channel)
        self.unit.setText(e.unit)
        for name, edit in self.limits.items():
            edit.setText(f"{e.limits[name]:g}" if name in e.limits else "")

    def entry(self) -> SparkplugMap:
        """What the form says (checked by the service on save; a limit that is no number said here)."""
        limits: dict[str, float] = {}
        for name, edit in self.limits.items():
            text = edit.text().strip().replace(",", ".")
            if text:
                try:
                    limits[name] = float(text)
                except ValueError:
                    raise ValueError(_tr(NOT_A_NUMBER).format(field=name.upper(), text=text[:20])) from None
        site, area = self.place.chosen()
        return SparkplugMap(
            **{key: edit.text().strip() for key, edit in self.patterns.items()},
            site=site,
            area=area,
            detector=self.detector.text().strip(),
            channel=self.channel.currentText().strip(),
            unit=self.unit.text().strip(),
            limits=limits,
        )

    def set_texts(self) -> None:
        self.setTitle(QCoreApplication.translate("SparkplugMapView", "Entry"))
        names = tuple(_tr(FIELD_TEXTS[k]) for k in (*PATTERNS, "site", "area", "detector", "channel", "unit"))
        set_form_labels(self.form, (*names, "LOLO", "LO", "HI", "HIHI"))
        self.patterns["device"].setPlaceholderText(
            QCoreApplication.translate("SparkplugMapView", "empty: the edge node's own metrics")
        )
        self.detector.setPlaceholderText(
            QCoreApplication.translate("SparkplugMapView", "empty: the Sparkplug device's ID")
        )
        self.unit.setPlaceholderText(
            QCoreApplication.translate("SparkplugMapView", "a known gas: its own unit")
        )
        for edit in self.limits.values():
            edit.setPlaceholderText(QCoreApplication.translate("SparkplugMapView", "optional"))


class SparkplugMapView(Retranslated):
    """Signals: ``entries_shown(count)``, ``action_done(action)``, ``action_failed(text)``."""

    entries_shown = Signal(int)
    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(
        self,
        register: SparkplugRegister,
        reads: PlantReads,
        *,
        acting: LoginSession,
        editable: bool,
        unmapped: Callable[[], Sequence[Sequence[str]]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._register, self._reads, self._acting = register, reads, acting
        self._editable = editable
        self._unmapped_of = unmapped or (lambda: [])
        self._offgui = OffGui(self, name="sparkplug-map")
        self._entries: list[SparkplugMap] = []
        self._unmapped: list[Sequence[str]] = []
        self.changed = False  # edits not saved yet
        self.table = make_table([""] * 11)
        self.table.itemSelectionChanged.connect(self._selected)
        self.unmapped = make_table([""] * 5)
        self.form = _EntryForm()
        self.note, self.message, self.unmapped_title = QLabel(), QLabel(), QLabel()
        self.note.setWordWrap(True)
        self.message.setWordWrap(True)
        self.buttons = make_buttons(
            (
                ("add", self.add_entry),
                ("apply", self.apply_entry),
                ("remove", self.remove_entry),
                ("up", lambda: self.move_entry(-1)),
                ("down", lambda: self.move_entry(1)),
                ("save", self.save),
                ("map", self.map_selected_metric),
                ("refresh", self.refresh),
            )
        )
        self._build()
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        edits = QHBoxLayout()
        for key in ("add", "apply", "remove", "up", "down", "save"):
            edits.addWidget(self.buttons[key])
            self.buttons[key].setVisible(self._editable)
        edits.addStretch(1)
        self.unmapped_title.setProperty("role", "heading")
        seen = QHBoxLayout()
        seen.addWidget(self.unmapped_title, 1)
        seen.addWidget(self.buttons["map"])
        seen.addWidget(self.buttons["refresh"])
        self.buttons["map"].setVisible(self._editable)
        left = QVBoxLayout()
        left.addWidget(self.note)
        left.addWidget(self.table, 3)
        left.addLayout(edits)
        left.addLayout(seen)
        left.addWidget(self.unmapped, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        self.side = editor_panel(self.form, editable=self._editable)
        body.addWidget(self.side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)

    def retranslate(self) -> None:
        fields = [_tr(FIELD_TEXTS[k]) for k in (*PATTERNS, "site", "area", "detector", "channel", "unit")]
        self.table.setHorizontalHeaderLabels(
            ["#", *fields, QCoreApplication.translate("SparkplugMapView", "Limits")]
        )
        self.unmapped.setHorizontalHeaderLabels(
            [*fields[:4], QCoreApplication.translate("SparkplugMapView", "Unit")]
        )
        self.note.setText(
            QCoreApplication.translate(
                "SparkplugMapView",
                "Tried in this order after the configuration file's entries; the first entry that matches "
                "a metric wins. Patterns as in a shell: * and ?",
            )
        )
        self.unmapped_title.setText(
            QCoreApplication.translate("SparkplugMapView", "Metrics seen but mapped nowhere")
        )
        texts = {
            "add": QCoreApplication.translate("SparkplugMapView", "Add as new entry"),
            "apply": QCoreApplication.translate("SparkplugMapView", "Change selected entry"),
            "remove": QCoreApplication.translate("SparkplugMapView", "Remove"),
            "up": QCoreApplication.translate("SparkplugMapView", "Move up"),
            "down": QCoreApplication.translate("SparkplugMapView", "Move down"),
            "save": QCoreApplication.translate("SparkplugMapView", "Save mapping"),
            "map": QCoreApplication.translate("SparkplugMapView", "Map this metric…"),
            "refresh": QCoreApplication.translate("SparkplugMapView", "Refresh"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.form.set_texts()

    # ------------------------------------------------------------ reads

    def refresh(self) -> None:
        reads, register = self._reads, self._register
        self._unmapped = [list(m) for m in self._unmapped_of()]
        self._show_unmapped()
        self._run(lambda: (reads.sites(), register.entries()), self._took)

    def _took(self, got: tuple[list[SiteInfo], list[SparkplugMap]]) -> None:
        sites, entries = got
        self.form.set_sites(sites)
        self._entries, self.changed = entries, False
        self._show()

    def entries(self) -> list[SparkplugMap]:
        return list(self._entries)

    def _show(self, select: int | None = None) -> None:
        t = self.table
        t.blockSignals(True)
        t.setRowCount(len(self._entries))
        for r, e in enumerate(self._entries):
            texts = (str(r + 1), e.group, e.node, e.device, e.metric, e.site, e.area, e.detector, e.channel)
            for col, text in enumerate((*texts, e.unit, limits_text(e.limits))):
                t.setItem(r, col, cell(text))
        t.blockSignals(False)
        fill_done(t)
        if select is not None and 0 <= select < len(self._entries):
            t.selectRow(select)
        self.entries_shown.emit(len(self._entries))

    def _show_unmapped(self) -> None:
        t = self.unmapped
        t.setRowCount(len(self._unmapped))
        for r, parts in enumerate(self._unmapped):
            for col, text in enumerate(parts[:5]):
                t.setItem(r, col, cell(str(text)))
        fill_done(t)

    def selected_row(self) -> int | None:
        return selected_row(self.table)

    def _selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.form.show_entry(self._entries[row])

    # ------------------------------------------------------------ edits (kept here until saved)

    def _edited(self, entries: list[SparkplugMap], select: int | None) -> None:
        self._entries, self.changed = entries, True
        self._show(select)
        self.message.setText(
            QCoreApplication.translate("SparkplugMapView", "Not saved yet: %1 entries").replace(
                "%1", str(len(entries))
            )
        )

    def add_entry(self) -> None:
        try:
            entry = self.form.entry()
        except ValueError as exc:
            self._fail(str(exc))
            return
        self._edited([*self._entries, entry], len(self._entries))

    def apply_entry(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        try:
            entry = self.form.entry()
        except ValueError as exc:
            self._fail(str(exc))
            return
        entries = list(self._entries)
        entries[row] = entry
        self._edited(entries, row)

    def remove_entry(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._edited(self._entries[:row] + self._entries[row + 1 :], min(row, len(self._entries) - 2))

    def move_entry(self, step: int) -> None:
        row = self.selected_row()
        if row is None or not 0 <= row + step < len(self._entries):
            return
        entries = list(self._entries)
        entries[row], entries[row + step] = entries[row + step], entries[row]
        self._edited(entries, row + step)

    def map_selected_metric(self) -> None:
        """The selected unmapped metric's group, node, device, metric and unit into the form."""
        rows = self.unmapped.selectionModel().selectedRows()
        if rows:
            self.prefill(*self._unmapped[rows[0].row()][:5])

    def prefill(self, group: str, node: str, device: str, metric: str, unit: str = "") -> None:
        site, area = self.form.place.chosen()
        self.table.clearSelection()
        entry = SparkplugMap(
            group=group, node=node, device=device, metric=metric, site=site, area=area, unit=unit
        )
        self.form.show_entry(entry)
        self.form.patterns["metric"].setFocus()

    def save(self) -> None:
        register, acting, entries = self._register, self._acting, list(self._entries)

        def done(_: object) -> None:
            self.message.setText(QCoreApplication.translate("SparkplugMapView", "Saved"))
            self.action_done.emit("save")
            reads = self._reads
            self._run(lambda: (reads.sites(), register.entries()), self._took)

        self._run(lambda: register.save(acting, entries), done)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(map_problem_text(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)
