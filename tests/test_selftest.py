"""`python main.py --self-test`: what an installer or IT department relies on.

One line per part, ok or FAIL with the fix, and an exit code a deployment script can trust. The
end-to-end runs start the real program in a subprocess (real broker, real SQLite, real Qt on the
offscreen platform); the in-process tests cover the FAIL paths that cannot be produced on a complete
machine, such as a missing font or translation.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.config import Config
from connectors.database import head_revision
from views import selftest
from views.selftest import CheckFailed, CheckResult

ROOT = Path(__file__).resolve().parent.parent
PARTS = (
    "Qt platform",
    "screen font",
    "report font",
    "SQLite",
    "PostgreSQL driver",
    "MQTT",
    "reportlab",
    "keyring",
    "translations",
    "embedded broker",
    "resources",
    "program modules",
)
MEMORY_KEYRING = "tests.support.keyring_memory.MemoryKeyring"


def run_self_test(tmp_path: Path, **env_changes: str | None) -> subprocess.CompletedProcess[str]:
    """The program as a user starts it, with no display and folders of its own."""
    env = dict(os.environ)
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "COCKPIT_CONFIG", "COCKPIT_DB_URL"):
        env.pop(var, None)
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND=MEMORY_KEYRING,
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "main.py", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def lines_by_part(stdout: str) -> dict[str, tuple[bool, str]]:
    """{part: (ok, detail)} from the printed lines; a part printed twice is an error."""
    found: dict[str, tuple[bool, str]] = {}
    for line in stdout.splitlines():
        if line.startswith("ok   ") or line.startswith("FAIL "):
            part, _, detail = line[5:].partition(": ")
            assert part not in found, f"{part} printed twice"
            found[part] = (line.startswith("ok"), detail)
    return found


def test_self_test_reports_every_part_and_exit_code_follows_the_lines(tmp_path: Path) -> None:
    proc = run_self_test(tmp_path)
    parts = lines_by_part(proc.stdout)
    assert set(parts) == set(PARTS), proc.stdout + proc.stderr
    # This machine has everything but (perhaps) the compiled translation, which the lead builds.
    for part in set(PARTS) - {"translations"}:
        assert parts[part][0], f"{part}: {parts[part][1]}"
    has_qm = (ROOT / "resources" / "translations" / "cockpit_zh_CN.qm").is_file()
    assert parts["translations"][0] == has_qm, parts["translations"][1]
    if not has_qm:
        assert "make translations" in parts["translations"][1]
    assert (proc.returncode == 0) == all(ok for ok, _ in parts.values())
    # What the user is told about the parts.
    assert "offscreen" in parts["Qt platform"][1] and "no display" in parts["Qt platform"][1]
    assert "round trip" in parts["MQTT"][1]
    assert "MemoryKeyring" in parts["keyring"][1]
    assert parts["SQLite"][1].endswith(f"schema revision {head_revision()}")
    # Nothing of the user's was touched: no demo database was created in the data folder.
    assert not (tmp_path / "data" / "hazwork-cockpit" / "cockpit.db").exists()


def test_missing_keyring_is_a_fail_line_with_the_fix_not_a_crash(tmp_path: Path) -> None:
    proc = run_self_test(tmp_path, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    parts = lines_by_part(proc.stdout)
    ok, detail = parts["keyring"]
    assert not ok
    assert "secret set" in detail and ("gnome-keyring" in detail or "Credential Manager" in detail)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    # The other parts are still checked and reported.
    assert set(parts) == set(PARTS)
    assert parts["SQLite"][0] and parts["MQTT"][0]


def test_missing_qt_platform_plugin_is_reported_before_qt_can_abort(tmp_path: Path) -> None:
    proc = run_self_test(tmp_path, QT_QPA_PLATFORM="no-such-platform")
    parts = lines_by_part(proc.stdout)
    ok, detail = parts["Qt platform"]
    assert not ok
    assert "'no-such-platform' is not installed" in detail and "offscreen" in detail  # what there is
    assert not parts["screen font"][0] and "Qt did not start" in parts["screen font"][1]
    assert parts["SQLite"][0]
    assert proc.returncode == 1


# --- in process ------------------------------------------------------------------------------------------


def test_offscreen_is_chosen_only_without_a_display() -> None:
    env: dict[str, str] = {}
    note = selftest.choose_platform(env, "linux")
    assert env["QT_QPA_PLATFORM"] == "offscreen" and note and "no display" in note
    env = {"DISPLAY": ":0"}
    assert selftest.choose_platform(env, "linux") is None and "QT_QPA_PLATFORM" not in env
    env = {"QT_QPA_PLATFORM": "xcb"}
    assert selftest.choose_platform(env, "linux") is None and env["QT_QPA_PLATFORM"] == "xcb"
    env = {}
    assert selftest.choose_platform(env, "win32") is None and not env


def test_missing_report_font_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import cockpit.fonts

    monkeypatch.setattr(cockpit.fonts, "default_candidates", list)  # a machine without any CJK font
    monkeypatch.delenv(cockpit.fonts.ENV_FONT, raising=False)
    with pytest.raises(CheckFailed, match="fonts-wqy-zenhei") as err:
        selftest.check_report_font()
    assert cockpit.fonts.ENV_FONT in str(err.value)
    with pytest.raises(CheckFailed, match="report font"):
        selftest.check_reportlab(tmp_path)


def test_report_font_from_the_environment_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import cockpit.fonts

    font = cockpit.fonts.find_cjk_font()
    if font is None:
        pytest.skip("no TrueType CJK font on this machine")
    monkeypatch.setenv(cockpit.fonts.ENV_FONT, str(font.path))
    assert selftest.check_report_font().startswith(f"{font.path}")
    assert cockpit.fonts.ENV_FONT in selftest.check_report_font()
    pdf_line = selftest.check_reportlab(tmp_path)
    assert "Chinese" in pdf_line
    assert (tmp_path / "self-test.pdf").read_bytes().startswith(b"%PDF")


def test_translation_missing_damaged_and_present(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import views.i18n

    monkeypatch.setattr(views.i18n, "TRANSLATIONS", tmp_path)
    with pytest.raises(CheckFailed, match="missing; build it with `make translations`"):
        selftest.check_translations()
    (tmp_path / "cockpit_zh_CN.qm").write_bytes(b"not a translation")
    with pytest.raises(CheckFailed, match="cannot be loaded"):
        selftest.check_translations()
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed")
    ts = tmp_path / "cockpit_zh_CN.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
        "<context><name>Shell</name><message><source>Stop work</source>"
        "<translation>停止作业</translation></message></context></TS>",
        encoding="utf-8",
    )
    subprocess.run(
        [str(lrelease), str(ts), "-qm", str(tmp_path / "cockpit_zh_CN.qm")], check=True, capture_output=True
    )
    assert selftest.check_translations().startswith("cockpit_zh_CN.qm (zh_CN)")


def test_a_check_that_crashes_becomes_a_fail_line() -> None:
    def broken() -> str:
        raise RuntimeError("libfoo.so: cannot open shared object file")

    result = selftest._run("PostgreSQL driver", broken)
    assert result == CheckResult(
        "PostgreSQL driver",
        False,
        f"RuntimeError: libfoo.so: cannot open shared object file; {selftest._reinstall()}",
    )
    assert result.line().startswith("FAIL PostgreSQL driver: RuntimeError")
    assert CheckResult("SQLite", True, "fine").line() == "ok   SQLite: fine"


def test_mqtt_round_trip_through_a_real_broker(tmp_path: Path) -> None:
    line = selftest.check_mqtt(tmp_path, "plant")
    assert "QoS 1 round trip through" in line and ("mosquitto" in line or "amqtt" in line)


def test_run_checks_prints_each_line_as_it_goes(qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    out = io.StringIO()
    monkeypatch.setattr(selftest, "check_mqtt", lambda work, root: f"stub for {root}")
    config = Config()
    config.mqtt.root = "site-x"
    results = selftest.run_checks(config, out)
    printed = out.getvalue().splitlines()
    assert printed == [r.line() for r in results]
    assert [r.part for r in results if r.part == "MQTT"] == ["MQTT"]
    assert next(r for r in results if r.part == "MQTT").detail == "stub for site-x"
    assert {r.part for r in results} == set(PARTS)
