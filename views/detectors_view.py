"""Detectors and channels, and the wind masts: the register screen (administrators and safety managers
edit; everyone else reads).

A channel shows the limits in force: its profile's (``cn`` or ``us``) and, marked, the channel's own
overrides, which may only be stricter (the service refuses a looser one, in codes said here in the
user's language). An empty limit field means "the profile's". Reads through ``PlantReads``, changes
through ``DetectorRegister`` (the acting user's stored role, the audit log), all off the GUI thread;
import and export of the detectors and channels registers through the shared files bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.detector_register import LIMIT_FIELDS, DetectorError, DetectorProblem, DetectorRegister
from cockpit.permits.wind import WIND_CHANNEL
from cockpit.plant_reads import PlantReads
from cockpit.register_io.service import RegisterIO
from cockpit.sessions import LoginSession
from models.limits import PROFILES
from models.queries import ChannelInfo, DetectorInfo, SiteInfo
from models.records import CANONICAL_UNITS, SAFETY_CHANNELS
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, key_of, make_table
from views.plant_register_view import problem_text
from views.read_only import ReadOnlyNotice
from views.register_files import RegisterFilesBar
from views.register_parts import PlacePicker, make_buttons
from views.view_model import Retranslated
from widgets.form_labels import set_form_labels
from widgets.theme import QT_TRANSLATE_NOOP

_CTX = "DetectorsView"
DETECTOR_TEXTS: dict[str, str] = {
    DetectorProblem.BAD_ID: QT_TRANSLATE_NOOP(
        "DetectorsView", "ID {value!r} not allowed: letters, digits, '.', '_', '-'"
    ),
    DetectorProblem.UNKNOWN_DETECTOR: QT_TRANSLATE_NOOP("DetectorsView", "There is no detector {device}"),
    DetectorProblem.BAD_CHANNEL: QT_TRANSLATE_NOOP(
        "DetectorsView", "Channel {ch!r} not allowed: letters and digits"
    ),
    DetectorProblem.BAD_UNIT: QT_TRANSLATE_NOOP(
        "DetectorsView", "{ch} is measured in {unit} on the wire, not {given!r}"
    ),
    DetectorProblem.BAD_PROFILE: QT_TRANSLATE_NOOP("DetectorsView", "Unknown limit profile {profile!r}"),
    DetectorProblem.BAD_MAX_AGE: QT_TRANSLATE_NOOP(
        "DetectorsView", "The maximum age must be above 0 and at most {max:g} s"
    ),
    DetectorProblem.BAD_POSITION: QT_TRANSLATE_NOOP(
        "DetectorsView", "The position must be two numbers in metres, or none"
    ),
    DetectorProblem.LIMIT_LOOSER: QT_TRANSLATE_NOOP(
        "DetectorsView",
        "{ch} {field} {value} is looser than the {profile} profile's {floor}: stricter limits only",
    ),
    DetectorProblem.LIMIT_ORDER: QT_TRANSLATE_NOOP(
        "DetectorsView", "{ch}: {low} {low_value} must lie below {high} {high_value}"
    ),
    DetectorProblem.LIMIT_NARROW: QT_TRANSLATE_NOOP(
        "DetectorsView", "{ch}: the limits are too close for an alarm to return to normal"
    ),
    DetectorProblem.LIMIT_NUMBER: QT_TRANSLATE_NOOP(
        "DetectorsView", "{ch} {field}: a limit must be a number"
    ),
    DetectorProblem.WIND_CHANNEL: QT_TRANSLATE_NOOP(
        "DetectorsView", "WIND belongs to a wind mast: add it there"
    ),
}
NOT_A_NUMBER = QT_TRANSLATE_NOOP("DetectorsView", "{field}: {text!r} is not a number")


class _Bad(ValueError):
    """A field the screen could not read as a number; said before anything is sent."""


def detector_problem_text(exc: Exception) -> str:
    if isinstance(exc, DetectorError):
        text = DETECTOR_TEXTS.get(exc.code)
        if text is not None:
            return QCoreApplication.translate(_CTX, text).format(**exc.params)
    if isinstance(exc, _Bad):
        return str(exc)
    return problem_text(exc)


def _limit_text(value: float | None, own: bool) -> str:
    if value is None:
        return "—"
    return f"{value:g} *" if own else f"{value:g}"


def channel_limits(channel: ChannelInfo) -> dict[str, tuple[float | None, bool]]:
    """Each of LOLO..HIHI in force for the channel, and whether it is the channel's own override."""
    floor = PROFILES.get(channel.limit_profile, PROFILES["cn"]).get(channel.ch)
    own = dict(channel.limits)
    return {
        name: (own[name], True) if name in own else (getattr(floor, name) if floor else None, False)
        for name in LIMIT_FIELDS
    }


