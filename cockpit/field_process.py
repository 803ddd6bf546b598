"""The field process: the field core in a process of its own, answering the window over a pipe.

Spawned by the window (``cockpit.field_link.FieldProcess``, through ``cockpit.field_params``, so
that the window's process never imports the core); nothing of Qt runs here. Its main thread waits
for ``("start", FieldLinkParams)``, starts a ``CockpitCore`` whose listener is the update builder
writing to the pipe from the core thread (both in ``cockpit/live_feed.py``), then serves the window's
calls, and every ``PUMP_S`` (on a deadline: a stream of calls does not postpone it) queues the
writer's flush and the builder's tick on the core thread. When the window's end of the pipe closes,
on ``stop`` or on SIGTERM, the core stops in order (offline health, the journal flushed)
and the last word is ``bye``.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import time
from concurrent.futures import Future
from typing import Any

from cockpit.core import CockpitCore
from cockpit.field_params import FieldLinkParams
from cockpit.gil import share_gil_in_core_process
from cockpit.live_feed import SEND_BUFFER, PipeWriter, Update, UpdateBuilder
from cockpit.sessions import SessionKeys
from models.errors import UserError

log = logging.getLogger(__name__)

PUMP_S = 0.1  # the main thread queues the builder's tick this often (held values, the board)
# What the GUI may ask of the field process: the operator's acts, nothing else.
CALLS = frozenset(
    {
        "acknowledge",
        "shelve",
        "unshelve",
        "set_out_of_service",
        "clear_event",
        "stop_work",
        "resume_work",
        "publish_permit_state",
        "follow_register",  # a register change committed in the window (cockpit/register_live.py)
    }
)


def _reply_payload(exc: BaseException) -> BaseException:
    """``exc`` if it crosses the pipe intact, else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def field_process_main(conn: Any) -> None:
    """The field process: wait for its parameters, run the core, answer calls until told to stop."""
    try:
        first = conn.recv()
    except (EOFError, OSError):
        return
    if not (isinstance(first, tuple) and first[0] == "start"):
        return
    params: FieldLinkParams = first[1]
    import signal
    from pathlib import Path

    # Ctrl+C in a terminal reaches the whole process group: the window stops this process in order
    # (its pipe), so the key is not ours. SIGTERM stops the core in order too (offline health).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_in_order)

    from cockpit.logs import setup_logging
    from connectors.database import open_database

    setup_logging(
        params.config, log_dir=Path(params.log_dir) if params.log_dir else None, file_name="field-link.log"
    )
    writer = PipeWriter(conn)
    log.info(
        "pipe to the window: %d KiB send buffer granted (asked for %d KiB; Linux caps it by "
        "net.core.wmem_max); the update builder merges once it is full",
        writer.send_buffer // 1024,
        SEND_BUFFER // 1024,
    )
    builder = UpdateBuilder(lambda update: _send_update(writer, update), writer.busy)
    try:
        db = open_database(params.db_url, upgrade=False)
        share_gil_in_core_process()
        core = CockpitCore(
            params.config,
            db,
            console=params.console,
            broker_url=params.broker_url,
            username=params.username,
            password=params.password,
            listener=builder.on_delta,
            sessions=SessionKeys(params.session_secret),
        )
        builder.core = core
        core.store.enable_export()
        core.start()
    except UserError as exc:
        writer.send(("failed", str(exc)))
        return
    except Exception as exc:
        log.exception("field link: start failed")
        writer.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    # After core.start(): the core thread may already have sent updates before this. The window applies
    # updates whenever they come; ``ready`` only tells it (``wait_ready``) that the core runs.
    writer.send(("ready",))
    log.info("field link process running for console %s", core.console)
    try:
        _serve_calls(core, conn, writer, builder)
    finally:
        core.stop()
        db.dispose()
        with contextlib.suppress(OSError):
            writer.send(("bye",))
            _drain(writer)
        writer.close()
        log.info(
            "field link process stopped: %d messages to the window, %.0f KB on average, the largest %.0f KB; "
            "%d times an update waited for the window to read",
            writer.frames,
            writer.sent_bytes / max(1, writer.frames) / 1024,
            writer.largest / 1024,
            builder.held,
        )


def _send_update(writer: PipeWriter, update: Update) -> None:
    """The core thread's transport: into the pipe, or dropped once the window has gone."""
    with contextlib.suppress(OSError):  # the main thread sees the pipe close and stops the core
        writer.send(("update", update))


def _drain(writer: PipeWriter, timeout: float = 2.0) -> None:
    """Give the window a moment to read our last words (``bye``, the last replies)."""
    deadline = time.monotonic() + timeout
    while writer.busy() and not writer.broken and time.monotonic() < deadline:
        time.sleep(0.01)
        writer.flush()


def _exit_in_order(signum: int, frame: Any) -> None:
    raise SystemExit(0)  # unwinds to field_process_main's finally: the core stops as on "stop"


def _serve_calls(core: CockpitCore, conn: Any, writer: PipeWriter, builder: UpdateBuilder) -> None:
    """The main thread: the window's calls, and every ``PUMP_S`` the writer's flush and the builder's
    tick on the core thread, on a deadline: calls coming faster than that never postpone them."""
    next_tick = time.monotonic() + PUMP_S
    while True:
        now = time.monotonic()
        if now >= next_tick:
            core.call(writer.flush)  # first: the rest of an update the window had no room for ...
            core.call(builder.tick)  # ... so that the tick finds the outbox empty if it can be
            next_tick = now + PUMP_S
            continue
        try:
            if not conn.poll(next_tick - now):
                continue
            message = conn.recv()
        except (EOFError, OSError):
            log.warning("field link: the GUI process is gone; stopping")
            return
        if message[0] == "stop":
            return
        if message[0] == "call":
            _serve_call(core, writer, *message[1:])


def _serve_call(
    core: CockpitCore, writer: PipeWriter, call_id: int, name: str, args: Any, kwargs: Any
) -> None:
    def reply(ok: bool, value: Any) -> None:
        try:
            writer.send(("reply", call_id, ok, value if ok else _reply_payload(value)))
        except OSError:
            pass  # the window is gone: the main thread sees its end close and stops
        except Exception as exc:  # the answer does not pickle: the window's future must still resolve
            log.error("field link: the answer to %s could not be sent: %s: %s", name, type(exc).__name__, exc)
            failed = RuntimeError(_one_line(f"the field process could not send its answer to {name}: {exc}"))
            with contextlib.suppress(OSError):
                writer.send(("reply", call_id, False, failed))

    if name not in CALLS:
        reply(False, ValueError(f"the field link has no call {name!r}"))
        return
    try:
        result = getattr(core, name)(*args, **kwargs)
    except Exception as exc:  # not SystemExit: a SIGTERM arriving now still stops the process
        reply(False, exc)
        return
    if isinstance(result, Future):

        def done(fut: Future[Any]) -> None:
            exc = fut.exception()
            reply(exc is None, fut.result() if exc is None else exc)

        result.add_done_callback(done)
    else:
        reply(True, result)


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
