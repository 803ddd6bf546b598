"""The page preview: readable at once (fitted to the width), zoom by buttons and Ctrl+wheel, page to page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from widgets.page_preview import MARGIN, PagePreview

A4_150DPI = (1240, 1754)  # an A4 page rendered at 150 dpi


@pytest.fixture
def pages(tmp_path: Path) -> list[Path]:
    paths = []
    for i in range(3):
        image = QImage(*A4_150DPI, QImage.Format.Format_RGB32)
        image.fill(QColor(255, 255, 255 - 40 * i))
        path = tmp_path / f"page-{i + 1}.png"
        assert image.save(str(path))
        paths.append(path)
    return paths


@pytest.fixture
def preview(qtbot: QtBot, pages: list[Path]) -> PagePreview:
    widget = PagePreview()
    qtbot.addWidget(widget)
    widget.resize(1900, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_pages(pages, 150)
    QApplication.processEvents()
    return widget


def _room(preview: PagePreview) -> int:
    return preview.scroll_area.viewport().width() - 2 * MARGIN


def test_pages_are_fitted_to_the_width_of_the_view(preview: PagePreview) -> None:
    labels = preview.page_labels()
    assert len(labels) == preview.page_count() == 3
    assert preview.is_fitted() and preview.fit_button.isChecked()
    for label in labels:
        assert _room(preview) - 2 <= label.width() <= _room(preview)  # the page spans the view
        assert label.width() > 1500  # not the ~500 px page the screen showed before
    assert preview.page_label.text() == "Page 1 of 3"


def test_fit_follows_the_view_when_it_is_resized(qtbot: QtBot, preview: PagePreview) -> None:
    preview.resize(1200, 900)
    qtbot.waitUntil(lambda: abs(preview.page_labels()[0].width() - _room(preview)) <= 2)
    assert preview.page_labels()[0].width() < 1200


def test_zoom_buttons_and_ctrl_wheel_change_the_scale_and_fit_goes_back(
    qtbot: QtBot, preview: PagePreview
) -> None:
    fitted = preview.scale()
    preview.zoom_in_button.click()
    assert preview.scale() == pytest.approx(fitted * 1.25)
    assert not preview.is_fitted() and not preview.fit_button.isChecked()
    assert preview.page_labels()[0].width() == round(A4_150DPI[0] * preview.scale())
    preview.zoom_out_button.click()
    preview.zoom_out_button.click()
    assert preview.scale() == pytest.approx(fitted / 1.25)
    viewport = preview.scroll_area.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    for delta, modifiers in (
        (120, Qt.KeyboardModifier.ControlModifier),
        (120, Qt.KeyboardModifier.NoModifier),
    ):
        event = QWheelEvent(
            centre,
            viewport.mapToGlobal(centre),
            QPoint(),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(viewport, event)
    assert preview.scale() == pytest.approx(fitted)  # Ctrl+wheel zoomed in; the plain wheel only scrolled
    preview.fit_button.click()
    assert preview.is_fitted()
    assert preview.page_labels()[0].width() >= _room(preview) - 2
    assert preview.zoom_label.text().endswith("%")


def test_page_navigation(qtbot: QtBot, preview: PagePreview) -> None:
    assert not preview.previous_button.isEnabled() and preview.next_button.isEnabled()
    preview.next_button.click()
    assert preview.current_page() == 1 and preview.page_label.text() == "Page 2 of 3"
    assert preview.scroll_area.verticalScrollBar().value() > 0
    preview.go_to(5)  # past the end: the last page
    assert preview.current_page() == 2 and not preview.next_button.isEnabled()
    preview.previous_button.click()
    assert preview.current_page() == 1
