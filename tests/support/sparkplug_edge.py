"""The Sparkplug edge node of the host's tests: pysparkplug in a virtualenv of its own, as a subprocess.

pysparkplug needs paho-mqtt<2 and the cockpit pins paho 2.2, so the edge cannot live in the project's
venv. ``edge_python()`` makes the venv once, in ``.cache/sparkplug-edge`` of the repository (or
``$COCKPIT_SPARKPLUG_EDGE_VENV``), from the package registry; CI makes it before the tests
(``make sparkplug-edge``). Run as a script, it only makes the venv.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

EDGE_PACKAGES = ("pysparkplug==0.6.1", "paho-mqtt==1.6.1")
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("sparkplug_edge_node.py")


def venv_dir() -> Path:
    return Path(os.environ.get("COCKPIT_SPARKPLUG_EDGE_VENV") or ROOT / ".cache" / "sparkplug-edge")


def edge_python() -> Path | str:
    """The venv's python, made if missing; a str (why) when the registry could not be reached."""
    venv = venv_dir()
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if stamp.exists() and stamp.read_text() == " ".join(EDGE_PACKAGES):
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *EDGE_PACKAGES],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        return f"pysparkplug could not be installed from the package registry: {done.stderr.strip()[-300:]}"
    stamp.write_text(" ".join(EDGE_PACKAGES))
    return python


class EdgeNode:
    """One pysparkplug edge node in its own process: ``send`` an op, ``wait_for`` an event it printed."""

    def __init__(self, python: Path, **start: Any) -> None:
        self.proc = subprocess.Popen(
            [str(python), str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.events: list[dict[str, Any]] = []
        self._new: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.send("start", **start)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            event = json.loads(line)
            self.events.append(event)
            self._new.put(event)

    def send(self, op: str, **fields: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self.proc.stdin.flush()

    def count(self, event: str) -> int:
        return sum(1 for e in list(self.events) if e.get("event") == event)

    def commands(self) -> list[dict[str, Any]]:
        return [e for e in list(self.events) if e.get("event") == "cmd"]

    def wait_for(self, event: str, n: int = 1, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.count(event) < n:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def kill(self) -> None:
        """SIGKILL: the socket closes without a DISCONNECT, so the broker sends the NDEATH will."""
        self.proc.kill()
        self.proc.wait(5)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


if __name__ == "__main__":
    made = edge_python()
    print(made)
    raise SystemExit(0 if isinstance(made, Path) else 1)
