"""The layers of docs/ARCHITECTURE.md hold: import-linter's contracts, plus what it cannot express."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_are_kept() -> None:
    tool = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(tool)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "broken" in proc.stdout and "0 broken" in proc.stdout


def test_the_core_uses_only_qtcore() -> None:
    """cockpit/ may meet the GUI through QtCore signals and timers, never widgets or painting."""
    offenders = []
    for path in sorted((ROOT / "cockpit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.startswith("PySide6.") and not name.startswith("PySide6.QtCore"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders
