"""What the permit screens (approval, active permits, contractors) share: countdowns, local times, tables.

Cells carry a word for what is abnormal and a priority colour (ISA-101); a cell may hold a key
(``cell(text, key)``) that ``key_of`` reads back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from models.plant_clock import Style, format_time
from widgets import theme

__all__ = ["cell", "fill_done", "fmt_countdown", "fmt_local", "key_of", "make_table", "mark", "text_of"]


def fmt_countdown(span: timedelta) -> str:
    """``01:05:09`` left, or ``-00:03:10`` overdue; days spelled out past 24 h."""
    total = int(span.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if not days:
        return f"{sign}{clock}"
    return sign + QCoreApplication.translate("Countdown", "{days}d {clock}").format(days=days, clock=clock)


def fmt_local(moment: datetime | None, zone: str, style: Style = "short") -> str:
    """A UTC instant as the site's time (the core stays UTC; people read the plant's time)."""
    return format_time(moment, zone, style, empty="—")


def mark(item: QTableWidgetItem, priority: int | None) -> None:
    """Colour a cell by alarm priority (its text already says what is wrong)."""
    if priority is None:
        item.setBackground(QBrush())
        item.setForeground(QBrush(theme.color("text")))
        return
    item.setBackground(QBrush(theme.priority_color(priority)))
    item.setForeground(QBrush(theme.priority_text_color(priority)))


def make_table(headers: list[str], *, shown_order: Sequence[int] = ()) -> QTableWidget:
    """A read-only table of rows; ``shown_order``: the logical columns left to right, when not 0, 1, 2 …"""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(False)
    # Interactive, sized once per load: ResizeToContents re-measures every row on every cell change,
    # which turns a one-second countdown tick over a hundred rows into seconds of work.
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    show_in_order(table, shown_order)
    return table


def show_in_order(table: QTableWidget, order: Sequence[int]) -> None:
    """Show the logical columns ``order`` left to right; code keeps reading them by logical index."""
    header = table.horizontalHeader()
    for shown, logical in enumerate(order):
        header.moveSection(header.visualIndex(logical), shown)


def fill_done(table: QTableWidget) -> None:
    """After a load: size the columns to what they hold now, the last one still stretched to the edge.

    Sizing the last section to its contents ends its stretch until the table is resized (a register's
    last column stayed as narrow as its text, the rest of the row empty): set it again."""
    header = table.horizontalHeader()
    stretched = header.stretchLastSection()
    table.resizeColumnsToContents()
    if stretched:
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)


def key_of(table: QTableWidget, row: int, col: int) -> str | None:
    """The key stored in a cell (``cell(text, key)``), or None."""
    item = table.item(row, col)
    value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return str(value) if value else None


def text_of(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def cell(text: str, key: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if key is not None:
        item.setData(Qt.ItemDataRole.UserRole, key)
    return item
