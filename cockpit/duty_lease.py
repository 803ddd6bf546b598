"""The plant's duties held once: a lease row in the shared database, renewed every second, with fencing.

Automatic stop-work, permit escalation, replies to the field's applications and notifications must
run in exactly one place, and keep running when the consoles are closed (issue 19). Every ``serve``
(and a console, as a fallback) runs a ``DutyKeeper``: a thread that every ``RENEW_S`` renews the lease
it holds, or takes it once it has expired. The lease is one row of ``duty_leases``; every move is one
``UPDATE ... WHERE`` (atomic on SQLite and PostgreSQL), judged by the *database's* clock, so the
machines' clocks never matter:

* take:   ``WHERE expires_ms < now``: the holder becomes me and ``token`` grows by one, the fencing
  token, written on the stop's audit entry (a console leaves a lease a serve asked for to that serve
  for ``YIELD_GRACE_MS``);
* renew:  ``WHERE holder = me AND token = mine`` (and, for a console that yields, nobody asked);
* ask:    a serve asks a console holding the lease to hand it over (``wanted_by``); the console stops
  its duties first, then releases; the serve takes it at its next step.

The holder believes it holds the lease until ``LEASE_S - MARGIN_S`` after the start of its last
successful renewal (by its own monotonic clock, which starts before the database's ``now`` of that
renewal), so it stops its duties before anyone else may take them. A renewal refused (someone else
holds it) stops them at once.

Stopping is the safe direction: an instance the database has not answered for as long as a holder
keeps a lease (unreachable, hung) carries the duties out itself (``acting``), each stop with the same
command id (cockpit/stopwork.py), rather than nobody: a holder cut off from the database carries on
without a gap. So "never two stops" holds while the database answers; during a database outage the
field may receive one stop per instance, with one id, and each instance answers applications (with
``database_unavailable``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, insert, literal_column, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from cockpit.config import Config
from connectors.database import Database
from models.schema import DutyLease

log = logging.getLogger(__name__)

DUTIES = "duties"  # one lease for all of the plant's duties
LEASE_S = 3.0  # a dead holder is replaced after at most LEASE_S + RENEW_S (goal: 5 s)
RENEW_S = 1.0
MARGIN_S = 0.5  # the holder stops this long before its lease may be taken
YIELD_GRACE_MS = 5000  # a lease a serve asked for is left to serves this long after it was handed over
ROLES = ("hold", "auto", "serve")  # [general] duties; `serve` runs with "hold"

_NOW_MS = {
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
}


@dataclass(frozen=True)
class Holder:
    """Who I am in the lease row: unique per process start."""

    id: str
    host: str
    pid: int
    kind: str  # hold | auto

    @classmethod
    def here(cls, name: str, kind: str) -> Holder:
        host, pid = socket.gethostname(), os.getpid()
        return cls(f"{name}@{host}:{pid}:{uuid.uuid4().hex[:8]}"[:255], host[:255], pid, kind)


@dataclass(frozen=True)
class LeaseView:
    """The lease row as read, with the database's clock at the read."""

    holder: str
    host: str
    pid: int
    kind: str
    token: int
    acquired_ms: int
    renewed_ms: int
    expires_ms: int
    now_ms: int
    wanted_by: str | None

    @property
    def alive(self) -> bool:
        return bool(self.holder) and self.expires_ms >= self.now_ms

    @property
    def held_s(self) -> float:
        return max(0.0, (self.now_ms - self.acquired_ms) / 1000.0)

    @property
    def renewed_s(self) -> float:
        return max(0.0, (self.now_ms - self.renewed_ms) / 1000.0)


