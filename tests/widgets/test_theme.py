"""The palette, the font scale and the severity properties reach what the user sees."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from tests.widgets.helpers import rendered
from widgets import theme


def test_stylesheet_tokens_are_filled_from_the_palette_and_scaled() -> None:
    css = theme.render_stylesheet("/* $ignored */ QLabel { color: $alarm_p1; font-size: @14pt@; }", 1.5)
    assert theme.PALETTE.alarm_p1 in css
    assert "21.0pt" in css
    assert "$" not in css and "@" not in css


def test_unknown_palette_colour_in_stylesheet_is_an_error() -> None:
    with pytest.raises(KeyError, match="no_such_colour"):
        theme.render_stylesheet("QLabel { color: $no_such_colour; }")


def test_shipped_stylesheet_renders_completely() -> None:
    css = theme.render_stylesheet(theme.STYLESHEET.read_text(encoding="utf-8"), 1.0)
    assert "$" not in css
    assert '[alarmPriority="1"]' in css and '[stale="true"]' in css and '[workState="stopped"]' in css


def test_font_scale_enlarges_the_application_font(themed: QApplication) -> None:
    theme.apply_theme(themed, 1.0)
    base = themed.font().pointSizeF()
    theme.apply_theme(themed, 2.0)
    try:
        assert theme.font_scale() == 2.0
        assert themed.font().pointSizeF() == pytest.approx(2 * base)
        assert theme.scaled_font(10).pointSizeF() == pytest.approx(20)
    finally:
        theme.apply_theme(themed, 1.0)


def test_font_scale_must_be_positive(themed: QApplication) -> None:
    with pytest.raises(ValueError):
        theme.apply_theme(themed, 0)


def test_state_property_repolishes_so_the_border_turns_red(qtbot) -> None:
    label = QLabel("H2S 15 ppm")
    qtbot.addWidget(label)
    label.resize(200, 60)
    theme.set_state_property(label, "alarmPriority", 1)
    assert label.property("alarmPriority") == "1"
    assert rendered(label).pixelColor(1, 1).name() == theme.PALETTE.alarm_p1.lower()
    theme.set_state_property(label, "alarmPriority", None)
    assert label.property("alarmPriority") == ""
    assert rendered(label).pixelColor(1, 1).name() != theme.PALETTE.alarm_p1.lower()


def test_stale_and_stopped_properties_are_drawn(qtbot) -> None:
    label = QLabel("value")
    qtbot.addWidget(label)
    label.resize(200, 60)
    theme.set_state_property(label, "workState", "stopped")
    assert rendered(label).pixelColor(1, 30).name() == theme.PALETTE.stopped.lower()
    theme.set_state_property(label, "workState", "running")
    theme.set_state_property(label, "stale", True)
    assert label.property("stale") == "true"
    # A dashed border: the stale colour appears on the left edge.
    image = rendered(label)
    assert any(image.pixelColor(0, y).name() == theme.PALETTE.stale.lower() for y in range(60))


def test_risk_colours_are_muted_for_static_levels() -> None:
    panel = theme.color("panel")
    for level in theme.RISK_LEVELS:
        muted = theme.risk_color(level, muted=True)
        full = theme.risk_color(level, muted=False)
        assert full.name() == getattr(theme.PALETTE, f"risk_{level}").lower()
        dist_muted = sum(abs(a - b) for a, b in zip(muted.getRgb()[:3], panel.getRgb()[:3], strict=True))
        dist_full = sum(abs(a - b) for a, b in zip(full.getRgb()[:3], panel.getRgb()[:3], strict=True))
        assert dist_muted < dist_full
    assert theme.risk_color("unknown").name() == theme.PALETTE.panel_alt.lower()


def test_every_priority_has_its_own_colour_and_shape() -> None:
    colours = {theme.priority_color(p).name() for p in (1, 2, 3, 4)}
    assert len(colours) == 4
    assert len(set(theme.PRIORITY_SHAPES.values())) == 4


def test_gallery_writes_a_picture(tmp_path) -> None:
    """The composed demo (tests/widgets/gallery.py) keeps working as the widgets change."""
    from PySide6.QtGui import QImage

    from tests.widgets import gallery

    out = tmp_path / "gallery.png"
    assert gallery.main([str(out)]) == 0
    image = QImage(str(out))
    assert image.width() == 1920
    assert image.height() > 1080
