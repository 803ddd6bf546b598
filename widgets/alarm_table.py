"""The alarm list: ``AlarmTableModel`` over plain rows and the ``AlarmTable`` view.

Rows are sorted by priority, then newest first. Colour is used only for what is
abnormal: an unacknowledged alarm gets a tint of its priority colour, bold text
and a blinking state cell; acknowledged alarms are plain; shelved and
out-of-service alarms are muted and italic. Every row also carries the priority
shape and number and a state word (UNACK/ACKED/RTN/SHELVED/OOS), so nothing
depends on colour alone.

Keys: Space or F5 acknowledges the selected rows, F7 locates the current row.
The context menu offers the same plus "Shelve…" (the view asks for the reason
and the end time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QContextMenuEvent, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from models.plant_clock import PlantClock
from widgets import theme
from widgets.alarm_words import condition_text
from widgets.badges import draw_priority_shape, priority_label
from widgets.theme import QT_TRANSLATE_NOOP

#: Custom data role giving a row's priority (int) on every column.
PriorityRole = Qt.ItemDataRole.UserRole + 1
#: Custom data role giving a row's alarm id.
AlarmIdRole = Qt.ItemDataRole.UserRole + 2

STATES = ("unack", "acked", "rtn_unack", "rtn", "shelved", "oos")
_STATE_TEXT = {
    "unack": QT_TRANSLATE_NOOP("AlarmTable", "UNACK"),
    "acked": QT_TRANSLATE_NOOP("AlarmTable", "ACKED"),
    "rtn_unack": QT_TRANSLATE_NOOP("AlarmTable", "RTN UNACK"),
    "rtn": QT_TRANSLATE_NOOP("AlarmTable", "RTN"),
    "shelved": QT_TRANSLATE_NOOP("AlarmTable", "SHELVED"),
    "oos": QT_TRANSLATE_NOOP("AlarmTable", "OOS"),
    "normal": QT_TRANSLATE_NOOP("AlarmTable", "NORMAL"),  # in the journal: an alarm that has cleared
}
_STATE_ALIASES = {"out_of_service": "oos"}  # the engine's AlarmState value for the table's key


def alarm_state_text(state: str) -> str:
    """An alarm state (the table's key or the engine's ``AlarmState`` value) as the operator reads it,
    in the current language; an unknown one upper-cased as given."""
    key = _STATE_ALIASES.get(state, state)
    text = _STATE_TEXT.get(key)
    return theme.translated("AlarmTable", text) if text is not None else state.upper()


_UNACKED = frozenset({"unack", "rtn_unack"})
_MUTED = frozenset({"shelved", "oos"})
_RIGHT_ALIGNED = frozenset({"value", "count"})

COLUMNS = (
    ("priority", QT_TRANSLATE_NOOP("AlarmTable", "P")),
    ("time", QT_TRANSLATE_NOOP("AlarmTable", "Time")),
    ("where", QT_TRANSLATE_NOOP("AlarmTable", "Site / area")),
    ("source", QT_TRANSLATE_NOOP("AlarmTable", "Source")),
    ("condition", QT_TRANSLATE_NOOP("AlarmTable", "Condition")),
    ("value", QT_TRANSLATE_NOOP("AlarmTable", "Value")),
    ("state", QT_TRANSLATE_NOOP("AlarmTable", "State")),
    ("count", QT_TRANSLATE_NOOP("AlarmTable", "Count")),
    ("acked_by", QT_TRANSLATE_NOOP("AlarmTable", "Acked by")),
)
COLUMN_INDEX = {key: i for i, (key, _) in enumerate(COLUMNS)}
FIT_ROWS = 500  # rows whose texts size the columns (an operator never scrolls further in a flood)


@dataclass(frozen=True, slots=True)
class AlarmRow:
    """One line of the alarm list. ``raised_at`` is UTC-aware; it is shown in the plant's time
    (the site's zone, :class:`~models.plant_clock.PlantClock`), never the console's."""

    alarm_id: str
    priority: int
    raised_at: datetime
    site: str
    area: str
    source: str = ""
    condition: str = ""
    value: float | None = None
    unit: str = ""
    state: str = "unack"
    count: int = 1
    acked_by: str = ""
    message: str = ""

    @classmethod
    def coerce(cls, row: AlarmRow | Mapping[str, Any] | Any) -> AlarmRow:
        """Accept an AlarmRow, a dict, or any object with the same attribute names."""
        if isinstance(row, AlarmRow):
            return row
        names = [f.name for f in fields(cls)]
        if isinstance(row, Mapping):
            data = {k: row[k] for k in names if k in row}
        else:
            data = {k: getattr(row, k) for k in names if hasattr(row, k)}
        if "state" in data:
            data["state"] = str(data["state"]).lower()
        return cls(**data)


def _sort_key(row: AlarmRow) -> tuple[int, float]:
    ts = row.raised_at if row.raised_at.tzinfo else row.raised_at.replace(tzinfo=UTC)
    return (row.priority, -ts.timestamp())


# What each column shows of a row, by column key (a key without an entry shows nothing).
_CELL_TEXT: Mapping[str, Callable[[AlarmRow], str]] = {
    "priority": lambda row: str(row.priority),
    "condition": lambda row: condition_text(row.condition),
    "value": lambda row: "" if row.value is None else f"{row.value:g} {row.unit}".strip(),
    "state": lambda row: alarm_state_text(row.state),
    "count": lambda row: f"×{row.count}" if row.count > 1 else "",
    "acked_by": lambda row: row.acked_by,
}
# The roles that say how a cell looks; every other role asks what it says.
_LOOK_ROLES = frozenset(
    {
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


class AlarmTableModel(QAbstractTableModel):
    """Rows of alarms, kept sorted (priority, newest first). ``blink_on`` drives the unack blink."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: list[AlarmRow] = []
        self.blink_on = True
        self.clock = PlantClock()
        # The alarm's message in the screen's language (``views.alarm_message_words``), read when a
        # tooltip is asked for: the owner that knows the words sets it.
        self.message_words: Callable[[str], str] = str
        # The place column: ``(site, area)`` as people call them (names, ``views.place_names``).
        self.place_words: Callable[[str, str], str] = lambda site, area: f"{site} / {area}"
        # The source column: what raised the alarm in words, not its key (``views.source_words``).
        self.source_words: Callable[[str], str] = str

    def set_clock(self, clock: PlantClock) -> None:
        """The plant's zones: the time column reads the site's time, whatever the console's zone."""
        self.clock = clock
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # ---- data in -------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[AlarmRow | Mapping[str, Any]]) -> bool:
        """Replace the rows (a model reset: cheap for the few hundred rows an operator can see).

        False, and no reset, when they are the rows already shown (a new snapshot often is).
        """
        new = sorted((AlarmRow.coerce(r) for r in rows), key=_sort_key)
        if new == self._rows:
            return False
        self.beginResetModel()
        self._rows = new
        self.endResetModel()
        return True

    def rows(self) -> list[AlarmRow]:
        return list(self._rows)

    def row_of(self, alarm_id: str) -> int:
        for i, row in enumerate(self._rows):
            if row.alarm_id == alarm_id:
                return i
        return -1

    def alarm_at(self, row: int) -> AlarmRow:
        return self._rows[row]

    def retranslate(self) -> None:
        """Texts are looked up when drawn: after a language switch, every cell and title is drawn again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            bottom_right = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), bottom_right, [Qt.ItemDataRole.DisplayRole])

    def toggle_blink(self) -> None:
        """Flip the blink phase of unacknowledged rows (only their state cells repaint)."""
        self.blink_on = not self.blink_on
        col = COLUMN_INDEX["state"]
        unacked = [i for i, row in enumerate(self._rows) if row.state in _UNACKED]
        if unacked:  # one signal for the whole span: one per row made a long list crawl at every blink
            top, bottom = self.index(unacked[0], col), self.index(unacked[-1], col)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.BackgroundRole])

    def has_unacked(self) -> bool:
        return any(r.state in _UNACKED for r in self._rows)

    # ---- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            title = theme.translated("AlarmTable", COLUMNS[section][1])
            if COLUMNS[section][0] == "time":  # the zone beside the times, so none is misread
                return f"{title} ({self.clock.zone_mark()})"
            return title
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role in _LOOK_ROLES:
            return self._look(row, key, role)
        return self._content(row, key, role)

    def _content(self, row: AlarmRow, key: str, role: int) -> Any:
        """What the cell says in ``role``: its text, the row's priority or id, the tooltip."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == PriorityRole:
            return row.priority
        if role == AlarmIdRole:
            return row.alarm_id
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = priority_label(row.priority)
            return f"{tip}\n{self.message_words(row.message)}" if row.message else tip
        return None

    def _look(self, row: AlarmRow, key: str, role: int) -> Any:
        """How the cell looks in ``role`` (one of ``_LOOK_ROLES``), as the delegate draws it too."""
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, key)
        if key in _RIGHT_ALIGNED:  # TextAlignmentRole
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: AlarmRow, key: str) -> str:
        if key == "time":
            return self.clock.format(row.raised_at, row.site, "auto")
        if key == "where":
            return self.place_words(row.site, row.area)
        if key == "source":
            return self.source_words(row.source)
        text = _CELL_TEXT.get(key)
        return text(row) if text is not None else ""

    @staticmethod
    def _font(row: AlarmRow) -> QFont:
        font = QFont()
        font.setBold(row.state in _UNACKED)
        font.setItalic(row.state in _MUTED)
        return font

    def _foreground(self, row: AlarmRow, key: str) -> QBrush:
        if row.state in _MUTED:
            return QBrush(theme.color("text_muted"))
        if key == "state" and row.state in _UNACKED and self.blink_on:
            return QBrush(theme.priority_text_color(row.priority))
        return QBrush(theme.color("text"))

    def _background(self, row: AlarmRow, key: str) -> QBrush | None:
        if row.state not in _UNACKED:
            return None  # normal look: no colour for what needs no action
        alarm = theme.priority_color(row.priority)
        if key == "state":
            return QBrush(alarm) if self.blink_on else QBrush(theme.blend(theme.color("panel"), alarm, 0.25))
        return QBrush(theme.blend(theme.color("panel"), alarm, 0.18))


