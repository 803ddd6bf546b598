"""The topic table: every topic of the field contract and of the consoles' own traffic, in one place.

The decoder routes an incoming topic by it (``Topics.route``), a console subscribes by it
(``Topics.field_subscriptions``) and builds the topics it publishes from it (``Topics.stop_work`` …),
so the documentation (docs/mqtt-cockpit-topics.md), the decoder and the publishers cannot drift apart.
``cockpit.wire`` re-exports ``Topics``.

A level written ``{name}`` is one identifier (``connectors.contract_fields.IDENTIFIER``); the others
are literal. Under ``{root}/_cockpit/`` a topic not in the table is a newer console's traffic: not
an error, and nothing to read.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.contract_fields import IDENTIFIER, FieldError, ReplyTarget, short

# What a topic is. The decoder compares kinds by identity: they are these very objects.
SENSOR = "sensor"  # §1
STATUS = "status"  # §2
WORKER = "worker"  # §3
PERMIT_EVENT = "permit_event"  # §4
PERMIT_REQUEST = "permit_request"  # §5
GATE_REQUEST = "gate_request"  # the field gate: may this worker enter? (docs/mqtt-cockpit-topics.md)
TAG_SCAN = "tag_scan"  # inspection: a point's tag scanned on a round (docs/mqtt-cockpit-topics.md)
CHECKLIST_RESULT = "checklist_result"  # inspection: the point's checklist answered, a defect found
ACK = "ack"  # §10
STOP_WORK = "stop-work"  # §7, from any console
RESUME_WORK = "resume-work"  # §8
WORK_STATE = "work-state"  # §9
PERMIT_STATE = "permit_state"  # §6, the cockpit's own output: never read back
PERMIT_REPLY = "permit_reply"  # §5 reply, likewise
GATE_REPLY = "gate_reply"  # the gate's answer, likewise
HEALTH = "health"  # §11
ALARM_ACTION = "alarm-action"  # an operator's act on an alarm, between consoles
AUDIT_HEAD = "audit-head"  # the audit log's newest entry, retained: a cut tail shows (cockpit/audit_head.py)
OTHER_OWN = "other_own"  # another `_cockpit/` topic: a newer console's, nothing to read
BAD = "bad"
COCKPIT = "_cockpit"


@dataclass(frozen=True, slots=True)
class TopicForm:
    kind: str
    levels: tuple[str, ...]  # below the root
    own: bool  # published by consoles (not field input)
    subscribed: bool = True


TOPIC_TABLE: tuple[TopicForm, ...] = (
    TopicForm(SENSOR, ("{site}", "{area}", "sensor", "{device}"), own=False),
    TopicForm(STATUS, ("{site}", "{area}", "device", "{device}", "status"), own=False),
    TopicForm(WORKER, ("{site}", "{area}", "worker", "{worker}", "event"), own=False),
    TopicForm(PERMIT_EVENT, ("{site}", "{area}", "permit", "{permit}", "event"), own=False),
    TopicForm(PERMIT_REQUEST, ("{site}", "{area}", "permit", "{permit}", "request"), own=False),
    TopicForm(GATE_REQUEST, ("{site}", "{area}", "gate", "{gate}", "request"), own=False),
    TopicForm(TAG_SCAN, ("{site}", "{area}", "inspection", "{tag}", "scan"), own=False),
    TopicForm(CHECKLIST_RESULT, ("{site}", "{area}", "inspection", "{tag}", "result"), own=False),
    TopicForm(ACK, ("{site}", "{area}", "cmd", "ack"), own=False),
    TopicForm(STOP_WORK, ("{site}", "{area}", "cmd", "stop-work"), own=True),
    TopicForm(RESUME_WORK, ("{site}", "{area}", "cmd", "resume-work"), own=True),
    TopicForm(WORK_STATE, ("{site}", "{area}", "work-state"), own=True),
    TopicForm(PERMIT_STATE, ("{site}", "{area}", "permit", "{permit}", "state"), own=True, subscribed=False),
    TopicForm(PERMIT_REPLY, ("{site}", "{area}", "permit", "{permit}", "reply"), own=True, subscribed=False),
    TopicForm(GATE_REPLY, ("{site}", "{area}", "gate", "{gate}", "reply"), own=True, subscribed=False),
    TopicForm(HEALTH, (COCKPIT, "console", "{console}", "health"), own=True),
    TopicForm(ALARM_ACTION, (COCKPIT, "alarm-action"), own=True),
    TopicForm(AUDIT_HEAD, (COCKPIT, "audit-head"), own=True),
)
_BY_KIND = {form.kind: form for form in TOPIC_TABLE}
# Kinds whose payload nobody reads: the cockpit's own §5/§6 output, unknown `_cockpit/` topics.
UNREAD = frozenset({PERMIT_STATE, PERMIT_REPLY, GATE_REPLY, AUDIT_HEAD, OTHER_OWN})
_NOT_A_FORM = (
    "topic is not one of the contract's forms (sensor/{device}, device/{device}/status, "
    "worker/{worker}/event, permit/{permit}/event|request, gate/{gate}/request, "
    "inspection/{tag}/scan|result, cmd/ack)"
)


@dataclass(frozen=True, slots=True)
class Route:
    """What one topic is: its kind and identifiers, or the error that makes it unusable."""

    kind: str
    site: str = ""
    area: str = ""
    ident: str = ""  # device, worker, permit, gate or console
    error: FieldError | None = None
    reply_to: ReplyTarget | None = None
    own: bool = False  # a console's topic: decoded by connectors.own_topics, or not read at all


def _matches(levels: tuple[str, ...], parts: list[str]) -> bool:
    return len(levels) == len(parts) and all(
        level.startswith("{") or level == part for level, part in zip(levels, parts, strict=True)
    )


class Topics:
    """Topic names under one root, from the table."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._prefix = root + "/"

    # field → cockpit subscriptions
    def field_subscriptions(self) -> list[tuple[str, int]]:
        """Everything under the root: a message on a topic outside the contract's forms must be
        counted as a rejection (``bad_topic``), and with one filter per form the broker never sent it
        (bench/fuzz: 7,692 of 100,000 malformed messages were never seen). The broker's ACL decides
        what reaches a console (installer/mosquitto/make_acl.py)."""
        return [(f"{self._prefix}#", 1)]

    def _build(self, kind: str, **names: str) -> str:
        form = _BY_KIND[kind]
        return self._prefix + "/".join(level.format(**names) for level in form.levels)

    def permit_state(self, site: str, area: str, permit: str) -> str:
        return self._build(PERMIT_STATE, site=site, area=area, permit=permit)

    def permit_reply(self, site: str, area: str, permit: str) -> str:
        return self._build(PERMIT_REPLY, site=site, area=area, permit=permit)

    def gate_reply(self, site: str, area: str, gate: str) -> str:
        return self._build(GATE_REPLY, site=site, area=area, gate=gate)

    def command_ack(self, site: str, area: str) -> str:
        return self._build(ACK, site=site, area=area)

    def stop_work(self, site: str, area: str) -> str:
        return self._build(STOP_WORK, site=site, area=area)

    def resume_work(self, site: str, area: str) -> str:
        return self._build(RESUME_WORK, site=site, area=area)

    def work_state(self, site: str, area: str) -> str:
        return self._build(WORK_STATE, site=site, area=area)

    def health(self, console: str) -> str:
        return self._build(HEALTH, console=console)

    def alarm_action(self) -> str:
        return self._build(ALARM_ACTION)

    def audit_head(self) -> str:
        return self._build(AUDIT_HEAD)

    # incoming topic → route
    def route(self, topic: str) -> Route:
        """The topic's form in the table, with its identifiers checked (never raises)."""
        if type(topic) is not str or not topic.startswith(self._prefix):
            return Route(
                BAD, error=FieldError("topic", f"topic is not under the root '{self.root}/'", "bad_topic")
            )
        parts = topic[len(self._prefix) :].split("/")
        cockpit = parts[0] == COCKPIT
        for form in TOPIC_TABLE:
            if (form.levels[0] == COCKPIT) is cockpit and _matches(form.levels, parts):
                return self._checked(form, parts)
        if cockpit:
            return Route(OTHER_OWN, own=True)
        return Route(BAD, error=FieldError("topic", _NOT_A_FORM, "bad_topic"))

    def _checked(self, form: TopicForm, parts: list[str]) -> Route:
        names: dict[str, str] = {}
        for level, part in zip(form.levels, parts, strict=True):
            if not level.startswith("{"):
                continue
            label = level[1:-1]
            if IDENTIFIER.fullmatch(part) is None:
                message = (
                    f"{label} {short(part)} is not an identifier "
                    "(letters, digits, '_', '.', '-'; at most 64; no spaces, '+', '#' or '/')"
                )
                return Route(BAD, error=FieldError(f"topic.{label}", message, "bad_identifier"))
            names[label] = part
        ident = next(
            (names[k] for k in ("device", "worker", "permit", "gate", "tag", "console") if k in names), ""
        )
        site, area = names.get("site", ""), names.get("area", "")
        reply_to = None
        if form.kind is PERMIT_REQUEST:
            reply_to = ReplyTarget(site, area, ident, self.permit_reply(site, area, ident))
        elif form.kind is GATE_REQUEST:
            reply_to = ReplyTarget(site, area, ident, self.gate_reply(site, area, ident), gate=True)
        return Route(form.kind, site, area, ident, reply_to=reply_to, own=form.own)
