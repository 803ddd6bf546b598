"""Qt translations: the program speaks Chinese and English, switchable at run time.

Source strings are English (``self.tr``); ``resources/translations/cockpit_zh_CN.qm`` holds
Chinese. Switching installs or removes the translator; Qt then sends every widget a
``LanguageChange`` event and the views re-set their texts in ``retranslate()``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from connectors.mqtt import LinkState, fill_reason

# The str-typed marker (PySide6's stub types Qt's result as object, which these str tables cannot hold);
# lupdate finds it by its name all the same.
from widgets.theme import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)
TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = {"zh_CN": "中文", "en": "English"}


def link_status_word(status: str) -> str:
    """The field link's status (``LinkStatus`` value) as the operator reads it, in the current language."""
    words = {
        "connected": QCoreApplication.translate("Link", "CONNECTED"),
        "connecting": QCoreApplication.translate("Link", "CONNECTING"),
        "disconnected": QCoreApplication.translate("Link", "DISCONNECTED"),
    }
    return words.get(status, status.upper())


# The link's reasons (``LinkCause``), by cause name; each text is the cause's own English value, written
# out here for lupdate. The details (%1, %2: the broker's address, its error) are put in after.
LINK_REASON_TEXTS: dict[str, str] = {
    "NOT_STARTED": QT_TRANSLATE_NOOP("LinkReason", "not started"),
    "CONNECTING": QT_TRANSLATE_NOOP("LinkReason", "connecting to %1"),
    "CONNECTED_NEW": QT_TRANSLATE_NOOP("LinkReason", "connected to %1 (new session)"),
    "CONNECTED_RESUMED": QT_TRANSLATE_NOOP("LinkReason", "connected to %1 (session resumed)"),
    "RECONNECTED_NEW": QT_TRANSLATE_NOOP("LinkReason", "connected to %1 (new session), reconnected"),
    "RECONNECTED_RESUMED": QT_TRANSLATE_NOOP("LinkReason", "connected to %1 (session resumed), reconnected"),
    "REFUSED": QT_TRANSLATE_NOOP("LinkReason", "broker refused the connection: %1; retrying"),
    "UNREACHABLE": QT_TRANSLATE_NOOP("LinkReason", "cannot reach %1: %2; retrying"),
    "WRONG_PORT_NEEDS_MQTT": QT_TRANSLATE_NOOP(
        "LinkReason",
        "%1 closed the connection before answering (wrong port? a plain port needs mqtt://); retrying",
    ),
    "WRONG_PORT_NEEDS_MQTTS": QT_TRANSLATE_NOOP(
        "LinkReason",
        "%1 closed the connection before answering (wrong port? a TLS port needs mqtts://); retrying",
    ),
    "LOST": QT_TRANSLATE_NOOP("LinkReason", "connection to %1 lost (%2); retrying"),
    "SUBSCRIBING": QT_TRANSLATE_NOOP("LinkReason", "connected to %1, subscribing"),
    "SUBSCRIPTIONS_REFUSED": QT_TRANSLATE_NOOP(
        "LinkReason", "connected to %1, but the broker refused the subscription to %2"
    ),
    "STOPPED": QT_TRANSLATE_NOOP("LinkReason", "stopped"),
    "FIELD_STARTING": QT_TRANSLATE_NOOP("LinkReason", "field link process starting"),
    "FIELD_NOT_STARTED": QT_TRANSLATE_NOOP("LinkReason", "field link process could not start: %1; retrying"),
    "FIELD_ENDED": QT_TRANSLATE_NOOP("LinkReason", "field link process ended; restarting"),
    "FIELD_EXITED": QT_TRANSLATE_NOOP("LinkReason", "field link process ended (exit code %1); restarting"),
    "FIELD_UNREADABLE": QT_TRANSLATE_NOOP(
        "LinkReason", "field link process sent what the window cannot read; restarting"
    ),
    "FIELD_SILENT": QT_TRANSLATE_NOOP("LinkReason", "field link process silent for %1 s; restarting"),
}


def link_reason_text(state: LinkState) -> str:
    """Why the field link is as it is, in the current language (a state without a cause: as it came)."""
    text = LINK_REASON_TEXTS.get(state.cause.name) if state.cause is not None else None
    if text is None:
        return state.reason
    return fill_reason(QCoreApplication.translate("LinkReason", text), state.args)


