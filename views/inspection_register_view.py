"""The inspection register's screen (issue 23 part 1): equipment with its tag and checklist, routes with
their points in walking order, each area's defect owner, and the month's spot checks drawn from a seed.

Administrators and safety managers edit (``InspectionRegister``, which checks the login's session and
role on every change); every other role reads: the fields are read-only, the buttons gone, and a line
says who changes the register. The register files (template, import, export) sit above the tabs.
Reads go through ``InspectionReads``; all of it off the GUI thread. Refusals are said in the user's
language (``views/inspection_words.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from cockpit.inspection.register import EquipmentInput, InspectionRegister, RouteInput
from cockpit.inspection.register_reads import InspectionReads, InspectionRegisterData
from cockpit.register_io.inspection_io import split_checklist, split_points
from cockpit.register_io.service import RegisterIO
from cockpit.sessions import LoginSession
from models.plant_clock import PlantClock
from models.queries import SiteInfo
from views.inspection_words import refusal
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, key_of, make_table
from views.read_only import ReadOnlyNotice
from views.register_files import INSPECTION_REGISTERS, RegisterFilesBar
from views.view_model import Retranslated
from widgets.form_labels import set_form_labels


class _Pane(QWidget):
    """A tab: a table on the left, a form (with its buttons) on the right."""

    def __init__(self, columns: int, fields: list[QWidget]) -> None:
        super().__init__()
        self.table = make_table([""] * columns)
        self.box = QGroupBox()
        self.form = QFormLayout(self.box)
        for widget in fields:
            self.form.addRow(QLabel(), widget)
        self.buttons = QHBoxLayout()
        self.form.addRow(self.buttons)
        body = QHBoxLayout(self)
        body.addWidget(self.table, 3)
        body.addWidget(self.box, 2)


class InspectionRegisterView(Retranslated):
    loaded = Signal(int, int)  # equipment, routes shown
    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(
        self,
        register: InspectionRegister | None,  # None: the acting user's role reads only
        reads: InspectionReads,
        *,
        acting: LoginSession,
        sites: list[SiteInfo] | None = None,
        files: RegisterIO | None = None,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._register, self._reads, self._acting = register, reads, acting
        self._clock = clock or (lambda: datetime.now(UTC))
        self._plant = PlantClock.from_sites(sites or [])
        self.editable = register is not None
        self._offgui = OffGui(self, name="inspection-register")
        self._data = InspectionRegisterData((), (), ())
        self._drawn: list[tuple[str, int]] = []
        self.buttons: dict[str, QPushButton] = {}

        self._build_panes()
        self.tabs = QTabWidget()
        for pane in (self.equipment, self.routes, self.owners, self.spot):
            self.tabs.addTab(pane, "")
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        self.notice = ReadOnlyNotice(editable=self.editable)
        layout.addWidget(self.notice)
        self.files: RegisterFilesBar | None = None
        if files is not None:  # import and export: the same roles as the edits, checked by the service
            self.files = RegisterFilesBar(
                files, acting=acting, registers=INSPECTION_REGISTERS, can_import=self.editable
            )
            self.files.imported.connect(lambda _report: self.refresh())
            layout.addWidget(self.files)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        if not self.editable:
            self._read_only()
        self._set_texts()
        self.refresh()
        self.load_spot_checks()

    def _build_panes(self) -> None:
        # equipment
        self.eq_code, self.eq_site, self.eq_area, self.eq_name, self.eq_tag, self.eq_owner = (
            QLineEdit() for _ in range(6)
        )
        self.eq_x, self.eq_y = QLineEdit(), QLineEdit()
        self.eq_checklist = QPlainTextEdit()
        self.equipment = _Pane(
            7,
            [
                self.eq_code,
                self.eq_name,
                self.eq_site,
                self.eq_area,
                self.eq_tag,
                self.eq_owner,
                self.eq_x,
                self.eq_y,
                self.eq_checklist,
            ],
        )
        self.equipment.table.itemSelectionChanged.connect(self._equipment_selected)
        self._button(self.equipment, "equipment", self.save_equipment)
        self._button(self.equipment, "new_equipment", self._clear_equipment)

        # routes
        self.rt_id, self.rt_site, self.rt_area, self.rt_name, self.rt_points = (QLineEdit() for _ in range(5))
        self.rt_per_day, self.rt_minutes = QSpinBox(), QSpinBox()
        self.rt_per_day.setRange(1, 24)
        self.rt_minutes.setRange(5, 720)
        self.rt_minutes.setValue(60)
        self.rt_start = QTimeEdit(QTime(8, 0))
        self.rt_start.setDisplayFormat("HH:mm")
        self.routes = _Pane(
            6,
            [
                self.rt_id,
                self.rt_name,
                self.rt_site,
                self.rt_area,
                self.rt_per_day,
                self.rt_start,
                self.rt_minutes,
                self.rt_points,
            ],
        )
        self.routes.table.itemSelectionChanged.connect(self._route_selected)
        self._button(self.routes, "route", self.save_route)

        # area owners
        self.ow_site, self.ow_area, self.ow_owner = QLineEdit(), QLineEdit(), QLineEdit()
        self.owners = _Pane(3, [self.ow_site, self.ow_area, self.ow_owner])
        self.owners.table.itemSelectionChanged.connect(self._owner_selected)
        self._button(self.owners, "owner", self.save_owner)

        # the month's spot checks
        self.sp_month = QLineEdit(self._plant.local(self._clock()).strftime("%Y-%m"))
        self.sp_seed, self.sp_count = QSpinBox(), QSpinBox()
        self.sp_seed.setRange(0, 2_000_000_000)
        self.sp_count.setRange(1, 200)
        self.sp_count.setValue(5)
        self.spot = _Pane(3, [self.sp_month, self.sp_seed, self.sp_count])
        self.sp_month.editingFinished.connect(self.load_spot_checks)
        self._button(self.spot, "show", self.load_spot_checks)
        self._button(self.spot, "draw", self.draw_spot_checks)
        self.sp_none = QLabel()  # said when the month has no draw yet: never an unexplained empty table
        self.sp_none.setWordWrap(True)
        self.spot.form.addRow(self.sp_none)

    def _button(self, pane: _Pane, key: str, slot: Callable[[], None]) -> None:
        button = QPushButton()
        button.clicked.connect(slot)
        pane.buttons.addWidget(button)
        self.buttons[key] = button

    def _read_only(self) -> None:
        """The forms show the selected row; nothing in them can be changed, saved or drawn."""
        for edit in self.findChildren(QLineEdit):
            if edit is not self.sp_month:  # another month's draw may still be looked at
                edit.setReadOnly(True)
        self.eq_checklist.setReadOnly(True)
        for box in (self.rt_per_day, self.rt_minutes, self.rt_start, self.sp_seed, self.sp_count):
            box.setReadOnly(True)
        for key, button in self.buttons.items():
            button.setVisible(key == "show")

    def _set_texts(self) -> None:
        titles = (
            self.tr("Equipment"),
            self.tr("Routes"),
            self.tr("Area defect owners"),
            self.tr("Spot checks"),
        )
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)
        self.equipment.table.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Equipment name"),
                self.tr("Area"),
                self.tr("Tag"),
                self.tr("Defect owner"),
                self.tr("Questions"),
                self.tr("Place (m)"),
            ]
        )
        self.routes.table.setHorizontalHeaderLabels(
            [
                self.tr("Route"),
                self.tr("Route name"),
                self.tr("Area"),
                self.tr("Rounds a day"),
                self.tr("First round"),
                self.tr("Points in order"),
            ]
        )
        self.owners.table.setHorizontalHeaderLabels(
            [self.tr("Site"), self.tr("Area"), self.tr("Defect owner")]
        )
        self.spot.table.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Equipment name"), self.tr("Area")]
        )
        self._set_forms()

    def _set_forms(self) -> None:
        """The boxes' titles, the forms' labels and the buttons."""
        self.equipment.box.setTitle(self.tr("Equipment item"))
        self.routes.box.setTitle(self.tr("Route"))
        self.owners.box.setTitle(self.tr("Who owns an area's defects"))
        self.spot.box.setTitle(self.tr("The month's random spot checks"))
        site, area = self.tr("Site code"), self.tr("Area code")
        set_form_labels(
            self.equipment.form,
            (
                self.tr("Equipment code"),
                self.tr("Equipment name"),
                site,
                area,
                self.tr("Tag code (NFC or QR)"),
                self.tr("Defect owner (user name)"),
                self.tr("X on the plan (m)"),
                self.tr("Y on the plan (m)"),
                self.tr("Checklist (a question a line)"),
            ),
        )
        set_form_labels(
            self.routes.form,
            (
                self.tr("Route code"),
                self.tr("Route name"),
                site,
                area,
                self.tr("Rounds a day"),
                self.tr("First round at"),
                self.tr("Minutes a round"),
                self.tr("Points (equipment codes, in order)"),
            ),
        )
        set_form_labels(self.owners.form, (site, area, self.tr("Defect owner (user name)")))
        set_form_labels(
            self.spot.form, (self.tr("Month (YYYY-MM)"), self.tr("Seed"), self.tr("Points to draw"))
        )
        texts = {
            "equipment": self.tr("Save equipment"),
            "new_equipment": self.tr("New item"),
            "route": self.tr("Save route"),
            "owner": self.tr("Save owner"),
            "show": self.tr("Show the month"),
            "draw": self.tr("Draw the month's points"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.rt_points.setPlaceholderText("P-101, P-102, P-103")
        self.sp_none.setText(self.tr("Nothing is drawn for this month yet."))

    def retranslate(self) -> None:
        self._set_texts()
        self._show(self._data)

    # ------------------------------------------------------------ reads

    def refresh(self) -> None:
        self._run(self._reads.register, self._show)

    def _show(self, data: InspectionRegisterData) -> None:
        self._data = data
        names = {e.code: e.name for e in data.equipment}
        rows: list[list[tuple[str, str | None]]] = [
            [
                (e.code, e.code),
                (e.name, None),
                (f"{e.site}/{e.area}", None),
                (e.tag, None),
                (e.owner or self.tr("(the area's)"), None),
                (str(len(e.checklist)), None),
                (f"{e.x:g}, {e.y:g}" if e.x is not None and e.y is not None else "", None),
            ]
            for e in data.equipment
        ]
        _fill(self.equipment.table, rows)
        rows = [
            [
                (r.route_id, r.route_id),
                (r.name, None),
                (f"{r.site}/{r.area}", None),
                (str(r.per_day), None),
                (r.first_start.strftime("%H:%M"), None),
                (" → ".join(names.get(p, p) for p in r.points), None),
            ]
            for r in data.routes
        ]
        _fill(self.routes.table, rows)
        _fill(self.owners.table, [[(s, f"{s}\t{a}"), (a, None), (o, None)] for s, a, o in data.owners])
        self._show_drawn(self._drawn)
        self.loaded.emit(len(data.equipment), len(data.routes))

    def load_spot_checks(self) -> None:
        month = self.sp_month.text().strip()
        self._run(lambda: self._reads.spot_checks(month), self._show_drawn)

    def _show_drawn(self, drawn: list[tuple[str, int]]) -> None:
        self._drawn = drawn
        known = {e.code: e for e in self._data.equipment}
        rows = []
        for code, _seed in drawn:
            item = known.get(code)
            rows.append(
                [
                    (code, code),
                    (item.name if item else "", None),
                    (f"{item.site}/{item.area}" if item else "", None),
                ]
            )
        _fill(self.spot.table, rows)
        self.sp_none.setVisible(not drawn)
        if drawn and not self.editable:
            self.sp_seed.setValue(drawn[0][1])

    def _equipment_selected(self) -> None:
        code = _selected_key(self.equipment.table)
        item = next((e for e in self._data.equipment if e.code == code), None)
        if item is None:
            return
        for edit, text in (
            (self.eq_code, item.code),
            (self.eq_name, item.name),
            (self.eq_site, item.site),
            (self.eq_area, item.area),
            (self.eq_tag, item.tag),
            (self.eq_owner, item.owner),
            (self.eq_x, "" if item.x is None else f"{item.x:g}"),
            (self.eq_y, "" if item.y is None else f"{item.y:g}"),
        ):
            edit.setText(text)
        self.eq_checklist.setPlainText("\n".join(item.checklist))

    def _clear_equipment(self) -> None:
        self.equipment.table.clearSelection()
        for edit in (self.eq_code, self.eq_name, self.eq_tag, self.eq_owner, self.eq_x, self.eq_y):
            edit.clear()
        self.eq_checklist.clear()
        self.eq_code.setFocus()

    def _route_selected(self) -> None:
        route_id = _selected_key(self.routes.table)
        route = next((r for r in self._data.routes if r.route_id == route_id), None)
        if route is None:
            return
        for edit, text in (
            (self.rt_id, route.route_id),
            (self.rt_name, route.name),
            (self.rt_site, route.site),
            (self.rt_area, route.area),
            (self.rt_points, ", ".join(route.points)),
        ):
            edit.setText(text)
        self.rt_per_day.setValue(route.per_day)
        self.rt_start.setTime(QTime(route.first_start.hour, route.first_start.minute))
        self.rt_minutes.setValue(route.round_minutes)

    def _owner_selected(self) -> None:
        key = _selected_key(self.owners.table)
        if key:
            site, area = key.split("\t", 1)
            owner = next((o for s, a, o in self._data.owners if (s, a) == (site, area)), "")
            self.ow_site.setText(site)
            self.ow_area.setText(area)
            self.ow_owner.setText(owner)

    # ------------------------------------------------------------ changes

    def _edits(self) -> InspectionRegister:
        if self._register is None:  # the buttons are hidden: only a caller that bypasses them gets here
            raise RuntimeError("this register screen is read-only")
        return self._register

    def equipment_input(self) -> EquipmentInput | None:
        """The form as the register's input; None (and a message) when X or Y is not a number."""
        try:
            x, y = (
                float(e.text().replace(",", ".")) if e.text().strip() else None
                for e in (self.eq_x, self.eq_y)
            )
        except ValueError:
            self._fail(self.tr("X and Y are numbers of metres on the site plan, or empty."))
            return None
        return EquipmentInput(
            self.eq_code.text(),
            self.eq_site.text().strip(),
            self.eq_area.text().strip(),
            self.eq_name.text(),
            self.eq_tag.text(),
            split_checklist(self.eq_checklist.toPlainText()),
            self.eq_owner.text(),
            x,
            y,
        )

    def save_equipment(self) -> None:
        data = self.equipment_input()
        if data is not None:
            self._act("equipment", lambda: self._edits().save_equipment(self._acting, data))

    def save_route(self) -> None:
        start = self.rt_start.time()
        data = RouteInput(
            self.rt_id.text(),
            self.rt_site.text().strip(),
            self.rt_area.text().strip(),
            self.rt_name.text(),
            split_points(self.rt_points.text()),
            self.rt_per_day.value(),
            time(start.hour(), start.minute()),
            self.rt_minutes.value(),
        )
        self._act("route", lambda: self._edits().save_route(self._acting, data))

    def save_owner(self) -> None:
        site, area, owner = (e.text().strip() for e in (self.ow_site, self.ow_area, self.ow_owner))
        self._act("owner", lambda: self._edits().set_area_owner(self._acting, site, area, owner))

    def draw_spot_checks(self) -> None:
        month, seed, count = self.sp_month.text().strip(), self.sp_seed.value(), self.sp_count.value()

        def drawn(_: object) -> None:
            self.message.setText(self.tr("Drawn"))
            self.action_done.emit("draw")
            self.load_spot_checks()

        self._run(lambda: self._edits().draw_spot_checks(self._acting, month, seed, count), drawn)

    def _act(self, action: str, fn: Callable[[], Any]) -> None:
        def done(_: object) -> None:
            self.message.setText(self.tr("Saved"))
            self.action_done.emit(action)
            self.refresh()

        self._run(fn, done)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(refusal(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)

    def wait_idle(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms)


def _selected_key(table: QTableWidget) -> str | None:
    rows = table.selectionModel().selectedRows()
    return key_of(table, rows[0].row(), 0) if rows else None


def _fill(table: QTableWidget, rows: list[list[tuple[str, str | None]]]) -> None:
    table.blockSignals(True)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, (text, key) in enumerate(row):
            table.setItem(r, c, cell(text, key))
    table.blockSignals(False)
    fill_done(table)  # sized to contents, the last column stretched to the edge again
