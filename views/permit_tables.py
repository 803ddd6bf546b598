"""What the permit screens (approval, active permits, contractors) share: countdowns, local times, tables.

Cells carry a word for what is abnormal and a priority colour (ISA-101); a cell may hold a key
(``cell(text, key)``) that ``key_of`` reads back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from models.plant_clock import Style, format_time
from widgets import theme

__all__ = [
    "cell",
    "fill_done",
    "fmt_countdown",
    "fmt_local",
    "heading_floor",
    "key_of",
    "make_table",
    "mark",
    "text_of",
    "wrap_headings",
]

# Where a heading may break: after a run of non-blank text and its spaces, or between two CJK characters.
_BREAKS = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*"
)


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


def wrap_headings(table: QTableWidget, titles: Sequence[str]) -> None:
    """Each heading on as many lines as its column's width needs, so a column narrowed to fit the window
    never shows a cut heading ("Recorded …"); the header grows a line to hold them. Called after the
    columns were sized; a heading that fits stays on one line. A word is broken, with a hyphen, only
    where its column is narrower than it (``heading_floor`` is the width that spares every word)."""
    header = table.horizontalHeader()
    metrics = _heading_metrics(table)
    for column, title in enumerate(titles):
        item = table.horizontalHeaderItem(column)
        if item is None:
            continue
        wrapped = _wrapped(title, header.sectionSize(column) - _margins(table, column, metrics), metrics)
        if wrapped != item.text():
            item.setText(wrapped)


def _wrapped(title: str, room: int, metrics: QFontMetrics) -> str:
    """``title`` in lines of at most ``room`` pixels, broken between words (or CJK characters)."""
    lines: list[str] = []
    for piece in _BREAKS.findall(title):
        if lines and _width(metrics, (lines[-1] + piece).rstrip()) <= room:
            lines[-1] += piece
            continue
        rest = piece
        while len(rest.rstrip()) > 1 and _width(metrics, rest.rstrip()) > room:
            cut = _fitting(rest, room, metrics)  # a word wider than its column: broken with a hyphen
            lines.append(rest[:cut] + "-")
            rest = rest[cut:]
        lines.append(rest)
    return "\n".join(line.rstrip() for line in lines)


def _fitting(word: str, room: int, metrics: QFontMetrics) -> int:
    """How many of ``word``'s characters, with a hyphen after them, fit in ``room`` (at least one)."""
    cut = 1
    while cut + 1 < len(word.rstrip()) and _width(metrics, word[: cut + 1] + "-") <= room:
        cut += 1
    return cut


def heading_floor(table: QTableWidget, column: int, title: str) -> int:
    """The narrowest width that shows ``title`` whole when wrapped: its longest word (one CJK character
    is a word) with the section's margins."""
    metrics = _heading_metrics(table)
    widest = max((_width(metrics, p.rstrip()) for p in _BREAKS.findall(title)), default=0)
    return widest + _margins(table, column, metrics)


def _heading_metrics(table: QTableWidget) -> QFontMetrics:
    bold = table.horizontalHeader().font()
    bold.setBold(True)  # the header measures its sections in bold (a selected row's column is shown so)
    return QFontMetrics(bold)


def _width(metrics: QFontMetrics, text: str) -> int:
    """The width the header gives ``text`` (its widest line), measured as the header measures it."""
    return metrics.size(0, text).width()


def _margins(table: QTableWidget, column: int, metrics: QFontMetrics) -> int:
    """What the header asks for a section beyond its heading's widest line (padding, border)."""
    item = table.horizontalHeaderItem(column)
    shown = item.text() if item is not None else ""
    size = table.horizontalHeader().sectionSizeFromContents(column).width()
    return size - _width(metrics, shown)
