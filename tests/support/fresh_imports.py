"""What a fresh interpreter loads: a probe (Python source that prints module names, given the names
to look for as its arguments) run from the project's folder, for the tests that keep heavy modules
out of a start (the window's first paint, serve's first health)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def loaded(probe: str, *names: str) -> list[str]:
    """The module names the probe printed; the probe must end cleanly."""
    proc = subprocess.run(
        [sys.executable, "-c", probe, *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()
