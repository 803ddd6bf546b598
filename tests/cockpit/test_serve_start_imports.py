"""What `serve` imports before its first health leaves out what a plain plant does not use.

Issue 20: `serve` ready (first health on the broker) within 1.5 s of launch, most of which is imports
(bench/serve_start.py measures it). A core without Sparkplug does not import the Sparkplug link, its
codec and protobuf (cockpit/sparkplug_wiring.py), and nothing on the way to the core imports keyring: the
gate reads the badge key on a thread of its own once the core is built (cockpit/gate.badge_key_reading).
This guards that without timing: a fresh interpreter imports what `serve` imports, then lists what came.
"""

from __future__ import annotations

from tests.support.fresh_imports import loaded

LEFT_OUT = ("google", "keyring", "secretstorage", "cockpit.sparkplug_link", "connectors.sparkplug.codec")
PROBE = """
import sys
import cockpit.commands, cockpit.runtime, cockpit.core
left_out = sys.argv[1:]
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in left_out or m in left_out)))
"""


def test_serve_imports_neither_sparkplug_nor_the_keyring_before_its_core_runs() -> None:
    found = loaded(PROBE, *LEFT_OUT)
    assert found == [], f"imported on the way to serve's first health: {' '.join(found)}"
