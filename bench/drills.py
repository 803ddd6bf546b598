"""The fault drills of issue 19, all of them, each in a process of its own, one figure each.

Each drill is a script here that ends with one ``key=value`` line; this runs them in turn with a
time-out, reads that line, and prints one figure per drill against its goal, then one summary line:

| drill | script | figure (goal) |
|---|---|---|
| db_outage | drill_db_outage.py: PostgreSQL cut for 20 s during a HIHI | every record once, one stop (pass) |
| db_hang | drill_db_outage.py --hang: database hangs 20 s, `serve` killed in it | the same (pass) |
| broker_live | broker_kill_live.py: broker killed 5 s, console connected, 2,000 msg/s | lost after ack (0) |
| broker_kill | broker_kill.py: broker SIGKILLed at 2,000 QoS 1 msg/s | lost, shipped autosave (0) |
| reconnect | reconnect.py: broker away for 5 s | seconds to reconnect after it returns (< 1) |
| fuzz | fuzz.py: 100,000 malformed payloads | payloads not counted by a reason (0); RSS growth (< 10 MB) |
| soak | soak.py: 30 min at 5,000 msg/s | exceptions and core errors (0); RSS growth shown |
| audit_tail | drill_audit_tail.py: the newest audit rows deleted | `audit verify` catches it (1) |
| duty_failover | drill_duty_failover.py (if there): duty holder killed | its ``ok``/``pass`` key (1) |
| restart_trends | restart_trends.py: a console restarted | seconds to its first trend with history |

``--quick`` runs short versions (a 5 s cut, 3 s of QoS 1, 10,000 payloads, a 1-minute soak): about
five minutes on an idle machine. They load the machine: never beside measurements.

Usage: python bench/drills.py [--quick] [--only NAME ...]
Ends with one line: drills=… passed=… failed=… <drill>_<figure>=… for every drill.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
KV = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")

Figures = dict[str, str]
Judge = Callable[[Figures], tuple[str, str, bool]]  # (figure name, figure, passed)


def _num(figures: Figures, key: str, default: float = float("nan")) -> float:
    try:
        return float(figures[key].rstrip(","))
    except (KeyError, ValueError):
        return default


def _db_outage(f: Figures) -> tuple[str, str, bool]:
    ok = (
        _num(f, "stops_on_wire") == 1
        and _num(f, "permits_in_stop") >= 1
        and _num(f, "commands_rows") == 1
        and f.get("permit") == "suspended"
        and _num(f, "audit_intact") == 1
        and _num(f, "journal_hihi") >= 1
    )
    detail = " ".join(
        f"{k}={f.get(k, '?')}" for k in ("stops_on_wire", "commands_rows", "permit", "audit_intact")
    )
    return "ok", f"{int(ok)} ({detail})", ok


def _broker_kill(f: Figures) -> tuple[str, str, bool]:
    lost = _num(f, "lost_autosave_1s")
    return "lost", f"{lost:.0f} of {f.get('sent', '?')}", lost == 0


def _reconnect(f: Figures) -> tuple[str, str, bool]:
    seconds = next((_num(f, k) for k in f if k.startswith("reconnect_s_after_")), float("nan"))
    return "reconnect_s", f"{seconds:.2f}", seconds < 1.0


def _fuzz(f: Figures) -> tuple[str, str, bool]:
    uncounted, growth = _num(f, "uncounted"), _num(f, "rss_growth_mb")
    return (
        "uncounted",
        f"{uncounted:.0f} of {f.get('sent', '?')} (rss +{growth:.1f} MB)",
        uncounted == 0 and growth < 10,
    )


def _soak(f: Figures) -> tuple[str, str, bool]:
    errors = _num(f, "exceptions") + _num(f, "core_errors")
    growth = _num(f, "rss_end_mb") - _num(f, "rss_start_mb")
    # RSS is shown, not judged: the native rings grow towards their 2 h at the soak's rate (a 1-minute
    # run grew 59.5 MB doing so), so growth from the start says little until they are full.
    return "errors", f"{errors:.0f} at {f.get('load_msgs_s', '?')} msg/s (rss +{growth:.1f} MB)", errors == 0


def _audit_tail(f: Figures) -> tuple[str, str, bool]:
    caught = _num(f, "caught")
    return "caught", f"{caught:.0f}", caught == 1


def _duty_failover(f: Figures) -> tuple[str, str, bool]:
    """One stop in every round (never none, never two), within 5 s of the kill plus the normal latency."""
    low, high, after = _num(f, "stops_min"), _num(f, "stops_max"), _num(f, "stop_after_kill_s_max")
    return (
        "stops",
        f"{low:.0f}-{high:.0f} (at most {after:.2f} s after the kill)",
        low == high == 1 and after < 6,
    )


def _broker_live(f: Figures) -> tuple[str, str, bool]:
    lost = _num(f, "lost")
    detail = f"{lost:.0f} of {f.get('sent', '?')} acknowledged (reconnect {f.get('reconnect_s', '?')} s)"
    return "lost", detail, lost == 0


def _restart_trends(f: Figures) -> tuple[str, str, bool]:
    seconds = _num(f, "with_history_s")
    return "with_history_s", f"{seconds:.2f}", _num(f, "history_channels") > 0


@dataclass(frozen=True)
class Drill:
    name: str
    script: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    timeout_full_s: float
    timeout_quick_s: float
    judge: Judge


DRILLS = (
    Drill("db_outage", "drill_db_outage.py", ("--cut-s", "20"), ("--cut-s", "5"), 300, 180, _db_outage),
    Drill(
        "db_hang",
        "drill_db_outage.py",
        ("--cut-s", "20", "--hang"),
        ("--cut-s", "5", "--hang"),
        300,
        180,
        _db_outage,
    ),
    Drill(
        "broker_live", "broker_kill_live.py", ("2000", "20", "5"), ("2000", "8", "3"), 180, 120, _broker_live
    ),
    Drill("broker_kill", "broker_kill.py", ("2000", "10"), ("2000", "3"), 300, 120, _broker_kill),
    Drill("reconnect", "reconnect.py", ("5",), ("5",), 120, 120, _reconnect),
    Drill("fuzz", "fuzz.py", ("100000", "1"), ("10000", "1"), 600, 180, _fuzz),
    Drill("soak", "soak.py", ("--minutes", "30"), ("--minutes", "1"), 2400, 240, _soak),
    Drill("audit_tail", "drill_audit_tail.py", (), ("--entries", "50"), 180, 120, _audit_tail),
    Drill("duty_failover", "drill_duty_failover.py", (), (), 300, 180, _duty_failover),
    Drill("restart_trends", "restart_trends.py", (), ("--channels", "40"), 300, 180, _restart_trends),
)


def last_figures(output: str) -> Figures:
    """The key=value pairs of the last line that has any."""
    for line in reversed(output.splitlines()):
        found = dict(KV.findall(line))
        if found:
            return found
    return {}


def run(drill: Drill, quick: bool) -> tuple[str, str, bool, float]:
    """(figure name, figure, passed, seconds); a drill that fails to run says how in its figure."""
    script = HERE / drill.script
    started = time.monotonic()
    command = [sys.executable, str(script), *(drill.quick if quick else drill.full)]
    timeout = drill.timeout_quick_s if quick else drill.timeout_full_s
    try:
        done = subprocess.run(
            command, cwd=HERE.parent, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout", f"{timeout:.0f} s", False, time.monotonic() - started
    elapsed = time.monotonic() - started
    figures = last_figures(done.stdout)
    if done.returncode != 0 or not figures:
        tail = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or ["no output"])[-1]
        return "failed", f"rc={done.returncode}: {tail[:160]}", False, elapsed
    name, figure, passed = drill.judge(figures)
    return name, figure, passed, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="short versions of every drill")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these drills only")
    args = parser.parse_args()
    summary: list[str] = []
    passed = failed = 0
    for drill in DRILLS:
        if args.only and drill.name not in args.only:
            continue
        if not (HERE / drill.script).exists():
            print(f"{drill.name:<15} skipped   ({drill.script} is not here)", flush=True)
            summary.append(f"{drill.name}=skipped")
            continue
        name, figure, ok, seconds = run(drill, args.quick)
        passed += ok
        failed += not ok
        print(
            f"{drill.name:<15} {'PASS' if ok else 'FAIL':<9} {name}={figure}  [{seconds:.0f} s]", flush=True
        )
        summary.append(f"{drill.name}_{name}={figure.split()[0]}")
    print(
        f"drills={passed + failed} passed={passed} failed={failed} quick={int(args.quick)} "
        + " ".join(summary)
    )


if __name__ == "__main__":
    main()
