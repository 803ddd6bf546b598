"""AlarmTable: order, texts, colours only for what is abnormal, and the operator's actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt

from models.plant_clock import format_time
from tests.widgets.helpers import count_color, rendered
from widgets import theme
from widgets.alarm_table import COLUMN_INDEX, AlarmRow, AlarmTable, AlarmTableModel

NOW = datetime.now(UTC).replace(microsecond=0)


def rows() -> list:
    return [
        AlarmRow("old-p1", 1, NOW - timedelta(minutes=10), "plant", "罐区", "GD-1", "H2S HIHI", 15.2, "ppm"),
        {
            "alarm_id": "p2",
            "priority": 2,
            "raised_at": NOW - timedelta(minutes=1),
            "site": "plant",
            "area": "泵房",
            "source": "GD-2",
            "condition": "LEL HI",
            "value": 12,
            "unit": "%LEL",
            "state": "ACKED",
            "count": 3,
            "acked_by": "李娜",
            "ignored_extra": 1,
        },
        AlarmRow("new-p1", 1, NOW - timedelta(seconds=5), "plant", "罐区", "W-7", "MAN_DOWN"),
        AlarmRow("p4", 4, NOW - timedelta(hours=1), "plant", "仓库", "cert", "expiring", state="shelved"),
    ]


def make_table(qtbot) -> AlarmTable:
    table = AlarmTable(blink_ms=30)
    qtbot.addWidget(table)
    table.resize(1000, 300)
    table.set_rows(rows())
    table.show()
    qtbot.waitExposed(table)
    return table


def cell(table: AlarmTable, row: int, key: str, role=Qt.ItemDataRole.DisplayRole):
    model = table.alarm_model()
    return model.data(model.index(row, COLUMN_INDEX[key]), role)


def test_sorted_by_priority_then_newest(qtbot) -> None:
    table = make_table(qtbot)
    assert [r.alarm_id for r in table.alarm_model().rows()] == ["new-p1", "old-p1", "p2", "p4"]


def test_texts_a_user_reads(qtbot) -> None:
    table = make_table(qtbot)
    model = table.alarm_model()
    assert model.headerData(COLUMN_INDEX["acked_by"], Qt.Orientation.Horizontal) == "Acked by"
    plant = ZoneInfo("Asia/Shanghai")  # the plant's default zone, not the machine's
    assert cell(table, 1, "time") == format_time(NOW - timedelta(minutes=10), "Asia/Shanghai", "auto")
    assert cell(table, 1, "time").endswith((NOW - timedelta(minutes=10)).astimezone(plant).strftime("%M:%S"))
    assert cell(table, 1, "where") == "plant / 罐区"
    assert cell(table, 1, "value") == "15.2 ppm"
    assert cell(table, 1, "state") == "UNACK"
    assert cell(table, 2, "state") == "ACKED"
    assert cell(table, 2, "count") == "×3"
    assert cell(table, 1, "count") == ""
    assert cell(table, 2, "acked_by") == "李娜"
    assert cell(table, 3, "state") == "SHELVED"
    assert "Priority 1" in cell(table, 0, "priority", Qt.ItemDataRole.ToolTipRole)


def test_colour_only_for_unacknowledged_and_bold(qtbot) -> None:
    table = make_table(qtbot)
    unack_bg = cell(table, 1, "condition", Qt.ItemDataRole.BackgroundRole)
    assert unack_bg is not None
    assert cell(table, 2, "condition", Qt.ItemDataRole.BackgroundRole) is None  # acked: plain
    assert cell(table, 3, "condition", Qt.ItemDataRole.BackgroundRole) is None  # shelved: plain
    assert cell(table, 1, "condition", Qt.ItemDataRole.FontRole).bold()
    assert not cell(table, 2, "condition", Qt.ItemDataRole.FontRole).bold()
    assert cell(table, 3, "condition", Qt.ItemDataRole.FontRole).italic()
    assert cell(table, 3, "condition", Qt.ItemDataRole.ForegroundRole).color() == theme.color("text_muted")


def test_unacknowledged_state_cell_blinks(qtbot) -> None:
    table = make_table(qtbot)
    assert table.is_blinking()
    seen = set()
    qtbot.waitUntil(
        lambda: (
            seen.add(cell(table, 0, "state", Qt.ItemDataRole.BackgroundRole).color().name()) or len(seen) == 2
        ),
        timeout=2000,
    )
    assert theme.PALETTE.alarm_p1.lower() in seen
    table.set_rows([r for r in table.alarm_model().rows() if r.state not in ("unack",)])
    assert not table.is_blinking()


def test_priority_column_draws_the_badge(qtbot) -> None:
    table = make_table(qtbot)
    table.clearSelection()
    rect = table.visualRect(table.alarm_model().index(0, COLUMN_INDEX["priority"]))
    image = rendered(table.viewport()).copy(rect)
    assert count_color(image, theme.PALETTE.alarm_p1, tolerance=20) > 10
    rect4 = table.visualRect(table.alarm_model().index(3, COLUMN_INDEX["priority"]))
    assert count_color(rendered(table.viewport()).copy(rect4), theme.PALETTE.alarm_p4, tolerance=20) > 10


def test_space_and_f5_acknowledge_the_selection(qtbot) -> None:
    table = make_table(qtbot)
    table.selectRow(0)
    with qtbot.waitSignal(table.acknowledge_requested) as sig:
        qtbot.keyClick(table, Qt.Key.Key_Space)
    assert sig.args == [["new-p1"]]
    table.selectionModel().select(
        table.alarm_model().index(1, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    with qtbot.waitSignal(table.acknowledge_requested) as sig:
        qtbot.keyClick(table, Qt.Key.Key_F5)
    assert sig.args == [["new-p1", "old-p1"]]


def test_f7_locates_and_the_menu_offers_shelve(qtbot) -> None:
    table = make_table(qtbot)
    table.selectRow(2)
    with qtbot.waitSignal(table.locate_requested) as sig:
        qtbot.keyClick(table, Qt.Key.Key_F7)
    assert sig.args == ["p2"]
    menu = table.build_context_menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert set(actions) == {"Acknowledge  (Space / F5)", "Locate  (F7)", "Shelve…"}
    with qtbot.waitSignal(table.shelve_requested) as sig:
        actions["Shelve…"].trigger()
    assert sig.args == ["p2"]
    with qtbot.waitSignal(table.acknowledge_requested) as sig:
        actions["Acknowledge  (Space / F5)"].trigger()
    assert sig.args == [["p2"]]


def test_menu_actions_disabled_without_selection(qtbot) -> None:
    table = make_table(qtbot)
    table.clearSelection()
    table.setCurrentIndex(QModelIndex())
    assert not any(a.isEnabled() for a in table.build_context_menu().actions() if a.text())


def test_selection_survives_an_update(qtbot) -> None:
    table = make_table(qtbot)
    table.selectRow(2)  # p2
    assert table.selected_ids() == ["p2"]
    newer = AlarmRow("newest", 1, NOW, "plant", "罐区", "GD-9", "CO HIHI", 40, "ppm")
    table.set_rows([*rows(), newer])
    assert table.alarm_model().row_of("p2") == 3
    assert table.selected_ids() == ["p2"]


def test_the_same_rows_again_change_nothing(qtbot) -> None:
    table = make_table(qtbot)
    table.selectRow(2)
    resets: list[int] = []
    table.alarm_model().modelReset.connect(lambda: resets.append(1))
    table.set_rows(rows())  # a new snapshot with the same alarms: no reset, no re-measuring
    assert resets == []
    assert table.selected_ids() == ["p2"]
    table.set_rows([*rows(), AlarmRow("newest", 1, NOW, "plant", "罐区", "GD-9", "CO HIHI", 40, "ppm")])
    assert resets == [1]


def test_a_blink_repaints_without_asking_the_model_role_by_role(qtbot, monkeypatch) -> None:
    asked: list[int] = []
    data = AlarmTableModel.data

    def counting(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        asked.append(int(role.value) if hasattr(role, "value") else int(role))
        return data(self, index, role)

    monkeypatch.setattr(AlarmTableModel, "data", counting)
    table = make_table(qtbot)
    before = rendered(table.viewport())
    asked.clear()
    table.alarm_model().toggle_blink()  # the unacknowledged state cells change colour …
    after = rendered(table.viewport())
    assert before != after
    assert asked == []  # … painted from the rows: one call per cell, none per role
    # what the cells show is what the model says, role by role
    model = table.alarm_model()
    index = model.index(0, COLUMN_INDEX["state"])
    colour = model.data(index, Qt.ItemDataRole.BackgroundRole).color()
    assert count_color(after.copy(table.visualRect(index)), colour, tolerance=2) > 100


def test_columns_fit_their_texts_without_measuring_every_cell(qtbot, monkeypatch) -> None:
    """A new set of rows sizes the columns from the texts; Qt's per-cell measuring (a call into Python
    for each cell of each row, 300 ms for 300 rows) no longer runs on every update."""
    from PySide6.QtGui import QFont, QFontMetrics

    from widgets.alarm_table import _RowDelegate

    measured: list[int] = []
    size_hint = _RowDelegate.sizeHint  # counted from the start: Qt looks an override up once
    monkeypatch.setattr(_RowDelegate, "sizeHint", lambda *a: measured.append(1) or size_hint(*a))
    table = make_table(qtbot)
    measured.clear()
    header = table.horizontalHeader()
    bold = QFont(table.font())
    bold.setBold(True)
    long_source = "GD-VERY-LONG-DETECTOR-NAME-0001"
    before = header.sectionSize(COLUMN_INDEX["source"])
    many = [
        AlarmRow(f"a{i}", 1 + i % 4, NOW, "plant", "罐区", f"GD-{i}", "LEL HI", 12, "%LEL")
        for i in range(300)
    ]
    table.set_rows(
        [*rows(), *many, AlarmRow("long", 2, NOW, "plant", "罐区", long_source, "LEL HI", 12, "%LEL")]
    )
    qtbot.wait(50)
    after = header.sectionSize(COLUMN_INDEX["source"])
    assert after > before
    assert after >= QFontMetrics(bold).horizontalAdvance(long_source)
    for key in ("time", "value", "state", "count", "acked_by"):  # every text of a fitted column fits
        widest = max(QFontMetrics(bold).horizontalAdvance(cell(table, r, key)) for r in range(5))
        assert header.sectionSize(COLUMN_INDEX[key]) >= widest, key
    assert measured == []


def test_a_condition_reads_as_its_label_and_follows_a_language_switch(qtbot) -> None:
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication, QTranslator

    table = AlarmTable()
    qtbot.addWidget(table)
    table.set_rows(
        [
            AlarmRow("gas", 1, NOW, "S1", "A1", "S1/A1/GD-1/LEL", "HIHI", 30.0, "%LEL"),
            AlarmRow("retest", 3, NOW, "S1", "A1", "permit:HW-7", "GAS_RETEST_OVERDUE"),
            AlarmRow("odd", 4, NOW, "S1", "A1", "permit:HW-7", "SOMETHING_NEW"),
        ]
    )
    table.show()
    model = table.alarm_model()

    def conditions() -> list[str]:
        return [cell(table, r, "condition") for r in range(model.rowCount())]

    # a code without a label is shown as it is
    assert conditions() == ["high-high", "gas re-test overdue", "SOMETHING_NEW"]
    chinese = QTranslator()
    assert chinese.load(str(Path(__file__).parents[2] / "resources" / "translations" / "cockpit_zh_CN.qm"))
    # the cells are drawn again at the switch, not only when new rows come
    with qtbot.waitSignal(model.dataChanged, timeout=2000):
        QCoreApplication.installTranslator(chinese)
    try:
        assert conditions() == ["高高报警", "气体复测超时", "SOMETHING_NEW"]
        assert model.headerData(COLUMN_INDEX["condition"], Qt.Orientation.Horizontal) == "报警类型"
    finally:
        QCoreApplication.removeTranslator(chinese)
    qtbot.waitUntil(lambda: conditions()[0] == "high-high", timeout=2000)
