"""The program speaks Chinese and English, switchable at run time, with nothing left untranslated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from views.i18n import TRANSLATIONS, Language

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_in_the_code_has_a_chinese_translation() -> None:
    proc = subprocess.run(
        [sys.executable, str(TRANSLATIONS / "update.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]


def test_the_compiled_translation_is_up_to_date(tmp_path: Path) -> None:
    tool = Path(sys.executable).with_name("pyside6-lrelease")
    out = tmp_path / "fresh.qm"
    subprocess.run(
        [str(tool), str(TRANSLATIONS / "cockpit_zh_CN.ts"), "-qm", str(out)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert out.read_bytes() == (TRANSLATIONS / "cockpit_zh_CN.qm").read_bytes(), "run `make translations`"


def test_switching_language_at_run_time_changes_what_is_on_screen(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cockpit.logins import Logins
    from tests.support.fresh_db import open_fresh
    from views.login import LoginView

    app = QApplication.instance()
    language = Language(app)
    db = open_fresh(f"sqlite:///{tmp_path / 'x.db'}")
    view = LoginView(Logins(db), demo=True)
    qtbot.addWidget(view)
    try:
        assert view.demo_mark.text() == "DEMO"
        assert view.button.text() == "Log in"
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: view.button.text() == "登录", timeout=2000)
        assert view.password_label.text() == "密码"
        qtbot.waitUntil(lambda: view.demo_mark.text() == "演示", timeout=2000)
        assert language.set("en")
        qtbot.waitUntil(lambda: view.button.text() == "Log in", timeout=2000)
    finally:
        language.set("en")
        db.dispose()