class _RowDelegate(QStyledItemDelegate):
    """Draws and sizes a cell from the row itself, as the default delegate would from the model.

    The default delegate asks the model for seven roles per cell each time it paints or measures
    one, every one a call from Qt into Python; under load each such call waits for the interpreter
    (the core thread holds it), so the list's repaints (its blink, twice a second) stalled the
    screen. Here a cell costs one call. ``data()`` still answers every role, for everyone else.
    """

    def _option(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QStyleOptionViewItem | None:
        model = index.model()
        column = index.column()
        if not isinstance(model, AlarmTableModel) or not (
            0 <= index.row() < model.rowCount() and 0 <= column < len(COLUMNS)
        ):
            return None
        row = model.alarm_at(index.row())
        key = COLUMNS[column][0]
        opt = QStyleOptionViewItem(option)
        # PySide6 converts a QPersistentModelIndex as Qt does; its stub lists only QModelIndex.
        opt.index = QModelIndex(index)  # type: ignore[arg-type]
        opt.font = model._font(row).resolve(option.font)
        opt.fontMetrics = QFontMetrics(opt.font)
        opt.text = model._display(row, key)
        opt.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        opt.palette.setBrush(QPalette.ColorRole.Text, model._foreground(row, key))
        background = model._background(row, key)
        if background is not None:
            opt.backgroundBrush = background
        if key in _RIGHT_ALIGNED:
            opt.displayAlignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return opt

    @staticmethod
    def _style(opt: QStyleOptionViewItem) -> QStyle:
        return opt.widget.style() if opt.widget is not None else QApplication.style()

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = self._option(option, index)
        if opt is None:
            super().paint(painter, option, index)
            return
        self._style(opt).drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = self._option(option, index)
        if opt is None:
            return super().sizeHint(option, index)
        return self._style(opt).sizeFromContents(
            QStyle.ContentsType.CT_ItemViewItem, opt, QSize(), opt.widget
        )


class _PriorityDelegate(_RowDelegate):
    """Draws the priority column as the shared shape + number mark."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = self._option(option, index)
        if opt is None:
            return
        opt.text = ""
        self._style(opt).drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        model = index.model()
        assert isinstance(model, AlarmTableModel)
        priority = model.alarm_at(index.row()).priority
        if priority:
            rect = QRectF(option.rect).adjusted(2, 2, -2, -2)
            draw_priority_shape(painter, rect, int(priority))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        h = option.fontMetrics.height()
        return QSize(round(h * 1.8), round(h * 1.5))


class AlarmTable(QTableView):
    """The alarm list view. Signals: ``acknowledge_requested(list[str])``,
    ``shelve_requested(str)``, ``locate_requested(str)``."""

    acknowledge_requested = Signal(list)
    shelve_requested = Signal(str)
    locate_requested = Signal(str)
    near_miss_requested = Signal(str)  # "Record near miss…": only offered when ``near_miss_offered``

    def __init__(self, parent: QWidget | None = None, *, blink_ms: int = 500):
        super().__init__(parent)
        self.near_miss_offered = False
        self._model = AlarmTableModel(self)
        self.setModel(self._model)
        self.setItemDelegate(_RowDelegate(self))
        self.setItemDelegateForColumn(COLUMN_INDEX["priority"], _PriorityDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(False)  # the order is the alarm philosophy's, not a click's
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        # Fixed row height from the font: sizing every row to its contents re-measured the whole table
        # on each update.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 1.7))
        # Columns fitted to their texts on a new set of rows (``_fit_columns``), not by Qt's
        # ResizeToContents: that measured every row of every column through the delegate (a call
        # into Python per cell) on each change, the blink's twice a second included, and was the
        # largest part of the GUI thread's time under an alarm flood (bench/ui_frame).
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COLUMN_INDEX["where"], QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_INDEX["condition"], QHeaderView.ResizeMode.Stretch)
        self._fit_columns()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self._blink = QTimer(self)
        self._blink.setInterval(blink_ms)
        self._blink.timeout.connect(self._model.toggle_blink)

    def alarm_model(self) -> AlarmTableModel:
        return self._model

    def set_rows(self, rows: Iterable[AlarmRow | Mapping[str, Any]]) -> None:
        """Show these rows, keeping the operator's selection (by alarm id) across the update."""
        selected = set(self.selected_ids())
        current = self._current_id()
        if not self._model.set_rows(rows):
            return  # the same rows: selection, current row and blinking stay as they are
        self._fit_columns()
        sel = self.selectionModel()
        for i, row in enumerate(self._model.rows()):
            if row.alarm_id in selected:
                sel.select(
                    self._model.index(i, 0),
                    sel.SelectionFlag.Select | sel.SelectionFlag.Rows,
                )
            if row.alarm_id == current:
                sel.setCurrentIndex(self._model.index(i, 0), sel.SelectionFlag.NoUpdate)
        if self._model.has_unacked():
            if not self._blink.isActive():
                self._blink.start()
        else:
            self._blink.stop()
            self._model.blink_on = True

    def _fit_columns(self) -> None:
        """Each fitted column as wide as its header or its widest text (in the bold of an unacked row)."""
        header = self.horizontalHeader()
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        pad = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1) + 12
        model = self._model
        rows = model.rows()[:FIT_ROWS]
        for column, (key, _) in enumerate(COLUMNS):
            if header.sectionResizeMode(column) is not QHeaderView.ResizeMode.Fixed:
                continue
            if key == "priority":
                widest = metrics.height() * 2
            else:
                texts = {model._display(row, key) for row in rows}
                widest = max((metrics.horizontalAdvance(t) for t in texts), default=0) + pad
            title = str(
                model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or ""
            )
            header.resizeSection(column, max(widest, header.fontMetrics().horizontalAdvance(title) + pad))

    def texts_changed(self) -> None:
        """The cells' words changed (a new language, names read): drawn again and the columns fitted."""
        self._model.retranslate()
        self._fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.texts_changed()
        elif event.type() == QEvent.Type.FontChange:
            self._fit_columns()

    def is_blinking(self) -> bool:
        return self._blink.isActive()

    def selected_ids(self) -> list[str]:
        rows = sorted({idx.row() for idx in self.selectionModel().selectedRows()})
        return [self._model.alarm_at(r).alarm_id for r in rows]

    def _current_id(self) -> str | None:
        idx = self.currentIndex()
        return self._model.alarm_at(idx.row()).alarm_id if idx.isValid() else None

    # ---- actions -------------------------------------------------------------------------------
    def acknowledge_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.acknowledge_requested.emit(ids)

    def locate_current(self) -> None:
        current = self._current_id() or next(iter(self.selected_ids()), None)
        if current:
            self.locate_requested.emit(current)

    def shelve_current(self) -> None:
        current = self._current_id() or next(iter(self.selected_ids()), None)
        if current:
            self.shelve_requested.emit(current)

    def near_miss_current(self) -> None:
        current = self._current_id() or next(iter(self.selected_ids()), None)
        if current:
            self.near_miss_requested.emit(current)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_F5):
            self.acknowledge_selected()
            event.accept()
        elif key == Qt.Key.Key_F7:
            self.locate_current()
            event.accept()
        else:
            super().keyPressEvent(event)

    def build_context_menu(self) -> QMenu:
        """The actions on the selection; shown with popup() (never exec(): no nested event loop)."""
        menu = QMenu(self)
        ack = menu.addAction(self.tr("Acknowledge  (Space / F5)"))
        ack.triggered.connect(self.acknowledge_selected)
        locate = menu.addAction(self.tr("Locate  (F7)"))
        locate.triggered.connect(self.locate_current)
        menu.addSeparator()
        shelve = menu.addAction(self.tr("Shelve…"))
        shelve.triggered.connect(self.shelve_current)
        actions = [ack, locate, shelve]
        if self.near_miss_offered:
            near_miss = menu.addAction(self.tr("Record near miss…"))
            near_miss.triggered.connect(self.near_miss_current)
            actions.append(near_miss)
        has = bool(self.selected_ids())
        for action in actions:
            action.setEnabled(has)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if index.isValid() and not self.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.selectRow(index.row())
        menu = self.build_context_menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(event.globalPos())
