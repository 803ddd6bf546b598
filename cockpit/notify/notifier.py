"""The notifier: priority-1 alarms, unacknowledged alarms, approval escalations and overdue reviews,
sent to the people responsible by e-mail and chat robots (docs/NOTIFICATIONS.md).

Never in the way of the alarm path: the core thread only calls :meth:`Notifier.add`, which appends the
batch's transitions to a bounded deque: no lock, no waiting, no wake-up call (a full deque drops the
batch and counts it). A ``queue.Queue`` would take a lock the worker also holds, and a thread waiting
on a lock held by a thread that lost the interpreter waits out a switch interval (DEVELOPERS.md).
The permit timers, on the database worker, hand the escalation steps and the overdue green-channel
reviews they have just recorded to :meth:`Notifier.escalated` the same way (paperwork, never alarms:
docs/ALARMS.md).
Everything else runs on the notifier's own thread: deciding what deserves a notice
(``cockpit/notify/notices.py``), routing it by role and site, writing it in the route's language
(``texts.py``), reading secrets from the keyring and sending (``channels.py``), with a bounded retry
and back-off. What happened is published as one dict swapped whole (:meth:`snapshot`), which the
core's health carries to diagnostics: counts and the last error as a code, never a secret.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cockpit.config import Config, NotifyConfig
from cockpit.notify.channels import Outgoing, SecretReader, Sender, SendFailed, build_sender
from cockpit.notify.notices import Notice, NoticeBook, NoticeRules
from cockpit.notify.texts import PlantNames, render
from cockpit.permits.records import Escalation
from cockpit.permits.review import ReviewOverdue
from cockpit.wire import epoch_ms
from models.alarms import AlarmTransition

if TYPE_CHECKING:
    from connectors.database import Database

log = logging.getLogger(__name__)

POLL_S = 0.25  # how often the worker looks at its inboxes and the unacknowledged timers
NAMES_RETRY_S = 60.0  # a site or area the names lack makes a new read at most this often


@dataclass(order=True)
class _Delivery:
    due: float  # time.monotonic() of the next attempt
    seq: int
    channel: str = field(compare=False)
    message: Outgoing = field(compare=False)
    attempts: int = field(default=0, compare=False)


@dataclass
class _ChannelCount:
    sent: int = 0
    failed: int = 0
    last_error: str = ""


def rules_from(config: Config) -> NoticeRules:
    n = config.notify
    return NoticeRules(
        priority1_roles=tuple(n.priority1_roles),
        unacked_roles=tuple(n.unacked_roles),
        unacked_after=timedelta(minutes=n.unacked_after_min),
        unacked_priorities=frozenset(n.unacked_priorities),
        review_roles=tuple(n.review_roles),
        review_escalate_roles=tuple(n.review_escalate_roles),
        review_conditions=frozenset(n.review_conditions),
    )


def keyring_secrets(account: str) -> str | None:
    """The keyring's ``notify ACCOUNT`` (connectors/secrets.py: never a plain-text store)."""
    from connectors.secrets import get_secret

    return get_secret("notify", account)


def core_notifier(
    config: Config, db: Database, clock: Callable[[], datetime], duty: Callable[[], bool] = lambda: True
) -> Notifier:
    """The notifier as the core wires it: names from the database, keys from the keyring; it tells
    only while ``duty`` says this instance holds the plant's duties (cockpit/duty_lease.py)."""
    return Notifier(config, clock=clock, plant_names=plant_names_from(db, config), duty=duty)


def plant_names_from(db: Database, config: Config) -> Callable[[], PlantNames]:
    """A reader of the plant's names and zones from the database (the configuration's zone wins)."""

    def read() -> PlantNames:
        from cockpit.plant_reads import PlantReads

        sites = PlantReads(db).sites()
        zones = {s.site_id: s.timezone for s in sites}
        zones.update({sid: s.timezone for sid, s in config.sites.items()})
        return PlantNames(
            plant=config.plant_title,
            sites={s.site_id: s.name for s in sites},
            areas={(a.site_id, a.area_id): a.name for s in sites for a in s.areas},
            timezones=zones,
        )

    return read