class _PlaceForm(QWidget):
    """Site, area, ID, model and position: the part a detector and a wind mast share."""

    def __init__(self) -> None:
        super().__init__()
        self.place = PlacePicker()
        self.site, self.area = self.place.site, self.place.area
        self.device, self.model, self.pos_x, self.pos_y = (QLineEdit() for _ in range(4))
        self.form = QFormLayout(self)
        for widget in (self.site, self.area, self.device, self.model, self.pos_x, self.pos_y):
            self.form.addRow(QLabel(), widget)

    def set_sites(self, sites: list[SiteInfo]) -> None:
        self.place.set_sites(sites)

    def show_device(self, d: DetectorInfo) -> None:
        self.place.select(d.site_id, d.area_id)
        self.device.setText(d.device_id)
        self.model.setText(d.model)
        self.pos_x.setText("" if d.x is None else f"{d.x:g}")
        self.pos_y.setText("" if d.y is None else f"{d.y:g}")

    def labels(self, texts: tuple[str, ...]) -> None:
        set_form_labels(self.form, texts)


def _number(edit: QLineEdit, field: str) -> float | None:
    text = edit.text().strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _Bad(
            QCoreApplication.translate(_CTX, NOT_A_NUMBER).format(field=field, text=text[:20])
        ) from None


