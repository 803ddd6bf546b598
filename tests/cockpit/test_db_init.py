"""Commissioning from the command line, as a plant's IT would: db init, user …, then a login."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.auth import LoginRefused, authenticate
from connectors.database import open_database
from tests.cockpit.test_cli import one_line_error

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PW = "first admin passphrase"
PW = "a good long password"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=dict(os.environ),
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def init(url: str, name: str = "boss", password: str = ADMIN_PW) -> subprocess.CompletedProcess[str]:
    return run("db", "init", "--db", url, "--admin", name, "--password-stdin", stdin=password + "\n")


def logs_in(url: str, name: str, password: str) -> bool:
    db = open_database(url, upgrade=False)
    try:
        authenticate(db, name, password)
        return True
    except LoginRefused:
        return False
    finally:
        db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'plant.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


def test_init_on_an_empty_database_then_a_login_then_refused_again(url: str) -> None:
    done = init(url)
    assert done.returncode == 0, done.stderr
    assert "administrator boss created" in done.stdout
    assert logs_in(url, "boss", ADMIN_PW)
    assert not logs_in(url, "boss", "wrong password")
    line = one_line_error(init(url, "other"))
    assert "already has 1 user" in line
    assert not logs_in(url, "other", ADMIN_PW)


def test_users_from_the_command_line_and_audit_verify(url: str) -> None:
    assert init(url).returncode == 0
    add = run(
        "user", "add", "lead.li", "--as", "boss", "--role", "shift-lead", "--level", "operating-unit",
        "--name", "李值班长", "--password-stdin", "--db", url, stdin=f"{ADMIN_PW}\n{PW}\n",
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    assert logs_in(url, "lead.li", PW)
    listed = run("user", "list", "--as", "boss", "--password-stdin", "--db", url, stdin=ADMIN_PW + "\n")
    assert listed.returncode == 0 and "lead.li" in listed.stdout and "shift_lead" in listed.stdout
    # An operator cannot act as an administrator, whatever the command line says.
    run("user", "add", "op.x", "--as", "boss", "--role", "operator", "--password-stdin", "--db", url,
        stdin=f"{ADMIN_PW}\n{PW}\n")  # fmt: skip
    line = one_line_error(
        run("user", "disable", "lead.li", "--as", "op.x", "--password-stdin", "--db", url, stdin=PW + "\n")
    )
    assert "not an active administrator" in line
    line = one_line_error(
        run("user", "list", "--as", "boss", "--password-stdin", "--db", url, stdin="wrong password\n")
    )
    assert line == "error: unknown user or wrong password"
    off = run(
        "user", "disable", "lead.li", "--as", "boss", "--password-stdin", "--db", url, stdin=ADMIN_PW + "\n"
    )
    assert off.returncode == 0, off.stderr
    assert not logs_in(url, "lead.li", PW)
    reset = run("user", "reset-password", "op.x", "--as", "boss", "--password-stdin", "--db", url,
                stdin=f"{ADMIN_PW}\nshort\n")  # fmt: skip
    assert "at least 10 characters" in one_line_error(reset)
    verify = run("audit", "verify", "--db", url)
    assert verify.returncode == 0, verify.stderr
    assert "4 entries" in verify.stdout  # bootstrap, two adds, one disable; the refusals wrote nothing


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (["--admin", "boss", "--password-stdin"], "short\n", "at least 10 characters"),
        (["--admin", "boss", "--password-stdin"], "boss\n", "at least 10 characters"),
        (["--admin", "administrator", "--password-stdin"], "Administrator\n", "must not be the user name"),
        (["--admin", "bad name", "--password-stdin"], ADMIN_PW + "\n", "not allowed"),
        (["--admin", "boss", "--password-stdin"], "", "standard input ended"),
        (["--admin", "boss"], None, "no terminal"),
        (["--password-stdin"], ADMIN_PW + "\n", "--admin NAME"),
    ],
)
def test_bad_init_input_is_one_line_and_no_user(
    tmp_path: Path, args: list[str], stdin: str | None, fragment: str
) -> None:
    url = f"sqlite:///{tmp_path / 'plant.db'}"
    line = one_line_error(run("db", "init", "--db", url, *args, stdin=stdin))
    assert fragment in line
    assert init(url).returncode == 0  # nothing half-written: the right one still goes in


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nosuchdb://x", "nosuchdb"),
        ("::::", "URL"),
        ("postgresql://cockpit@127.0.0.1:1/plant", "127.0.0.1:1"),
    ],
)
def test_bad_url_is_one_line(url: str, fragment: str) -> None:
    assert fragment in one_line_error(init(url))


def test_sqlite_in_a_missing_folder_is_refused_and_not_created(tmp_path: Path) -> None:
    folder = tmp_path / "typo" / "deeper"
    line = one_line_error(init(f"sqlite:///{folder / 'plant.db'}"))
    assert str(folder) in line and "does not exist" in line
    assert not (tmp_path / "typo").exists()