class LeaseStore:
    """The SQL of the lease: each move one statement in one transaction (module docstring)."""

    def __init__(self, db: Database, duty: str = DUTIES, lease_s: float = LEASE_S) -> None:
        self.db = db
        self.duty = duty
        self.lease_ms = int(lease_s * 1000)
        self._row_exists = False

    def _now(self) -> ColumnElement[int]:
        return literal_column(_NOW_MS.get(self.db.dialect, _NOW_MS["postgresql"]))

    def _ensure_row(self) -> None:
        if self._row_exists:
            return
        try:
            with self.db.session() as session:
                if session.get(DutyLease, self.duty) is None:
                    session.execute(
                        insert(DutyLease).values(
                            duty=self.duty,
                            holder="",
                            host="",
                            pid=0,
                            kind="",
                            yields=False,
                            token=0,
                            acquired_ms=0,
                            renewed_ms=0,
                            expires_ms=0,
                        )
                    )
        except IntegrityError:
            pass  # another instance inserted it at the same moment
        self._row_exists = True

    def _update(self, where: list[Any], values: dict[str, Any]) -> int | None:
        """One UPDATE of the row; the token after it when a row changed, else None."""
        stmt = update(DutyLease).where(DutyLease.duty == self.duty, *where).values(**values)
        with self.db.session() as session:
            result = cast(
                CursorResult[Any], session.execute(stmt.execution_options(synchronize_session=False))
            )
            if result.rowcount != 1:
                return None
            return int(session.scalar(select(DutyLease.token).where(DutyLease.duty == self.duty)) or 0)

    def take(self, me: Holder) -> int | None:
        """The lease if it has expired; a console leaves one a serve asked for to the serves a while."""
        self._ensure_row()
        now = self._now()
        where: list[Any] = [DutyLease.expires_ms < now]
        if me.kind == "auto":
            where.append(or_(DutyLease.wanted_by.is_(None), DutyLease.expires_ms < now - YIELD_GRACE_MS))
        return self._update(
            where,
            {
                "holder": me.id,
                "host": me.host,
                "pid": me.pid,
                "kind": me.kind,
                "yields": me.kind == "auto",
                "wanted_by": None,
                "token": DutyLease.token + 1,
                "acquired_ms": now,
                "renewed_ms": now,
                "expires_ms": now + self.lease_ms,
            },
        )

    def renew(self, me: Holder, token: int) -> bool:
        where: list[Any] = [DutyLease.holder == me.id, DutyLease.token == token]
        if me.kind == "auto":
            where.append(DutyLease.wanted_by.is_(None))
        now = self._now()
        return self._update(where, {"renewed_ms": now, "expires_ms": now + self.lease_ms}) is not None

    def release(self, me: Holder, token: int, *, to_serve: bool = False) -> bool:
        """Hand the lease back at once: the holder stops in order, or (``to_serve``) a serve asked."""
        now = self._now()
        where = [DutyLease.holder == me.id, DutyLease.token == token]
        values: dict[str, Any] = {"expires_ms": now - 1}
        if not to_serve:
            values["wanted_by"] = None
        return self._update(where, values) is not None

    def ask(self, me: Holder) -> bool:
        """A serve asks a console that holds the lease (and yields) to hand it over."""
        where = [
            DutyLease.yields.is_(True),
            DutyLease.wanted_by.is_(None),
            DutyLease.expires_ms >= self._now(),
        ]
        return self._update(where, {"wanted_by": me.id}) is not None

    def read(self) -> LeaseView | None:
        self._ensure_row()
        with self.db.session() as session:
            row = session.execute(
                select(
                    DutyLease.holder,
                    DutyLease.host,
                    DutyLease.pid,
                    DutyLease.kind,
                    DutyLease.token,
                    DutyLease.acquired_ms,
                    DutyLease.renewed_ms,
                    DutyLease.expires_ms,
                    self._now(),
                    DutyLease.wanted_by,
                ).where(DutyLease.duty == self.duty)
            ).first()
        if row is None:
            return None
        holder, host, pid, kind, token, acquired, renewed, expires, now, wanted_by = row
        return LeaseView(holder, host, pid, kind, token, acquired, renewed, expires, int(now), wanted_by)


