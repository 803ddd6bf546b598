"""The approval screen's blockers and queue marks in the screen's language.

``cockpit.permits.blockers`` returns codes with parameters; the words are here. A rule finding's
own sentence comes as its parameter (the rules' codes are translated where the findings are).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cockpit.permits.blockers import Blocker, Mark
from cockpit.permits.evidence import PhotoMark
from views.finding_words import finding_text
from views.i18n import level_text, role_text
from views.view_model import status_word
from widgets.theme import QT_TRANSLATE_NOOP

CONTEXT = "ApprovalBlocker"

BLOCKER_TEXTS: dict[str, str] = {
    "signer.inactive": QT_TRANSLATE_NOOP("ApprovalBlocker", "nobody with an active account is signed in"),
    "permit.not_submitted": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "the permit is %1, not waiting for approval"
    ),
    "signer.role": QT_TRANSLATE_NOOP("ApprovalBlocker", "the %1 role does not sign permits"),
    "signer.no_level": QT_TRANSLATE_NOOP("ApprovalBlocker", "%1 holds no approval level"),
    "signer.level": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "needs the signature of the %1 level; you sign at %2"
    ),
    "green.not_urgent": QT_TRANSLATE_NOOP("ApprovalBlocker", "the green channel is only for urgent permits"),
    "green.not_shift_lead": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "only the shift lead approves on the green channel"
    ),
    "green.senior": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "special-grade hot work needs the senior leader, even on the green channel"
    ),
}

CLEARS_TEXTS: dict[str, str] = {
    "clear.log_in": QT_TRANSLATE_NOOP("ApprovalBlocker", "log in with your own active account"),
    "clear.nothing": QT_TRANSLATE_NOOP("ApprovalBlocker", "nothing to approve: choose a submitted permit"),
    "clear.signer": QT_TRANSLATE_NOOP("ApprovalBlocker", "a shift lead or safety manager signs it"),
    "clear.admin_level": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "the administrator gives you an approval level"
    ),
    "clear.higher_signer": QT_TRANSLATE_NOOP("ApprovalBlocker", "a signer of that level signs it"),
    "clear.green_channel": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "tick the green channel (urgent: you alone, reviewed next day)"
    ),
    "clear.normal_route": QT_TRANSLATE_NOOP("ApprovalBlocker", "untick the green channel and sign normally"),
    "clear.shift_lead": QT_TRANSLATE_NOOP("ApprovalBlocker", "the shift lead signs it"),
    "clear.senior_leader": QT_TRANSLATE_NOOP("ApprovalBlocker", "the senior leader signs it"),
    "clear.gas_test": QT_TRANSLATE_NOOP("ApprovalBlocker", "a passing gas test is recorded"),
    "clear.prerequisite": QT_TRANSLATE_NOOP("ApprovalBlocker", "the applicant completes it (send back)"),
    "clear.coordinator": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "a coordinator is named for the simultaneous jobs"
    ),
    "clear.worker": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "renew the certificate or change the crew (send back)"
    ),
    "clear.contractor": QT_TRANSLATE_NOOP(
        "ApprovalBlocker", "the contractor's qualification is renewed in the register"
    ),
    "clear.supervisor": QT_TRANSLATE_NOOP("ApprovalBlocker", "name a registered supervisor (send back)"),
    "clear.send_back": QT_TRANSLATE_NOOP("ApprovalBlocker", "the applicant corrects it (send back)"),
    "clear.wind": QT_TRANSLATE_NOOP("ApprovalBlocker", "the wind drops below the limit"),
}

MARK_TEXTS: dict[Mark, str] = {
    Mark.MAY: QT_TRANSLATE_NOOP("ApprovalBlocker", "✔ you may approve"),
    Mark.MAY_GREEN: QT_TRANSLATE_NOOP("ApprovalBlocker", "✔ you, on the green channel"),
    Mark.BLOCKED: QT_TRANSLATE_NOOP("ApprovalBlocker", "✖ blocked"),
    Mark.NOT_YOURS: QT_TRANSLATE_NOOP("ApprovalBlocker", "another signer"),
}

# What the queue says of a permit's required key-step photos (issue 23; photo_steps in the configuration).
PHOTO_MARK_TEXTS: dict[PhotoMark, str] = {
    PhotoMark.MISSING: QT_TRANSLATE_NOOP("ApprovalBlocker", "key-step photo missing"),
    PhotoMark.TAMPERED: QT_TRANSLATE_NOOP("ApprovalBlocker", "PHOTO ALTERED"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def blocker_text(blocker: Blocker, zone: str = "") -> str:
    """What blocks, in words: a known code translated with its parameters, a rule's own sentence else
    (its times in the plant zone ``zone``)."""
    template = BLOCKER_TEXTS.get(blocker.code)
    if template is None:
        if blocker.finding is not None:
            return finding_text(blocker.finding, zone)
        return blocker.params[0] if blocker.params else blocker.message
    params = list(blocker.params)
    if blocker.code == "signer.level":
        params = [level_text(p) for p in params]
    elif blocker.code == "signer.role":
        params = [role_text(p) for p in params]
    elif blocker.code == "permit.not_submitted":
        params = [status_word(p) for p in params]
    out = _tr(template)
    for index, value in enumerate(params, start=1):
        out = out.replace(f"%{index}", value)
    return out


def clears_text(blocker: Blocker) -> str:
    template = CLEARS_TEXTS.get(blocker.clears)
    return _tr(template) if template is not None else blocker.clears


def mark_text(mark: Mark, photo: PhotoMark | None = None) -> str:
    """The queue's mark, and what its required key-step photos lack (``PermitEvidence.queue_marks``)."""
    text = _tr(MARK_TEXTS[mark])
    return f"{text} · {_tr(PHOTO_MARK_TEXTS[photo])}" if photo else text
