"""The interpreter's switch interval in a process that runs the core (`serve`, the window's field process).

The core thread, paho's network thread and the stop's claim thread share one interpreter. A thread
that needs it while another runs Python waits out that one's switch interval: 5 ms by default, and a
HIHI reading waits at several such hand-overs between its arrival and its stop (paho reads it, the
core judges it, the claim is written). Under 5,000 QoS 1 readings/s (bench/stop_path.py --load,
interleaved runs): publish -> stop on the wire p90 43-49 ms and max 117-121 ms at 5 ms, 21-36 ms and
45-75 ms at 1 ms. Not shorter: at 0.5 ms the threads hand it over so often that the alarm path's
median rose (cockpit/gui_thread.py, which sets the same 1 ms for a window's process).
"""

from __future__ import annotations

import sys

CORE_SWITCH_INTERVAL_S = 0.001


def share_gil_in_core_process() -> None:
    """Call once in a process that runs a core, before it starts."""
    sys.setswitchinterval(CORE_SWITCH_INTERVAL_S)
