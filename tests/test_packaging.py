"""An installed copy runs outside the repository: the wheel holds every package and the files the
program loads at run time (translations, the migrations, icons, the stylesheet).

Built from a copy of the sources in a temporary folder (the build writes build/ and *.egg-info next to
what it builds) and installed with ``pip --target`` there, never into the project's own environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "connectors", "cockpit", "widgets", "views", "resources")

# Runs in the installed copy: where every module came from, and the resources the program finds.
PROBE = """
import json, sys
from pathlib import Path
import main, models, connectors, cockpit, widgets, views
import views.i18n, widgets.theme
from models.migrations import MIGRATIONS_DIR
from connectors.database import head_revision, upgrade_database
from PySide6.QtCore import QTranslator
translator = QTranslator()
qm = views.i18n.TRANSLATIONS / "cockpit_zh_CN.qm"
db = Path(sys.argv[1]) / "probe.db"
print(json.dumps({
    "files": [m.__file__ for m in (main, models, connectors, cockpit, widgets, views, views.i18n)],
    "qm_loads": translator.load(str(qm)),
    "stylesheet": (widgets.theme.RESOURCES / "cockpit.qss").is_file(),
    "migrations": str(MIGRATIONS_DIR),
    "head": head_revision(),
    "upgraded_to": upgrade_database("sqlite:///" + db.as_posix()),
}))
"""


def _copy_sources(dest: Path) -> None:
    for name in ("pyproject.toml", "README.md", "main.py"):
        shutil.copy2(ROOT / name, dest / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_an_installed_wheel_imports_and_finds_its_resources_outside_the_repository(tmp_path: Path) -> None:
    src, wheels, site, elsewhere = (tmp_path / name for name in ("src", "wheels", "site", "elsewhere"))
    for folder in (src, wheels, elsewhere):
        folder.mkdir()
    _copy_sources(src)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(src)], cwd=tmp_path)
    (wheel,) = wheels.glob("*.whl")
    _run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], cwd=tmp_path)
    shutil.rmtree(src)  # nothing may come from the copy the wheel was built from

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    found = json.loads(_run([sys.executable, "-c", PROBE, str(elsewhere)], cwd=elsewhere, env=env))
    for file in found["files"]:
        assert Path(file).is_relative_to(site), f"{file} was imported from outside the installed copy"
    assert found["qm_loads"], "the Chinese translation is not in the installed copy"
    assert found["stylesheet"]
    assert Path(found["migrations"]).is_relative_to(site)
    assert found["upgraded_to"] == found["head"], "the installed migrations did not bring a database to head"
    help_text = _run([sys.executable, "-m", "main", "--help"], cwd=elsewhere, env=env)
    assert "usage" in help_text.lower()
