"""Qt translations: the program speaks Chinese and English, switchable at run time.

Source strings are English (``self.tr``); ``resources/translations/cockpit_zh_CN.qm`` holds
Chinese. Switching installs or removes the translator; Qt then sends every widget a
``LanguageChange`` event and the views re-set their texts in ``retranslate()``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

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
