"""The one gate every person's act on the core goes through: the session checked, then the act.

``CockpitCore``'s acts (acknowledge, shelve, unshelve, out of service, clear event, stop, resume) take
the ``LoginSession`` a console got at its login, whichever shape carried it here (the in-process core,
or the field process, which receives it through the pipe and has the database). The gate:

1. checks the MAC at once, on the caller's thread (no database): a made-up, altered or foreign
   session is refused before anything else happens;
2. reads the user from the database on a thread of its own (never the GUI's, never the core's: a hung
   PostgreSQL answers nothing for 40 s and more), and refuses a user removed, disabled or given another
   role since the login;
3. hands the act, with the ``VerifiedActor`` the database gave, to the core thread.

Acts that must go on while the database is away (stopping, and the alarm acts, which keep their
records in the outbox) are carried out with the identity the session signed when the database cannot
be read, or has not answered within ``CHECK_WAIT_S``: the login checked that user against the database,
and stopping work is the safe direction. A resume needs the database anyway and is refused without it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from cockpit.sessions import (
    DATABASE_UNAVAILABLE,
    SessionKeys,
    SessionRefused,
    VerifiedActor,
    verify_session,
)
from connectors.database import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

# Acts that go on with the signed identity while the database cannot say who the user is now.
OFFLINE_ACTS = frozenset(
    {"stop_work", "acknowledge", "shelve", "unshelve", "set_out_of_service", "clear_event"}
)
CHECK_WAIT_S = 0.5  # as long as a stop waits for its claim (cockpit/db_records.StopClaims)


class ActGate:
    """Session in, verified actor to the core thread (module docstring). Any thread may call ``act``."""

    def __init__(
        self,
        db: Database,
        keys: SessionKeys,
        run: Callable[[Callable[[], Any]], Future[Any]],
        db_down: Callable[[], bool] = lambda: False,
    ) -> None:
        self.db = db
        self.keys = keys
        self._run = run  # CockpitCore.call: onto the core thread
        self._db_down = db_down
        self._checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cockpit-sessions")
        self.refused = 0

    def close(self) -> None:
        self._checks.shutdown(wait=False, cancel_futures=True)

    def act(self, session: object, name: str, act: Callable[[VerifiedActor], T]) -> Future[T]:
        """``act(actor)`` on the core thread once ``session`` is verified; the future carries its result
        or the refusal (``SessionRefused``)."""
        out: Future[T] = Future()
        try:
            signed = self.keys.signed_actor(session)  # the MAC: a made-up session costs no database read
        except SessionRefused as exc:
            self._refuse(out, name, exc)
            return out
        offline = name in OFFLINE_ACTS
        if offline and self._db_down():  # records already wait for the database: do not wait for it
            log.warning("%s by %s: the database is unreachable, acting on the login", name, signed.username)
            self._go(out, act, signed)
            return out
        decided = threading.Lock()
        state = {"done": False}

        def once() -> bool:
            with decided:
                first = not state["done"]
                state["done"] = True
                return first

        def checked(check: Future[VerifiedActor]) -> None:
            try:
                actor = check.result()
            except SessionRefused as exc:
                if once():
                    self._refuse(out, name, exc)
                else:
                    log.warning(
                        "%s by %s was carried out before its refusal came: %s", name, signed.username, exc
                    )
                return
            except Exception as exc:  # the database could not be read
                if not once():
                    return
                if offline:
                    log.warning(
                        "%s by %s: the user cannot be read (%s), acting on the login",
                        name,
                        signed.username,
                        exc,
                    )
                    self._go(out, act, signed)
                else:
                    self._refuse(out, name, SessionRefused(DATABASE_UNAVAILABLE, user=signed.username))
                return
            if once():
                self._go(out, act, actor)

        check = self._checks.submit(verify_session, self.db, self.keys, session)
        if offline:

            def late() -> None:
                if not check.done() and once():
                    log.warning(
                        "%s by %s: the database is slow to answer, acting on the login", name, signed.username
                    )
                    self._go(out, act, signed)

            timer = threading.Timer(CHECK_WAIT_S, late)
            timer.daemon = True
            timer.start()
            check.add_done_callback(lambda _f: timer.cancel())
        check.add_done_callback(checked)
        return out

    def _go(self, out: Future[T], act: Callable[[VerifiedActor], T], actor: VerifiedActor) -> None:
        inner = self._run(lambda: act(actor))

        def copy(done: Future[Any]) -> None:
            if not out.set_running_or_notify_cancel():
                return
            exc = done.exception()
            if exc is None:
                out.set_result(done.result())
            else:
                out.set_exception(exc)

        inner.add_done_callback(copy)

    def _refuse(self, out: Future[Any], name: str, exc: SessionRefused) -> None:
        self.refused += 1
        log.warning("%s refused: %s", name, exc)
        if out.set_running_or_notify_cancel():
            out.set_exception(exc)


def flatten(outer: Future[Future[T]]) -> Future[T]:
    """An act that answers with a future of its own (a resume: recorded on the database worker, then
    sent on the core thread): one future that settles when the inner one does."""
    out: Future[T] = Future()

    def outer_done(f: Future[Future[T]]) -> None:
        if (exc := f.exception()) is not None:
            out.set_exception(exc)
        else:
            f.result().add_done_callback(lambda inner: settle(out, inner))

    outer.add_done_callback(outer_done)
    return out


def settle(out: Future[T], done: Future[T]) -> None:
    """``out`` ends as ``done`` ended: its result or its exception."""
    if (exc := done.exception()) is not None:
        out.set_exception(exc)
    else:
        out.set_result(done.result())
