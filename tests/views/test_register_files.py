"""The registers' files on the screens, with real Qt and a real database: an import with its progress
dialog and the rejected rows, export for every role, import only for those who edit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from pytestqt.qtbot import QtBot

from cockpit.contractor_search import ContractorDirectory
from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister
from cockpit.register_io.service import RegisterIO
from connectors.database import Database
from models.records import Role
from resources.translations.zh_CN_glossary import TR
from tests.support.plant_db import fresh_with_users
from tests.support.sessions import TEST_KEYS, as_user
from views.contractor_view import ContractorView
from views.plant_register_view import PlantRegisterView
from views.register_files import FILE_TEXTS, ROW_TEXTS

_BARS: list[Any] = []  # whatever has an OffGui to wait for (``wait_idle``) before the database closes


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = fresh_with_users(url, (("safety", Role.SAFETY_MANAGER), ("op", Role.OPERATOR)))
    _BARS.clear()
    try:
        yield database
    finally:
        for waiter in _BARS:  # before the engine closes (DEVELOPERS.md: a worker still reading SQLite)
            assert (waiter.wait_idle if hasattr(waiter, "wait_idle") else waiter.wait)(20000)
        _BARS.clear()
        database.dispose()


def workbook(path: Path, *rows: list[object]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def plant_screen(qtbot: QtBot, db: Database, acting: str) -> PlantRegisterView:
    view = PlantRegisterView(
        PlantRegister(db, TEST_KEYS),
        PlantReads(db),
        acting=as_user(db, acting),
        files=RegisterIO(db, TEST_KEYS),
    )
    qtbot.addWidget(view)
    assert view.files is not None
    _BARS.append(view.files)
    _BARS.append(view._offgui)
    view.resize(1400, 800)
    view.show()
    return view


def test_a_safety_manager_imports_sites_and_areas_with_a_progress_dialog(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    view = plant_screen(qtbot, db, "safety")
    bar = view.files
    assert bar is not None
    sites = workbook(tmp_path / "sites.xlsx", ["厂区编码", "厂区名称"], ["CHEM1", "一号化工厂区"])
    areas = workbook(
        tmp_path / "areas.xlsx",
        ["厂区编码", "区域编码", "区域名称", "风险等级"],
        *[["CHEM1", f"A{i}", f"装置{i}", "high"] for i in range(1, 2501)],
    )
    steps: list[tuple[int, int]] = []
    bar.register.setCurrentIndex(bar.register.findData("sites"))
    with qtbot.waitSignal(bar.imported, timeout=20000):
        bar.start_import(str(sites))
    bar.register.setCurrentIndex(bar.register.findData("areas"))
    with qtbot.waitSignal(bar.imported, timeout=30000) as done:
        bar.start_import(str(areas))
        dialog = bar.progress
        assert dialog is not None and dialog.isVisible()
        bar.progressed.connect(lambda done, total: steps.append((done, total)))
    report = done.args[0]
    assert (report.inserted, report.rejected_rows) == (2500, 0)
    # the bar moved while the rows were checked, then while they were written
    assert (
        bar.progress is None and (1000, 2500) in steps and (2000, 2500) in steps and steps[-1] == (2500, 2500)
    )
    assert "2500 added" in bar.message.text()
    qtbot.waitUntil(lambda: len(view.area_keys()) == 2500, timeout=20000)  # the screen shows them


def test_rejected_rows_are_listed_with_row_column_and_reason_and_nothing_is_written(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    view = plant_screen(qtbot, db, "safety")
    bar = view.files
    assert bar is not None
    bad = workbook(
        tmp_path / "s.xlsx",
        ["Site code", "Site name"],
        ["CHEM1", "一号"],
        ["bad code!", "二号"],
        ["CHEM1", "x"],
    )
    bar.register.setCurrentIndex(bar.register.findData("sites"))
    with qtbot.waitSignal(bar.failed, timeout=20000) as failed:
        bar.start_import(str(bad))
    assert failed.args[0].startswith("s.xlsx: 2 of 3 rows are invalid; nothing was written")
    shown = [tuple(bar.findings.item(r, c).text() for c in range(4)) for r in range(bar.findings.rowCount())]
    assert shown == [
        (
            "3",
            "Site code",
            "'bad code!' is not a code: letters, digits, '.', '_', '-', at most 64",
            "not imported",
        ),
        ("4", "Site code", "'CHEM1' is already in row 2", "not imported"),
    ]
    assert bar.findings.isVisible() and PlantReads(db).sites() == []
    bar.valid_only.setChecked(True)
    with qtbot.waitSignal(bar.imported, timeout=20000):
        bar.start_import(str(bad))
    assert [s.site_id for s in PlantReads(db).sites()] == ["CHEM1"] and bar.findings.rowCount() == 2


def test_an_operator_exports_but_cannot_import(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    RegisterIO(db, TEST_KEYS).import_file(
        as_user(db, "boss"),
        "contractors",
        workbook(tmp_path / "c.xlsx", ["Contractor code", "Contractor name"], ["C1", "华东"]),
    )
    view = ContractorView(
        ContractorDirectory(db.session),
        files=RegisterIO(db, TEST_KEYS),
        acting=as_user(db, "op"),
        can_import=False,
    )
    qtbot.addWidget(view)
    view.show()
    bar = view.files
    assert bar is not None
    _BARS.extend((bar, view))
    assert not bar.buttons["import"].isVisible() and bar.buttons["export"].isVisible()
    with qtbot.waitSignal(bar.finished, timeout=20000):
        bar.export_to(str(tmp_path / "out.xlsx"))
    rows = list(load_workbook(tmp_path / "out.xlsx").worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == ("C1", "华东") and bar.message.text() == "Exported"
    with qtbot.waitSignal(bar.failed, timeout=20000) as refused:  # the service refuses, whatever the screen
        bar.start_import(str(tmp_path / "c.xlsx"))
    assert refused.args[0] == "op may not import into the registers: administrators and safety managers do"


def test_every_text_of_the_register_files_has_its_chinese() -> None:
    missing = [t for t in [*FILE_TEXTS.values(), *ROW_TEXTS.values()] if t not in TR]
    assert missing == []
