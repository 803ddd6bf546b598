"""Parts the register screens share: a site-and-area choice whose areas follow the site, a row of
buttons each tied to its slot, the panel beside a table that only editors see, and the selected row.

The detectors and wind masts (views/detectors_view.py), the Sparkplug mapping and stop targets
(views/sparkplug_map_view.py, views/sparkplug_stops_view.py) and the workers' register use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QComboBox, QPushButton, QTableWidget, QVBoxLayout, QWidget

from models.queries import SiteInfo


class PlacePicker:
    """A site and an area box: the areas listed are the chosen site's, each shown as "name (ID)" with
    its ID as the item's data; a choice survives a new list when its ID is still in it."""

    def __init__(self) -> None:
        self.site, self.area = QComboBox(), QComboBox()
        self._sites: list[SiteInfo] = []
        self.site.currentIndexChanged.connect(self._fill_areas)

    def set_sites(self, sites: list[SiteInfo]) -> None:
        self._sites = sites
        current = self.site.currentData()
        self.site.blockSignals(True)
        self.site.clear()
        for s in sites:
            self.site.addItem(f"{s.name} ({s.site_id})", s.site_id)
        self.site.setCurrentIndex(max(self.site.findData(current), 0))
        self.site.blockSignals(False)
        self._fill_areas()

    def _fill_areas(self, *_: object) -> None:
        site = next((s for s in self._sites if s.site_id == self.site.currentData()), None)
        current = self.area.currentData()
        self.area.clear()
        for a in site.areas if site else ():
            self.area.addItem(f"{a.name} ({a.area_id})", a.area_id)
        self.area.setCurrentIndex(max(self.area.findData(current), 0))

    def select(self, site: str, area: str) -> None:
        """Choose by ID (the first of each list when the ID is not there)."""
        self.site.setCurrentIndex(max(self.site.findData(site), 0))
        self.area.setCurrentIndex(max(self.area.findData(area), 0))

    def chosen(self) -> tuple[str, str]:
        """The chosen site's and area's IDs ("" where a list is empty)."""
        return self.site.currentData() or "", self.area.currentData() or ""


def make_buttons(
    slots: Iterable[tuple[str, Callable[[], object]]], *, visible: bool = True
) -> dict[str, QPushButton]:
    """One button a key, clicking calls its slot; their texts are set where the screen retranslates."""
    buttons: dict[str, QPushButton] = {}
    for key, slot in slots:
        button = QPushButton()
        button.clicked.connect(slot)
        if not visible:  # hidden before it has a parent; showing it now would open a window of its own
            button.setVisible(False)
        buttons[key] = button
    return buttons


def editor_panel(form: QWidget, *, editable: bool) -> QWidget:
    """The form beside a table, at the top; hidden from those who only read (the table takes the width)."""
    panel = QWidget()
    column = QVBoxLayout(panel)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(form)
    column.addStretch(1)
    panel.setVisible(editable)
    return panel


def selected_row(table: QTableWidget) -> int | None:
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None
