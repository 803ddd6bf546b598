"""Why a service refuses what a user asked, as codes with ``{name}`` placeholders: one table, two languages.

A service raises its refusal with ``coded(ExceptionClass, code, **params)``: ``str(exc)`` is the English
sentence (the command line, the logs), and ``exc.code`` / ``exc.params`` let a screen show the same
sentence in its language (``views/finding_words.py``). Parameters are worded as in the findings
(``models/rules/finding_texts.py``); ``role`` and ``roles`` hold ``Role`` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from models.rules.finding_texts import QT_TRANSLATE_NOOP

E = TypeVar("E", bound=Exception)
Param = str | int | float

ROLE_PARAMS = frozenset({"role", "roles"})
LEVEL_PARAMS = frozenset({"level", "own"})  # ``ApprovalLevel`` values
ACTION_PARAMS = frozenset({"action"})  # a key of ``ACTION_TEXTS`` (``cockpit.roles.ACTIONS``)

# What each role-checked action is called inside a sentence ("may not {action}").
ACTION_TEXTS: dict[str, str] = {
    "stop_work": QT_TRANSLATE_NOOP("Refusal", "stop work"),
    "acknowledge": QT_TRANSLATE_NOOP("Refusal", "acknowledge alarms"),
    "shelve": QT_TRANSLATE_NOOP("Refusal", "shelve alarms"),
    "out_of_service": QT_TRANSLATE_NOOP("Refusal", "take alarms out of service"),
    "clear_event": QT_TRANSLATE_NOOP("Refusal", "clear events"),
    "resume_work": QT_TRANSLATE_NOOP("Refusal", "resume work"),
    "approve": QT_TRANSLATE_NOOP("Refusal", "approve permits"),
    "reject": QT_TRANSLATE_NOOP("Refusal", "reject permits"),
    "suspend_permit": QT_TRANSLATE_NOOP("Refusal", "suspend permits"),
    "close_permit": QT_TRANSLATE_NOOP("Refusal", "close permits"),
    "sign_handover": QT_TRANSLATE_NOOP("Refusal", "sign the handover"),
}

# The context is written out in every entry: lupdate reads only a literal one.
REFUSAL_TEXTS: dict[str, str] = {
    "review.not_safety_manager_list": QT_TRANSLATE_NOOP(
        "Refusal", "only the safety manager (and administrators) see the green-channel reviews"
    ),
    "review.note_missing": QT_TRANSLATE_NOOP("Refusal", "write a review note for the green-channel approval"),
    "review.not_safety_manager": QT_TRANSLATE_NOOP(
        "Refusal", "only the safety manager reviews green-channel approvals"
    ),
    "review.nothing_waiting": QT_TRANSLATE_NOOP(
        "Refusal", "permit {permit_id} has no green-channel approval waiting for review"
    ),
    "user.unknown": QT_TRANSLATE_NOOP(
        "Refusal", "user '{user}' is unknown or disabled: log in with an active account"
    ),
    "green.reason_missing": QT_TRANSLATE_NOOP(
        "Refusal", "the green channel needs a reason: say why the work cannot wait"
    ),
    "sign.wrong_password": QT_TRANSLATE_NOOP("Refusal", "wrong password: re-enter your own password to sign"),
    "reject.reason_missing": QT_TRANSLATE_NOOP(
        "Refusal", "give a reason for rejecting the permit: the applicant needs to know what to fix"
    ),
    "send_back.reason_missing": QT_TRANSLATE_NOOP(
        "Refusal", "give a reason for sending back the permit: the applicant needs to know what to fix"
    ),
    "decide.not_a_signer": QT_TRANSLATE_NOOP("Refusal", "{user} ({role}) does not decide on permits"),
    "suspend.reason_missing": QT_TRANSLATE_NOOP("Refusal", "give a reason for suspending the permit"),
    "move.role": QT_TRANSLATE_NOOP("Refusal", "only {roles} may set a permit {target}"),
    "permit.unknown": QT_TRANSLATE_NOOP("Refusal", "permit '{permit_id}' does not exist: refresh the list"),
    "permit.changed_meanwhile": QT_TRANSLATE_NOOP(
        "Refusal", "the permit was changed on another console meanwhile: reload it and try again"
    ),
    # cockpit.roles: a role checked for an action
    "role.may_not": QT_TRANSLATE_NOOP("Refusal", "{user} ({role}) may not {action}; allowed: {roles}"),
    # cockpit.permits.signing: who may sign a permit
    "sign.role": QT_TRANSLATE_NOOP("Refusal", "the {role} role does not sign permits"),
    "sign.no_level": QT_TRANSLATE_NOOP("Refusal", "{user} holds no approval level: ask the administrator"),
    "sign.level": QT_TRANSLATE_NOOP(
        "Refusal", "this permit needs the {level}'s signature; {user} signs at {own} level"
    ),
    "sign.level_urgent": QT_TRANSLATE_NOOP(
        "Refusal",
        "this permit needs the {level}'s signature; {user} signs at {own} level "
        "(or use the green channel as shift lead)",
    ),
    "green.not_urgent": QT_TRANSLATE_NOOP(
        "Refusal", "the green channel is only for permits applied for as urgent"
    ),
    "green.not_shift_lead": QT_TRANSLATE_NOOP("Refusal", "only the shift lead approves on the green channel"),
    "green.needs_senior": QT_TRANSLATE_NOOP(
        "Refusal", "special-grade hot work needs the senior leader's signature, even on the green channel"
    ),
    "approve.log_in": QT_TRANSLATE_NOOP("Refusal", "log in with an active account to approve"),
    "approve.not_submitted": QT_TRANSLATE_NOOP(
        "Refusal", "the permit is {state}; only a submitted permit can be approved"
    ),
    # cockpit.report.handover_service: who signs the handover
    "handover.outgoing_login": QT_TRANSLATE_NOOP(
        "Refusal", "outgoing shift lead '{user}': user name or password is wrong; enter them again"
    ),
    "handover.incoming_login": QT_TRANSLATE_NOOP(
        "Refusal", "incoming shift lead '{user}': user name or password is wrong; enter them again"
    ),
    "handover.outgoing_role": QT_TRANSLATE_NOOP(
        "Refusal",
        "outgoing shift lead '{user}' is a {role}; only a shift lead or an admin signs the handover",
    ),
    "handover.incoming_role": QT_TRANSLATE_NOOP(
        "Refusal",
        "incoming shift lead '{user}' is a {role}; only a shift lead or an admin signs the handover",
    ),
    "handover.same_people": QT_TRANSLATE_NOOP(
        "Refusal", "the outgoing and incoming shift leads must be two different people"
    ),
    "approve.blocked": QT_TRANSLATE_NOOP("Refusal", "cannot approve: {first}; fix it and check again"),
    "approve.blocked_more": QT_TRANSLATE_NOOP(
        "Refusal", "cannot approve: {first} (and {more} more); fix it and check again"
    ),
}


def coded(cls: type[E], code: str, /, **params: Param) -> E:
    """``cls`` raised with the English sentence ``code``; ``exc.code`` and ``exc.params`` for the screens."""
    from models.rules.findings import english_param  # findings imports finding_texts, as this does

    words = {name: _english_role(name, value) or english_param(name, value) for name, value in params.items()}
    exc = cls(REFUSAL_TEXTS[code].format_map(words))
    exc.code = code  # type: ignore[attr-defined]
    exc.params = params  # type: ignore[attr-defined]
    return exc


def refusal_code(exc: BaseException) -> tuple[str, Mapping[str, Param]] | None:
    """The code and parameters ``coded`` gave ``exc``, or None for an exception without them."""
    code = getattr(exc, "code", None)
    params = getattr(exc, "params", None)
    if isinstance(code, str) and code in REFUSAL_TEXTS and isinstance(params, Mapping):
        return code, params
    return None


def _english_role(name: str, value: Param) -> str | None:
    if name in ACTION_PARAMS:
        return ACTION_TEXTS.get(str(value), str(value).replace("_", " "))
    if name not in ROLE_PARAMS | LEVEL_PARAMS:
        return None
    return ", ".join(v.replace("_", " ") for v in str(value).split(","))
