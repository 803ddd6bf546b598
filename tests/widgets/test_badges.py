"""Priority and state marks: shape, word and colour together."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from tests.widgets.helpers import count_color, has_color, rendered
from widgets import theme
from widgets.badges import DemoMark, PriorityBadge, StateBadge


@pytest.mark.parametrize(
    ("priority", "shape"), [(1, "diamond"), (2, "triangle"), (3, "square"), (4, "circle")]
)
def test_priority_badge_shows_shape_number_and_colour(qtbot, priority: int, shape: str) -> None:
    badge = PriorityBadge(priority)
    qtbot.addWidget(badge)
    assert badge.shape() == shape
    assert badge.text() == str(priority)
    assert badge.property("alarmPriority") == str(priority)
    assert f"Priority {priority}" in badge.toolTip()
    image = rendered(badge)
    assert has_color(image, theme.priority_color(priority))
    others = [p for p in (1, 2, 3, 4) if p != priority]
    assert not any(count_color(image, theme.priority_color(p), tolerance=4) > 3 for p in others)


def test_square_fills_more_of_its_box_than_the_diamond(qtbot) -> None:
    """Shapes differ, not only colours: compare coloured areas at the same size."""
    sq, di = PriorityBadge(3), PriorityBadge(1)
    for b in (sq, di):
        qtbot.addWidget(b)
        b.resize(60, 60)
    square_px = count_color(rendered(sq), theme.priority_color(3))
    diamond_px = count_color(rendered(di), theme.priority_color(1))
    assert square_px > 1.5 * diamond_px


def test_priority_badge_without_priority_draws_nothing(qtbot) -> None:
    badge = PriorityBadge(None)
    qtbot.addWidget(badge)
    assert badge.text() == "" and badge.shape() == ""
    image = rendered(badge)
    assert not any(has_color(image, theme.priority_color(p), tolerance=4) for p in (1, 2, 3, 4))


def test_priority_badge_rejects_unknown_priority(qtbot) -> None:
    with pytest.raises(ValueError):
        PriorityBadge(7)


def test_priority_badge_grows_with_font_scale(qtbot, themed) -> None:
    small = PriorityBadge(1).sizeHint()
    theme.apply_theme(themed, 2.0)
    try:
        large = PriorityBadge(1).sizeHint()
    finally:
        theme.apply_theme(themed, 1.0)
    assert large.height() > 1.6 * small.height()


def test_state_badge_writes_the_state_and_is_hidden_when_normal(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    badge = StateBadge("stale", parent)
    parent.show()
    assert badge.text() == "STALE"
    assert badge.isVisible()
    assert badge.property("badgeState") == "stale"
    assert badge.property("stale") == "true"
    assert has_color(rendered(badge), theme.PALETTE.stale)
    badge.set_state("STOPPED")
    assert badge.text() == "STOPPED"
    assert has_color(rendered(badge), theme.PALETTE.stopped)
    badge.set_state(None)
    assert not badge.isVisible()
    assert badge.state() is None


def test_state_badge_unknown_state_is_written_as_given(qtbot) -> None:
    badge = StateBadge("maintenance")
    qtbot.addWidget(badge)
    assert badge.text() == "MAINTENANCE"


def test_demo_mark_sits_in_the_top_right_corner(qtbot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    mark = DemoMark(screen)
    screen.resize(800, 500)
    screen.show()
    qtbot.waitExposed(screen)
    assert mark.text() == "DEMO"
    assert mark.isVisible()
    assert mark.geometry().right() > 800 - mark.width() - 20
    assert mark.geometry().top() < 20
    screen.resize(1200, 500)
    qtbot.waitUntil(lambda: mark.geometry().right() > 1200 - mark.width() - 20)
    assert has_color(rendered(screen), theme.PALETTE.demo)
