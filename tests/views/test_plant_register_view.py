"""The sites-and-areas screen with real Qt and a real database: a safety manager builds an area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableWidgetItem
from pytestqt.qtbot import QtBot

from cockpit.plant_reads import PlantReads
from cockpit.plant_register import ContactInput, PlantRegister
from cockpit.register_io.service import RegisterIO
from cockpit.roles import Actor
from cockpit.users import UserAdmin
from connectors.database import Database
from models.records import RiskLevel, Role
from tests.support.plant_db import fresh_with_users
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.factories import view_factories
from views.i18n import Language
from views.plant_register_view import PlantRegisterView

_SCREENS: list[
    PlantRegisterView
] = []  # the screens of the running test, waited for before the database closes


@pytest.fixture
def screens() -> Iterator[list[PlantRegisterView]]:
    _SCREENS.clear()
    yield _SCREENS
    _SCREENS.clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(
    request: pytest.FixtureRequest, tmp_path: Path, screens: list[PlantRegisterView]
) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = fresh_with_users(url, (("safety", Role.SAFETY_MANAGER), ("op", Role.OPERATOR)))
    try:
        yield database
    finally:
        # This runs before qtbot closes the screens: a call still reading SQLite on a screen's worker
        # while the engine closes its connection crashed the process (a segfault in sqlite3's close).
        for screen in screens:
            assert screen._offgui.wait(20000)
        database.dispose()


def view_for(qtbot: QtBot, db: Database, acting: str) -> PlantRegisterView:
    view = PlantRegisterView(PlantRegister(db, TEST_KEYS), PlantReads(db), acting=as_user(db, acting))
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.resize(1400, 800)
    view.show()
    return view


def click(qtbot: QtBot, view: PlantRegisterView, key: str) -> None:
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons[key].click()


def test_safety_manager_adds_a_site_an_area_and_its_contacts(qtbot: QtBot, db: Database) -> None:
    view = view_for(qtbot, db, "safety")
    qtbot.waitUntil(lambda: view.area_keys() == [] and view.table.rowCount() == 0, timeout=10000)
    view.site_id.setText("CHEM1")
    view.site_name.setText("一号化工厂区")
    click(qtbot, view, "site")
    view.area_id.setText("A1")
    view.area_name.setText("常减压装置")
    view.risk.setCurrentIndex(view.risk.findData(RiskLevel.MAJOR.value))
    view.hazard.setChecked(True)
    view.guidance.setPlainText("进入前测氧，佩戴空气呼吸器")
    with qtbot.waitSignal(view.areas_shown, timeout=10000, check_params_cb=lambda n: n == 1):
        view.buttons["area"].click()
    assert view.table.item(0, 3).text() == "MAJOR risk"
    view.add_contact_row()
    for col, text in enumerate(("王班长", "值班长", "138-0000-0001")):
        view.contacts.setItem(0, col, QTableWidgetItem(text))
    click(qtbot, view, "contacts")
    detail = PlantReads(db).area_detail("CHEM1", "A1")
    assert detail is not None and detail.is_hazard_area and detail.guidance.startswith("进入前测氧")
    assert [(c.name, c.role, c.phone) for c in detail.contacts] == [("王班长", "值班长", "138-0000-0001")]

    # A second screen reads it back by selecting the row.
    again = view_for(qtbot, db, "boss")
    qtbot.waitUntil(lambda: again.area_keys() == [("CHEM1", "A1")], timeout=10000)
    with qtbot.waitSignal(again.area_loaded, timeout=10000):
        again.table.selectRow(0)
    assert again.area_name.text() == "常减压装置" and again.contacts.item(0, 2).text() == "138-0000-0001"


def test_an_operator_is_refused_by_the_service_and_shown_why_in_chinese(qtbot: QtBot, db: Database) -> None:
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    view = view_for(qtbot, db, "op")
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: view.buttons["site"].text() == "保存厂区", timeout=5000)
        view.site_id.setText("S1")
        view.site_name.setText("厂区")
        with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
            view.buttons["site"].click()
        assert failed.args[0] == "op 无权编辑名册：仅管理员和安全经理可以"
        assert PlantReads(db).sites() == []
    finally:
        language.set("en")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("zh_CN", "未执行：用户 safety 已被停用。"),
        ("en", "Not carried out: the user safety has been disabled."),
    ],
)
def test_a_login_disabled_since_is_refused_on_screen_in_its_language(
    qtbot: QtBot, db: Database, request: pytest.FixtureRequest, lang: str, text: str
) -> None:
    if lang == "zh_CN":
        request.getfixturevalue("glossary_chinese")  # the glossary's Chinese, as the catalogue will hold it
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    view = view_for(qtbot, db, "safety")  # logged in while active ...
    UserAdmin(db, TEST_KEYS).disable(as_user(db, "boss"), "safety")  # ... then disabled
    try:
        assert language.set(lang)
        view.site_id.setText("S1")
        view.site_name.setText("厂区")
        with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
            view.buttons["site"].click()
    finally:
        language.set("en")
    assert failed.args[0] == text
    assert PlantReads(db).sites() == []


def test_the_screen_is_offered_to_every_role() -> None:
    for role in Role:
        assert "register" in view_factories(Actor("x", role)), role  # editors edit, the others read


def test_an_operator_reads_the_areas_and_the_screen_says_who_changes_them(
    qtbot: QtBot, db: Database, request: pytest.FixtureRequest
) -> None:
    boss = as_user(db, "boss")
    reg = PlantRegister(db, TEST_KEYS)
    reg.save_site(boss, "CHEM1", "一号化工厂区")
    reg.save_area(boss, "CHEM1", "A1", "常减压装置", risk_level=RiskLevel.MAJOR, guidance="进入前测氧")
    reg.set_contacts(boss, "CHEM1", "A1", [ContactInput("王班长", "138-0000-0001", "值班长")])
    view = PlantRegisterView(None, PlantReads(db), acting=as_user(db, "op"), files=RegisterIO(db, TEST_KEYS))
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.show()
    qtbot.waitUntil(lambda: view.area_keys() == [("CHEM1", "A1")], timeout=10000)
    with qtbot.waitSignal(view.area_loaded, timeout=10000):
        view.table.selectRow(0)
    assert view.area_name.text() == "常减压装置" and view.guidance.toPlainText() == "进入前测氧"
    assert view.contacts.item(0, 2).text() == "138-0000-0001"
    assert view.area_name.isReadOnly() and view.guidance.isReadOnly() and not view.risk.isEnabled()
    assert view.contacts.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert all(button.isHidden() for button in view.buttons.values())
    assert view.files is not None and view.files.buttons["import"].isHidden()
    assert not view.files.buttons["export"].isHidden()  # everyone may export what they read
    assert view.notice.text() == "You can read this register; administrators and safety managers change it."
    assert not view.notice.isHidden()
    request.getfixturevalue("glossary_chinese")
    qtbot.waitUntil(
        lambda: view.notice.text() == "您可查阅本名册；修改由管理员和安全经理进行。", timeout=5000
    )
    assert view_for(qtbot, db, "safety").notice.isHidden()