# Words for the core's codes (``Role``, ``ApprovalLevel``, ``PermitStatus`` values), each with its
# context written out: lupdate reads only a literal one.
ROLE_TEXTS: dict[str, str] = {
    "operator": QT_TRANSLATE_NOOP("Roles", "Operator"),
    "shift_lead": QT_TRANSLATE_NOOP("Roles", "Shift lead"),
    "incident_commander": QT_TRANSLATE_NOOP("Roles", "Incident commander"),
    "safety_manager": QT_TRANSLATE_NOOP("Roles", "Safety manager"),
    "admin": QT_TRANSLATE_NOOP("Roles", "Administrator"),
}
LEVEL_TEXTS: dict[str, str] = {
    "operating_unit": QT_TRANSLATE_NOOP("ApprovalLevels", "operating unit"),
    "safety_department": QT_TRANSLATE_NOOP("ApprovalLevels", "safety department"),
    "senior_leader": QT_TRANSLATE_NOOP("ApprovalLevels", "senior leader"),
}
PERMIT_STATUS_TEXTS: dict[str, str] = {
    "submitted": QT_TRANSLATE_NOOP("PermitStatus", "submitted"),
    "approved": QT_TRANSLATE_NOOP("PermitStatus", "approved"),
    "active": QT_TRANSLATE_NOOP("PermitStatus", "active"),
    "suspended": QT_TRANSLATE_NOOP("PermitStatus", "SUSPENDED"),  # abnormal: in capitals
    "rejected": QT_TRANSLATE_NOOP("PermitStatus", "rejected"),
    "cancelled": QT_TRANSLATE_NOOP("PermitStatus", "cancelled"),
    "expired": QT_TRANSLATE_NOOP("PermitStatus", "expired"),
    "closed": QT_TRANSLATE_NOOP("PermitStatus", "closed"),
}

# A signature's decision (``ApprovalDecision`` value) in the approval matrix.
DECISION_TEXTS: dict[str, str] = {
    "approve": QT_TRANSLATE_NOOP("ApprovalDecision", "Approval"),
    "reject": QT_TRANSLATE_NOOP("ApprovalDecision", "Rejection"),
    "send_back": QT_TRANSLATE_NOOP("ApprovalDecision", "Sent back"),
}


def _word(context: str, table: dict[str, str], code: str) -> str:
    text = table.get(code)
    return QCoreApplication.translate(context, text) if text is not None else code.replace("_", " ")


def role_text(role: str) -> str:
    """A role (``Role`` value) as people call it, in the current language."""
    return _word("Roles", ROLE_TEXTS, role)


def level_text(level: str) -> str:
    """An approval level (``ApprovalLevel`` value: who signs), in the current language."""
    return _word("ApprovalLevels", LEVEL_TEXTS, level)


def decision_text(decision: str) -> str:
    """A signature's decision (``approve``, ``reject``, ``send_back``) as a word, in the current language."""
    return _word("ApprovalDecision", DECISION_TEXTS, decision)


def escalation_target_text(name: str) -> str:
    """A link of the approval escalation chain: a role (``shift_lead``) or a level (``senior_leader``)."""
    return role_text(name) if name in ROLE_TEXTS else level_text(name)


def permit_status_text(status: str) -> str:
    """A permit's status (``PermitStatus`` value) as a word, in the current language."""
    return _word("PermitStatus", PERMIT_STATUS_TEXTS, status)


class Language:
    """Owns the installed translators of one application."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.current = "en"
        self._ours = QTranslator(app)
        self._qt = QTranslator(app)
        self._installed = False

    def set(self, code: str) -> bool:
        """Switch to ``code`` ("zh_CN" or "en"); False when its file is missing (stays English)."""
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        if self._installed:
            self.app.removeTranslator(self._ours)
            self.app.removeTranslator(self._qt)
            self._installed = False
        self.current = "en"
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        if code == "en":
            return True
        qm = TRANSLATIONS / f"cockpit_{code}.qm"
        if not self._ours.load(str(qm)):
            log.warning("translation %s not found; staying in English (run `make translations`)", qm)
            return False
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        self._qt.load(f"qtbase_{code}", qt_dir)
        self.app.installTranslator(self._ours)
        self.app.installTranslator(self._qt)
        self._installed = True
        self.current = code
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        return True
