"""Sites and areas: the register screen (risk, guidance, contacts). Administrators and safety managers
edit it; every other role reads it (no ``PlantRegister``): the fields are read-only, the buttons gone,
and a line says who changes the register.

Reads go through ``PlantReads``, changes through ``PlantRegister``, which checks the acting user's role
in the database on every change; all of it off the GUI thread. Refusals come back as codes and are said
here in the user's language. The areas' polygons are drawn on the site plan (views/site_plan_view.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.plant_reads import PlantReads
from cockpit.plant_register import ContactInput, PlantRegister, RegisterError, RegisterProblem
from cockpit.register_io.service import RegisterIO
from cockpit.sessions import LoginSession
from models.queries import AreaDetail, SiteInfo
from models.records import RiskLevel
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, key_of, make_table
from views.read_only import ReadOnlyNotice
from views.register_files import PLANT_REGISTERS, RegisterFilesBar
from views.session_words import coded_refusal
from views.view_model import Retranslated
from widgets.form_labels import set_form_labels
from widgets.theme import QT_TRANSLATE_NOOP
from widgets.value_tile import RISK_TEXT

_CTX = "PlantRegisterView"
PROBLEM_TEXTS: dict[str, str] = {
    RegisterProblem.NOT_EDITOR: QT_TRANSLATE_NOOP(
        "PlantRegisterView", "{actor} may not edit the registers: administrators and safety managers do"
    ),
    RegisterProblem.BAD_CODE: QT_TRANSLATE_NOOP(
        "PlantRegisterView", "Code {value!r} not allowed: letters, digits, '.', '_', '-'"
    ),
    RegisterProblem.BAD_NAME: QT_TRANSLATE_NOOP(
        "PlantRegisterView", "The name must not be empty, at most {max} characters"
    ),
    RegisterProblem.BAD_TIMEZONE: QT_TRANSLATE_NOOP("PlantRegisterView", "Unknown time zone {zone!r}"),
    RegisterProblem.GUIDANCE_LONG: QT_TRANSLATE_NOOP(
        "PlantRegisterView", "The guidance is too long: at most {max} characters"
    ),
    RegisterProblem.UNKNOWN_SITE: QT_TRANSLATE_NOOP("PlantRegisterView", "There is no site {site}"),
    RegisterProblem.UNKNOWN_AREA: QT_TRANSLATE_NOOP(
        "PlantRegisterView", "There is no area {area} in site {site}"
    ),
    RegisterProblem.BAD_PHONE: QT_TRANSLATE_NOOP(
        "PlantRegisterView", "{phone!r} of {name} is not a phone number"
    ),
    RegisterProblem.TOO_MANY_CONTACTS: QT_TRANSLATE_NOOP(
        "PlantRegisterView", "At most {max} contacts per area"
    ),
}


def problem_text(exc: Exception) -> str:
    return coded_refusal(exc, RegisterError, PROBLEM_TEXTS, _CTX)


class PlantRegisterView(Retranslated):
    areas_shown = Signal(int)
    area_loaded = Signal(str, str)
    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(
        self,
        register: PlantRegister | None,  # None: the acting user's role reads only
        reads: PlantReads,
        *,
        acting: LoginSession,
        files: RegisterIO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._register, self._reads, self._acting = register, reads, acting
        self.editable = register is not None
        self._offgui = OffGui(self, name="plant-register")
        self._sites: list[SiteInfo] = []

        self.table = make_table([""] * 4)
        self.table.itemSelectionChanged.connect(self._selected)
        self.site_id, self.site_name, self.area_id, self.area_name = (QLineEdit() for _ in range(4))
        self.risk = QComboBox()
        self.hazard = QCheckBox()
        self.guidance = QPlainTextEdit()
        self.contacts = QTableWidget(0, 3)
        self.contacts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, slot in (
            ("site", self.save_site),
            ("area", self.save_area),
            ("add_contact", self.add_contact_row),
            ("contacts", self.save_contacts),
        ):
            self.buttons[key] = QPushButton()
            self.buttons[key].clicked.connect(slot)

        self.box = QGroupBox()
        self.form = QFormLayout(self.box)
        for widget in (self.site_id, self.site_name, self.area_id, self.area_name, self.risk, self.hazard):
            self.form.addRow(QLabel(), widget)
        self.form.addRow(QLabel(), self.guidance)
        self.form.addRow(QLabel(), self.contacts)
        row = QHBoxLayout()
        for key in self.buttons:
            row.addWidget(self.buttons[key])
        self.form.addRow(row)
        self.form.addRow(self.message)
        side = QVBoxLayout()
        side.addWidget(self.box)
        body = QHBoxLayout()
        body.addWidget(self.table, 2)
        body.addLayout(side, 3)
        layout = QVBoxLayout(self)
        self.notice = ReadOnlyNotice(editable=self.editable)
        layout.addWidget(self.notice)
        self.files: RegisterFilesBar | None = None
        if files is not None:  # import and export: the same roles as the edits, checked by the service
            self.files = RegisterFilesBar(
                files, acting=acting, registers=PLANT_REGISTERS, can_import=self.editable
            )
            self.files.imported.connect(lambda _report: self.refresh())
            layout.addWidget(self.files)
        layout.addLayout(body, 1)
        if not self.editable:
            self._read_only()
        self._set_texts()
        self.refresh()

    def _read_only(self) -> None:
        """The form shows the selected area; nothing in it can be changed or saved."""
        for edit in (self.site_id, self.site_name, self.area_id, self.area_name):
            edit.setReadOnly(True)
        self.guidance.setReadOnly(True)
        self.risk.setEnabled(False)
        self.hazard.setEnabled(False)
        self.contacts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for button in self.buttons.values():
            button.setVisible(False)

    def _set_texts(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Site"), self.tr("Area"), self.tr("Area name"), self.tr("Risk")]
        )
        self.contacts.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Duty"), self.tr("Phone")])
        self.box.setTitle(self.tr("Site and area"))
        labels = (
            self.tr("Site code"),
            self.tr("Site name"),
            self.tr("Area code"),
            self.tr("Area name"),
            self.tr("Risk level"),
            self.tr("Fire/explosion hazard area"),
            self.tr("Guidance"),
            self.tr("Emergency contacts"),
        )
        set_form_labels(self.form, labels)
        texts = {
            "site": self.tr("Save site"),
            "area": self.tr("Save area"),
            "add_contact": self.tr("Add contact"),
            "contacts": self.tr("Save contacts"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        current = self.risk.currentData()
        self.risk.clear()
        for level in RiskLevel:
            self.risk.addItem(self._risk_text(level.value), level.value)
        self.risk.setCurrentIndex(max(self.risk.findData(current or RiskLevel.GENERAL.value), 0))

    @staticmethod
    def _risk_text(level: str) -> str:
        return QCoreApplication.translate("AreaTile", RISK_TEXT.get(level, level))

    def retranslate(self) -> None:
        self._set_texts()
        self._show(self._sites)

    # ------------------------------------------------------------ reads

    def refresh(self) -> None:
        self._run(self._reads.sites, self._show)

    def _show(self, sites: list[SiteInfo]) -> None:
        self._sites = sites
        self.table.blockSignals(True)
        rows = [(s, a) for s in sites for a in s.areas]
        self.table.setRowCount(len(rows))
        for r, (site, area) in enumerate(rows):
            self.table.setItem(r, 0, cell(site.name, f"{site.site_id}\t{area.area_id}"))
            self.table.setItem(r, 1, cell(area.area_id))
            self.table.setItem(r, 2, cell(area.name))
            self.table.setItem(r, 3, cell(self._risk_text(area.risk_level.value)))
        self.table.blockSignals(False)
        fill_done(self.table)
        self.areas_shown.emit(len(rows))

    def prefill_area(self, site: str, area: str) -> None:
        """Diagnostics' "Add to the register…": an area heard on the wire, in the form; saved by the user."""
        self.table.clearSelection()
        known = next((s for s in self._sites if s.site_id == site), None)
        self.site_id.setText(site)
        self.site_name.setText(known.name if known is not None else "")
        self.area_id.setText(area)
        self.area_name.clear()
        self.guidance.clear()
        self.hazard.setChecked(False)
        self.contacts.setRowCount(0)
        self.area_name.setFocus()

    def area_keys(self) -> list[tuple[str, str]]:
        return [(s.site_id, a.area_id) for s in self._sites for a in s.areas]

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        key = key_of(self.table, rows[0].row(), 0) if rows else None
        if key:
            site, area = key.split("\t", 1)
            self._run(lambda: self._reads.area_detail(site, area), self._load)

    def _load(self, detail: AreaDetail | None) -> None:
        if detail is None:
            return
        self.site_id.setText(detail.site_id)
        self.site_name.setText(detail.site_name)
        self.area_id.setText(detail.area_id)
        self.area_name.setText(detail.name)
        self.risk.setCurrentIndex(max(self.risk.findData(detail.risk_level.value), 0))
        self.hazard.setChecked(detail.is_hazard_area)
        self.guidance.setPlainText(detail.guidance)
        self.contacts.setRowCount(len(detail.contacts))
        for r, c in enumerate(detail.contacts):
            for col, text in enumerate((c.name, c.role, c.phone)):
                self.contacts.setItem(r, col, cell(text))
        self.area_loaded.emit(detail.site_id, detail.area_id)

    # ------------------------------------------------------------ changes

    def _edits(self) -> PlantRegister:
        if self._register is None:  # the buttons are hidden: only a caller that bypasses them gets here
            raise RuntimeError("this register screen is read-only")
        return self._register

    def save_site(self) -> None:
        site, name = self.site_id.text(), self.site_name.text()
        self._act("site", lambda: self._edits().save_site(self._acting, site, name))

    def save_area(self) -> None:
        site, area, name = self.site_id.text().strip(), self.area_id.text(), self.area_name.text()
        risk, hazard, guidance = (
            RiskLevel(self.risk.currentData()),
            self.hazard.isChecked(),
            self.guidance.toPlainText(),
        )
        self._act(
            "area",
            lambda: self._edits().save_area(
                self._acting, site, area, name, risk_level=risk, guidance=guidance, is_hazard_area=hazard
            ),
        )

    def add_contact_row(self) -> None:
        self.contacts.setRowCount(self.contacts.rowCount() + 1)

    def contact_rows(self) -> list[ContactInput]:
        def text(r: int, c: int) -> str:
            item = self.contacts.item(r, c)
            return item.text().strip() if item is not None else ""

        rows = [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.contacts.rowCount())]
        return [ContactInput(name, phone, role) for name, role, phone in rows if name or phone]

    def save_contacts(self) -> None:
        site, area, contacts = self.site_id.text().strip(), self.area_id.text().strip(), self.contact_rows()
        self._act("contacts", lambda: self._edits().set_contacts(self._acting, site, area, contacts))

    def _act(self, action: str, fn: Callable[[], Any]) -> None:
        def done(_: object) -> None:
            self.message.setText(self.tr("Saved"))
            self.action_done.emit(action)
            self.refresh()

        self._run(fn, done)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(problem_text(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)