class DutyKeeper:
    """Holds (or watches) the duty lease on a thread of its own; the core's services ask it before a
    duty. Its state is a few attributes the keeper thread swaps and any thread reads."""

    def __init__(
        self,
        store: LeaseStore | None,
        holder: Holder,
        *,
        lease_s: float = LEASE_S,
        renew_s: float = RENEW_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.me = holder
        self.lease_s = lease_s
        self.renew_s = renew_s
        self.monotonic = monotonic
        self._token: int | None = None
        self._valid_until = -1.0
        self._last_contact = -1.0  # when the database last answered the keeper
        self._step_started: float | None = None  # a step waiting for the database
        self._failing = False  # the last step found the database unreachable
        self.view: LeaseView | None = None
        self.takeovers = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def takes_part(self) -> bool:
        return self.store is not None and self.me.kind in ("hold", "auto")

    # --- what the duties ask (any thread) --------------------------------------------------------------

    def holds(self) -> bool:
        """True while this instance holds the lease: the duties that need the database run. Without a
        lease store (a tool, a bench) the instance runs every duty itself."""
        if self.store is None:
            return True
        return self._token is not None and self.monotonic() < self._valid_until

    def acting(self) -> bool:
        """Whether this instance carries out the duties now: it holds the lease, or the database has not
        answered it for as long as a holder keeps a lease (then nobody can know who holds: stopping is
        the safe direction, and a holder cut off from the database carries on without a gap)."""
        if self.holds():
            return True
        # Only while the keeper is trying: a process that stood still (SIGSTOP, a debugger) and a
        # keeper that no longer runs never count as a silent database.
        trying = self._failing or self._step_started is not None
        return trying and self.monotonic() - self._last_contact > self.lease_s - MARGIN_S

    def token(self) -> int | None:
        """The fencing token of the lease held now, for the records a duty writes."""
        return self._token if self.holds() else None

    def describe(self) -> dict[str, Any]:
        """For the health (contract §11) and diagnostics: who holds the duties, for how long."""
        view = self.view
        silent = self.monotonic() - self._last_contact if self._last_contact >= 0 else None
        out: dict[str, Any] = {
            "role": self.me.kind,
            "me": self.holds(),
            "db_silent_s": None if silent is None or silent < self.lease_s else round(silent, 1),
        }
        if view is not None:
            out.update(
                holder=view.holder.split("@", 1)[0] if view.holder else "",
                host=view.host,
                pid=view.pid,
                token=view.token,
                alive=view.alive,
                held_s=round(view.held_s, 1) if view.alive else None,
                renewed_s=round(view.renewed_s, 1),
            )
        return out

    # --- life cycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        """One step now (a holder holds before the core's thread runs), then one every ``renew_s``."""
        if self.store is None or self._thread is not None:
            return
        self._stopping.clear()
        self.step()
        self._thread = threading.Thread(target=self._run, name="cockpit-duty", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """In order: the duties end here, then the lease goes back, so another takes it at once."""
        self._stopping.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=self.lease_s)
        token, self._token = self._token, None
        if token is None or self.store is None or (thread is not None and thread.is_alive()):
            return  # nothing held, or the database hangs the keeper: the lease expires by itself
        store = self.store
        done = threading.Event()

        def release() -> None:
            try:
                store.release(self.me, token)
                log.info("duty lease %d handed back", token)
            except SQLAlchemyError as exc:
                log.warning("duty lease %d could not be handed back (%s); it expires by itself", token, exc)
            done.set()

        # A hung database must not hold the program's stop: at most a second, then it expires by itself.
        threading.Thread(target=release, name="cockpit-duty-release", daemon=True).start()
        done.wait(1.0)

    def abandon(self) -> None:
        """Stop renewing without handing the lease back: what a killed process leaves (tests, drills).
        The core still runs; the lease lapses and its duties stop here before anyone may take them."""
        self._stopping.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=self.lease_s)

    def _run(self) -> None:
        while not self._stopping.wait(self.renew_s):
            self.step()

    def step(self) -> None:
        """Renew or take the lease, then read who holds it. Never raises."""
        store = self.store
        if store is None:
            return
        started = self._step_started = self.monotonic()
        try:
            if self._token is not None:
                self._renew(store, started)
            if self._token is None and self.takes_part and not self._stopping.is_set():
                self._take(store, started)
            self.view = store.read()
            self._last_contact = self.monotonic()
            self._failing = False
        except SQLAlchemyError as exc:
            self._failing = True
            log.warning("duty lease: the database did not answer (%s)", str(exc).splitlines()[0])
        finally:
            self._step_started = None

    def _renew(self, store: LeaseStore, started: float) -> None:
        token = self._token
        assert token is not None
        if store.renew(self.me, token):
            self._valid_until = started + self.lease_s - MARGIN_S
            return
        self._token = None  # the duties stop now, before anything else
        log.warning("duty lease %d lost: another instance holds the duties, or a serve asked for them", token)
        view = store.read()
        if view is not None and view.holder == self.me.id and view.token == token:
            store.release(self.me, token, to_serve=True)  # asked by a serve: hand over
            log.info("duty lease %d handed to %s", token, view.wanted_by)

    def _take(self, store: LeaseStore, started: float) -> None:
        token = store.take(self.me)
        if token is not None:
            self._valid_until = started + self.lease_s - MARGIN_S
            self._token = token
            self.takeovers += 1
            log.warning("duty lease %d taken: this instance (%s) runs the plant's duties", token, self.me.id)
        elif self.me.kind == "hold":
            store.ask(self.me)  # a console holds them: it hands them over at its next renewal


def duty_keeper(config: Config, db: Database, console: str) -> DutyKeeper:
    """The keeper as the core wires it: ``[general] duties`` says the role (a serve runs "hold")."""
    return DutyKeeper(LeaseStore(db), Holder.here(console, config.general.duties))
