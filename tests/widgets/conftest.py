"""Widget tests run with the cockpit theme applied, as the application does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from widgets.theme import apply_theme


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> QApplication:
    apply_theme(qapp, 1.0)
    return qapp