class Notifier:
    """A core service with a thread of its own (module docstring). Off without routes."""

    def __init__(
        self,
        config: Config,
        *,
        clock: Callable[[], datetime],
        plant_names: Callable[[], PlantNames] | None = None,
        secrets: SecretReader = keyring_secrets,
        wall_clock: Callable[[], float] = time.time,
        duty: Callable[[], bool] = lambda: True,
    ) -> None:
        self.settings: NotifyConfig = config.notify
        self.duty = duty  # one instance tells, the duty holder: never one notice per console
        self.language = config.general.language
        self.clock = clock
        self.enabled = self.settings.enabled and bool(self.settings.routes)
        self._book = NoticeBook(rules_from(config))
        self._names_reader = plant_names
        self._names = PlantNames(plant=config.plant_title)
        self._names_read_at: float | None = None
        self._senders: dict[str, Sender] = {
            name: build_sender(name, ch, secrets, self.settings.timeout_s, wall_clock)
            for name, ch in self.settings.channels.items()
        }
        self._inbox: deque[Sequence[AlarmTransition]] = deque()  # core appends, worker pops: no lock
        # the permit timers append (approval steps, overdue reviews), likewise
        self._escalations: deque[Sequence[Escalation | ReviewOverdue]] = deque()
        self._outbox: list[_Delivery] = []  # a heap by due time, worker thread only
        self._seq = itertools.count()
        self._counts = {name: _ChannelCount() for name in self._senders}
        self._totals = {"notices": 0, "sent": 0, "failed": 0, "retries": 0, "overflow": 0}
        self._last_error = ""
        self._last_error_at: datetime | None = None
        self._dropped = 0  # written by the core thread only
        self._dropped_escalations = 0  # written by the database worker only
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._published: dict[str, Any] = {}
        self._publish()

    # --- the core thread --------------------------------------------------------------------------------

    def add(self, transitions: Sequence[AlarmTransition]) -> None:
        """Core thread: hand the batch over, O(1), never waiting; a full inbox drops it (counted)."""
        if not self.enabled or not self.duty():
            return
        if len(self._inbox) >= self.settings.queue_size:
            self._dropped += len(transitions)
            return
        self._inbox.append(transitions)

    def escalated(self, escalations: Sequence[Escalation | ReviewOverdue]) -> None:
        """Database worker, after the permit timers committed these new steps (a late approval's, or a
        green-channel review overdue): hand them over, O(1), never waiting; a full inbox drops them
        (counted; the steps stay recorded, not notified)."""
        if not self.enabled or not escalations or not self.duty():
            return
        if len(self._escalations) >= self.settings.queue_size:
            self._dropped_escalations += len(escalations)
            return
        self._escalations.append(escalations)

    def snapshot(self) -> dict[str, Any]:
        """From any thread: what the worker published last (one dict swapped whole) and the drops."""
        return {**self._published, "dropped": self._dropped + self._dropped_escalations}

    # --- life cycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        if not self.enabled or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="cockpit-notify", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ends the worker after the send in progress; messages still waiting are not sent."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # --- the worker thread --------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._step()
            except Exception:  # a bug here must never end the notifier silently: log it, go on
                log.exception("notifier step failed; carrying on")
                self._error("internal", None)
                self._stopping.wait(POLL_S)

    def _step(self) -> None:
        notices: list[Notice] = []
        inbox, escalations = self._inbox, self._escalations
        while inbox:
            notices += self._book.on_transitions(inbox.popleft())
        while escalations:
            notices += self._book.on_escalations(escalations.popleft())
        notices += self._book.due(self.clock())
        for notice in notices:
            self._enqueue(notice)
        self._send_due()
        self._publish()
        wait = POLL_S
        if self._outbox:
            wait = max(0.0, min(wait, self._outbox[0].due - time.monotonic()))
        self._stopping.wait(wait)

    def _enqueue(self, notice: Notice) -> None:
        """Route one notice: per channel and language one message (a chat group hears it once),
        with every address of the routes that matched for mail."""
        self._totals["notices"] += 1
        site = notice.site
        grouped: dict[tuple[str, str], list[str]] = {}
        for route in self.settings.routes.values():
            if route.role not in notice.roles or (route.sites and site not in route.sites):
                continue
            if route.kinds and notice.kind not in route.kinds:
                continue
            for channel in route.channels:
                to = grouped.setdefault((channel, route.language or self.language), [])
                to.extend(a for a in route.to if a not in to)
        if not grouped:
            return
        names = self._plant_names(site, notice.area)
        for (channel, language), to in grouped.items():
            subject, text = render(notice, names, language)
            if len(self._outbox) >= self.settings.queue_size:
                self._totals["overflow"] += 1
                continue
            message = Outgoing(subject, text, tuple(to))
            heapq.heappush(self._outbox, _Delivery(time.monotonic(), next(self._seq), channel, message))

    def _plant_names(self, site: str, area: str) -> PlantNames:
        reader = self._names_reader
        stale = self._names_read_at is None or (
            not self._names.knows(site, area) and time.monotonic() - self._names_read_at >= NAMES_RETRY_S
        )
        if reader is not None and stale:
            self._names_read_at = time.monotonic()
            try:
                self._names = reader()
            except Exception:  # the database away: ids instead of names, the message still goes
                log.warning("notifier: plant names could not be read; sending ids", exc_info=True)
        return self._names

    def _send_due(self) -> None:
        while self._outbox and self._outbox[0].due <= time.monotonic() and not self._stopping.is_set():
            delivery = heapq.heappop(self._outbox)
            delivery.attempts += 1
            try:
                self._senders[delivery.channel].send(delivery.message)
            except SendFailed as exc:
                self._failed(delivery, exc.code)
            except Exception:
                log.exception("notifier: channel %s failed unexpectedly", delivery.channel)
                self._failed(delivery, "internal")
            else:
                self._totals["sent"] += 1
                self._counts[delivery.channel].sent += 1

    def _failed(self, delivery: _Delivery, code: str) -> None:
        settings = self.settings
        self._error(code, delivery.channel)
        log.warning("notifier: channel %s attempt %d failed: %s", delivery.channel, delivery.attempts, code)
        if delivery.attempts < settings.attempts:
            self._totals["retries"] += 1
            backoff = min(settings.retry_base_s * 2 ** (delivery.attempts - 1), settings.retry_max_s)
            delivery.due = time.monotonic() + backoff
            heapq.heappush(self._outbox, delivery)
        else:
            self._totals["failed"] += 1
            self._counts[delivery.channel].failed += 1

    def _error(self, code: str, channel: str | None) -> None:
        self._last_error = code
        self._last_error_at = self.clock()
        if channel is not None:
            self._counts[channel].last_error = code

    def _publish(self) -> None:
        """Worker thread: the state readers see, as one new dict (no lock on the core's side)."""
        self._published = {
            "enabled": self.enabled,
            **self._totals,
            "pending": len(self._outbox) + len(self._inbox) + len(self._escalations),
            "last_error": self._last_error,
            "last_error_at": None if self._last_error_at is None else epoch_ms(self._last_error_at),
            "channels": {
                name: {"sent": c.sent, "failed": c.failed, "last_error": c.last_error}
                for name, c in self._counts.items()
            },
        }
