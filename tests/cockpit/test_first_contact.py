"""First contact (issue 18, point 9): what a new user meets when the machine is not ready, as one
readable line and exit 2, never Qt's plugin dump, a keyring complaint or a folder made in silence."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from cockpit.cli import display_problem

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


def errors(proc: subprocess.CompletedProcess[str]) -> list[str]:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return [line for line in proc.stderr.splitlines() if line.startswith("error:")]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)  # the user's folders in the test's own place
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env.update(extra)
    return env


def test_no_display_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = run("--lang", "en", env=clean_env(tmp_path))
    (line,) = errors(proc)
    assert "no display" in line and "serve" in line
    assert proc.stderr.strip() == line  # nothing else: no plugin list, no core dump
    assert not (tmp_path / "data").exists()  # nothing started, nothing seeded


def test_the_display_check_trusts_an_explicit_platform() -> None:
    assert display_problem({}, "linux") is not None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"DISPLAY": ":0"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None  # Windows and macOS always have their own screen


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nobody listens there


def test_serve_against_an_unreachable_postgresql_names_the_server_not_the_keyring(tmp_path: Path) -> None:
    port = _closed_port()
    proc = run("serve", "--db", f"postgresql://cockpit@127.0.0.1:{port}/plant", env=clean_env(tmp_path))
    (line,) = errors(proc)
    assert f"cannot reach PostgreSQL at 127.0.0.1:{port}" in line
    assert "keyring" not in proc.stderr.lower()


def test_db_upgrade_in_a_missing_folder_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    proc = run("db", "upgrade", "--db", f"sqlite:///{missing / 'cockpit.db'}", env=clean_env(tmp_path))
    (line,) = errors(proc)
    assert str(missing) in line and "does not exist" in line
    assert proc.stderr.strip() == line
    assert not (tmp_path / "no").exists()


def test_a_postgresql_that_asks_no_password_opens_without_a_keyring(pg_schema_url: str) -> None:
    """The window, like the command line, connects to a server that asks no password (trust, a client
    certificate, ~/.pgpass) on a machine without a usable keyring; the commissioning walk met the
    keyring's complaint there while `db init` and `register import` had worked."""
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring
    from sqlalchemy import text

    from cockpit.config import Config
    from cockpit.runtime import open_configured_database

    config = Config()
    config.database.url = pg_schema_url
    kept = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        db = open_configured_database(config)
        try:
            with db.session() as s:
                assert s.execute(text("SELECT 1")).scalar() == 1
        finally:
            db.dispose()
    finally:
        keyring.set_keyring(kept)