class DetectorsView(Retranslated):
    """Signals: ``detectors_shown(count)``, ``action_done(action)``, ``action_failed(text)``."""

    detectors_shown = Signal(int)
    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(
        self,
        reads: PlantReads,
        edits: DetectorRegister | None,
        *,
        acting: LoginSession,
        files: RegisterIO | None = None,
        sparkplug: QWidget | None = None,  # the Sparkplug mapping's tab (views/sparkplug_map_view.py)
        sparkplug_stops: QWidget | None = None,  # and its stop-work targets' (views/sparkplug_stops_view.py)
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reads, self._edits, self._acting = reads, edits, acting
        self.sparkplug, self.sparkplug_stops = sparkplug, sparkplug_stops
        self._offgui = OffGui(self, name="detectors")
        self._detectors: list[DetectorInfo] = []
        self._prefill: tuple[str, str, str, str] | None = None  # shown once the register is read
        self.detectors = make_table([""] * 6)
        self.detectors.itemSelectionChanged.connect(self._selected)
        self.channels = make_table([""] * 8)
        self.channels.itemSelectionChanged.connect(self._channel_selected)
        self.masts = make_table([""] * 6)
        self.masts.itemSelectionChanged.connect(self._mast_selected)
        self.place, self.mast_place = _PlaceForm(), _PlaceForm()
        self.ch, self.profile = QComboBox(), QComboBox()
        self.ch.setEditable(True)
        self.ch.addItems([*sorted(SAFETY_CHANNELS), "TEMP"])
        self.profile.addItems(list(PROFILES))
        self.unit, self.max_age, self.mast_age = QLineEdit(), QLineEdit(), QLineEdit()
        self.limits = {name: QLineEdit() for name in LIMIT_FIELDS}
        self.ch.currentTextChanged.connect(self._placeholders)
        self.profile.currentTextChanged.connect(self._placeholders)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = make_buttons(
            (
                ("detector", self.save_detector),
                ("channel", self.save_channel),
                ("delete_channel", self.delete_channel),
                ("mast", self.save_mast),
            )
        )
        self.files: RegisterFilesBar | None = None
        if files is not None:
            self.files = RegisterFilesBar(
                files, acting=acting, registers=("detectors", "channels"), can_import=edits is not None
            )
            self.files.imported.connect(lambda _report: self.refresh())
        self._build()
        for box in (self.detector_box, self.channel_box, self.mast_box, self.forms_panel, self.mast_panel):
            box.setVisible(edits is not None)  # others read: the tables take the width
        self._set_texts()
        self.refresh()

    def _build(self) -> None:
        self.detector_box, self.channel_box, self.mast_box = QGroupBox(), QGroupBox(), QGroupBox()
        detector = QVBoxLayout(self.detector_box)
        detector.addWidget(self.place)
        detector.addWidget(self.buttons["detector"])
        self.channel_form = QFormLayout(self.channel_box)
        for widget in (self.ch, self.unit, self.profile, *self.limits.values(), self.max_age):
            self.channel_form.addRow(QLabel(), widget)
        row = QHBoxLayout()
        row.addWidget(self.buttons["channel"])
        row.addWidget(self.buttons["delete_channel"])
        self.channel_form.addRow(row)
        mast = QVBoxLayout(self.mast_box)
        self.mast_place.form.addRow(QLabel(), self.mast_age)  # one form, aligned
        mast.addWidget(self.mast_place)
        mast.addWidget(self.buttons["mast"])
        gas = QWidget()
        tables = QVBoxLayout()
        tables.addWidget(self.detectors, 3)
        self.channels_title = QLabel()
        self.channels_title.setProperty("role", "heading")
        tables.addWidget(self.channels_title)
        tables.addWidget(self.channels, 2)
        self.forms_panel = QWidget()
        forms = QVBoxLayout(self.forms_panel)
        forms.setContentsMargins(0, 0, 0, 0)
        forms.addWidget(self.detector_box)
        forms.addWidget(self.channel_box)
        forms.addStretch(1)
        body = QHBoxLayout(gas)
        body.addLayout(tables, 3)
        body.addWidget(self.forms_panel, 2)
        wind = QWidget()
        wind_body = QHBoxLayout(wind)
        wind_body.addWidget(self.masts, 3)
        self.mast_panel = QWidget()
        wind_side = QVBoxLayout(self.mast_panel)
        wind_side.setContentsMargins(0, 0, 0, 0)
        wind_side.addWidget(self.mast_box)
        wind_side.addStretch(1)
        wind_body.addWidget(self.mast_panel, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(gas, "")
        self.tabs.addTab(wind, "")
        for tab in (self.sparkplug, self.sparkplug_stops):
            if tab is not None:
                self.tabs.addTab(tab, "")
        layout = QVBoxLayout(self)
        layout.addWidget(ReadOnlyNotice(editable=self._edits is not None))
        if self.files is not None:
            layout.addWidget(self.files)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

    def _set_texts(self) -> None:
        self.tabs.setTabText(0, self.tr("Gas detectors"))
        self.tabs.setTabText(1, self.tr("Wind masts"))
        if self.sparkplug is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.sparkplug), self.tr("Sparkplug mapping"))
        if self.sparkplug_stops is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.sparkplug_stops), self.tr("Sparkplug stop-work"))
        place = [self.tr("Site"), self.tr("Area"), self.tr("Detector"), self.tr("Model")]
        self.detectors.setHorizontalHeaderLabels([*place, self.tr("Position (m)"), self.tr("Channels")])
        self.masts.setHorizontalHeaderLabels(
            [
                self.tr("Site"),
                self.tr("Area"),
                self.tr("Wind mast"),
                self.tr("Model"),
                self.tr("Position (m)"),
                self.tr("Maximum age (s)"),
            ]
        )
        self.channels.setHorizontalHeaderLabels(
            [
                self.tr("Channel"),
                self.tr("Unit"),
                self.tr("Limit profile"),
                "LOLO",
                "LO",
                "HI",
                "HIHI",
                self.tr("Maximum age (s)"),
            ]
        )
        self.channels_title.setText(
            self.tr("Channels (* the channel's own limit, stricter than the profile)")
        )
        self.detector_box.setTitle(self.tr("Detector"))
        self.channel_box.setTitle(self.tr("Channel"))
        self.mast_box.setTitle(self.tr("Wind mast"))
        site, area, model = self.tr("Site"), self.tr("Area"), self.tr("Model")
        x, y = self.tr("X on the plan (m)"), self.tr("Y on the plan (m)")
        self.place.labels((site, area, self.tr("Detector ID"), model, x, y))
        age = self.tr("Maximum age (s)")
        self.mast_place.labels((site, area, self.tr("Wind mast ID"), model, x, y, age))
        set_form_labels(
            self.channel_form,
            (
                self.tr("Gas"),
                self.tr("Unit"),
                self.tr("Limit profile"),
                "LOLO",
                "LO",
                "HI",
                "HIHI",
                self.tr("Maximum age (s)"),
            ),
        )
        texts = {
            "detector": self.tr("Save detector"),
            "channel": self.tr("Save channel"),
            "delete_channel": self.tr("Delete channel"),
            "mast": self.tr("Save wind mast"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.max_age.setPlaceholderText(self.tr("the connection's default"))
        self.mast_age.setPlaceholderText(self.tr("the connection's default"))
        self._placeholders()

    def retranslate(self) -> None:
        self._set_texts()
        self._show(self._detectors)

    def _placeholders(self, *_: object) -> None:
        ch = self.ch.currentText().strip().upper()
        floor = PROFILES.get(self.profile.currentText(), PROFILES["cn"]).get(ch)
        self.unit.setPlaceholderText(CANONICAL_UNITS.get(ch, ""))
        for name, edit in self.limits.items():
            value = getattr(floor, name) if floor else None
            edit.setPlaceholderText(
                self.tr("profile: %1").replace("%1", "—" if value is None else f"{value:g}")
            )

    # ------------------------------------------------------------ reads

    def refresh(self) -> None:
        reads = self._reads
        self._run(lambda: (reads.sites(), reads.detectors()), self._took)

    def _took(self, got: tuple[list[SiteInfo], list[DetectorInfo]]) -> None:
        sites, detectors = got
        self.place.set_sites(sites)
        self.mast_place.set_sites(sites)
        self._show(detectors)
        if self._prefill is not None:
            self._show_prefill(*self._prefill)
            self._prefill = None

    def prefill(self, site: str, area: str, device: str, ch: str = "") -> None:
        """Diagnostics' "Add to the register…": the forms filled with what the wire said (a detector
        not in the register, or a channel of one that is); nothing is saved until the user saves."""
        self._prefill = (site, area, device, ch)
        self.refresh()

    def _show_prefill(self, site: str, area: str, device: str, ch: str) -> None:
        self.tabs.setCurrentIndex(0)
        known = self.device(device)
        if known is not None and (known.site_id, known.area_id) == (site, area):
            self.select_device(device)
        else:
            p = self.place
            self.detectors.clearSelection()
            p.place.select(site, area)
            p.device.setText(device)
            for edit in (p.model, p.pos_x, p.pos_y):
                edit.clear()
        if ch:
            self.ch.setCurrentText(ch)
            self.unit.setText(CANONICAL_UNITS.get(ch, ""))
            for edit in (*self.limits.values(), self.max_age):
                edit.clear()

    @staticmethod
    def is_mast(d: DetectorInfo) -> bool:
        return any(c.ch == WIND_CHANNEL for c in d.channels)

    def _show(self, detectors: list[DetectorInfo]) -> None:
        self._detectors = detectors
        gas = [d for d in detectors if not self.is_mast(d)]
        masts = [d for d in detectors if self.is_mast(d)]
        for table, rows in ((self.detectors, gas), (self.masts, masts)):
            table.blockSignals(True)
            table.setRowCount(len(rows))
            for r, d in enumerate(rows):
                where = "" if d.x is None or d.y is None else f"{d.x:g}, {d.y:g}"
                last = (
                    " ".join(c.ch for c in d.channels)
                    if table is self.detectors
                    else next((f"{c.max_age_s:g}" for c in d.channels if c.max_age_s), "")
                )
                texts = (d.site_id, d.area_id, d.device_id, d.model, where, last)
                for col, text in enumerate(texts):
                    table.setItem(r, col, cell(text, d.device_id if col == 0 else None))
            table.blockSignals(False)
            fill_done(table)
        self._show_channels()
        self.detectors_shown.emit(len(gas))

    def device(self, device_id: str | None) -> DetectorInfo | None:
        return next((d for d in self._detectors if d.device_id == device_id), None)

    def selected_device(self) -> str | None:
        rows = self.detectors.selectionModel().selectedRows()
        return key_of(self.detectors, rows[0].row(), 0) if rows else None

    def select_device(self, device_id: str) -> None:
        for r in range(self.detectors.rowCount()):
            if key_of(self.detectors, r, 0) == device_id:
                self.detectors.selectRow(r)

    def _selected(self) -> None:
        d = self.device(self.selected_device())
        if d is not None:
            self.place.show_device(d)
        self._show_channels()

    def _show_channels(self) -> None:
        d = self.device(self.selected_device())
        channels = d.channels if d is not None else ()
        self.channels.blockSignals(True)
        self.channels.setRowCount(len(channels))
        for r, c in enumerate(channels):
            limits = channel_limits(c)
            texts = [c.ch, c.unit, c.limit_profile]
            texts += [_limit_text(*limits[name]) for name in LIMIT_FIELDS]
            texts.append("" if c.max_age_s is None else f"{c.max_age_s:g}")
            for col, text in enumerate(texts):
                self.channels.setItem(r, col, cell(text, c.ch if col == 0 else None))
        self.channels.blockSignals(False)
        fill_done(self.channels)

    def _channel_selected(self) -> None:
        d, rows = self.device(self.selected_device()), self.channels.selectionModel().selectedRows()
        ch = key_of(self.channels, rows[0].row(), 0) if rows else None
        c = next((c for c in d.channels if c.ch == ch), None) if d is not None else None
        if c is None:
            return
        self.ch.setCurrentText(c.ch)
        self.unit.setText(c.unit)
        self.profile.setCurrentText(c.limit_profile)
        own = dict(c.limits)
        for name, edit in self.limits.items():
            edit.setText(f"{own[name]:g}" if name in own else "")
        self.max_age.setText("" if c.max_age_s is None else f"{c.max_age_s:g}")

    def _mast_selected(self) -> None:
        rows = self.masts.selectionModel().selectedRows()
        d = self.device(key_of(self.masts, rows[0].row(), 0) if rows else None)
        if d is not None:
            self.mast_place.show_device(d)
            age = next((c.max_age_s for c in d.channels if c.ch == WIND_CHANNEL), None)
            self.mast_age.setText("" if age is None else f"{age:g}")

    # ------------------------------------------------------------ changes

    def save_detector(self) -> None:
        p, edits = self.place, self._edits
        assert edits is not None
        (site, area), device, model = p.place.chosen(), p.device.text(), p.model.text()

        def act() -> None:
            x, y = _number(p.pos_x, "X"), _number(p.pos_y, "Y")
            edits.save_detector(self._acting, site, area, device, model=model, x=x, y=y)

        self._act("detector", act, select=device.strip())

    def save_channel(self) -> None:
        edits, device = self._edits, self.selected_device() or self.place.device.text().strip()
        assert edits is not None
        ch, unit, profile = self.ch.currentText(), self.unit.text(), self.profile.currentText()
        fields = {name: edit for name, edit in self.limits.items()}
        age_field, age_label = self.max_age, self.tr("Maximum age (s)")

        def act() -> None:
            limits = {name: _number(edit, name.upper()) for name, edit in fields.items()}
            age = _number(age_field, age_label)
            edits.save_channel(
                self._acting, device, ch, unit=unit, profile=profile, max_age_s=age, limits=limits
            )

        self._act("channel", act, select=device)

    def delete_channel(self) -> None:
        edits, device, ch = self._edits, self.selected_device() or "", self.ch.currentText().strip().upper()
        assert edits is not None
        self._act("delete_channel", lambda: edits.delete_channel(self._acting, device, ch), select=device)

    def save_mast(self) -> None:
        p, edits = self.mast_place, self._edits
        assert edits is not None
        (site, area), mast, model = p.place.chosen(), p.device.text(), p.model.text()
        age_field, age_label = self.mast_age, self.tr("Maximum age (s)")

        def act() -> None:
            x, y, age = _number(p.pos_x, "X"), _number(p.pos_y, "Y"), _number(age_field, age_label)
            edits.save_wind_mast(self._acting, site, area, mast, model=model, x=x, y=y, max_age_s=age)

        self._act("mast", act)

    def _act(self, action: str, fn: Callable[[], Any], *, select: str | None = None) -> None:
        def done(_: object) -> None:
            self.message.setText(self.tr("Saved"))
            self.action_done.emit(action)
            reads = self._reads

            def shown(got: tuple[list[SiteInfo], list[DetectorInfo]]) -> None:
                self._took(got)
                if select:
                    self.select_device(select)

            self._run(lambda: (reads.sites(), reads.detectors()), shown)

        self._run(fn, done)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(detector_problem_text(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)
