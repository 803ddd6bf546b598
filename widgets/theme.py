"""The cockpit's palette and fonts, in one place (ISA-101 high-performance display).

Grey backgrounds and dark-grey text for everything normal; colour is reserved
for what is abnormal, and every coloured mark also carries a shape or a word so
that no state is told by colour alone. The stylesheet (resources/cockpit.qss)
refers to these colours by name (``$alarm_p1``) and to font sizes in points
scaled by the application's font-scale factor (``@14pt@``), so a console
viewed from 3 m can be enlarged without touching any widget.

Severity reaches the stylesheet as dynamic Qt properties on widgets
(``alarmPriority``, ``stale``, ``workState``, ``badgeState``); change them with
:func:`set_state_property` so that Qt re-polishes the widget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
STYLESHEET = RESOURCES / "cockpit.qss"

#: Application property holding the font-scale factor.
FONT_SCALE_PROPERTY = "cockpitFontScale"
#: Base point size of body text before scaling (readable at 3 m on a 55" 1080p screen once scaled).
BASE_POINT_SIZE = 11.0


@dataclass(frozen=True, slots=True)
class Palette:
    """Every colour of the cockpit; the names are the ``$tokens`` of the stylesheet."""

    # Normal: greys only.
    window: str = "#D4D4D4"
    panel: str = "#E2E2E2"
    panel_alt: str = "#CACACA"
    border: str = "#9A9A9A"
    text: str = "#1C1C1C"
    text_muted: str = "#5A5A5A"
    text_disabled: str = "#8C8C8C"
    process: str = "#2F3F4F"  # trend curves, normal values
    process_alt: str = "#6A7A8A"
    grid: str = "#BDBDBD"
    selection: str = "#9FB4C8"
    # Alarms, by priority (1 critical … 4 low) and the text drawn on them.
    alarm_p1: str = "#D80000"
    alarm_p1_text: str = "#FFFFFF"
    alarm_p2: str = "#F28C00"
    alarm_p2_text: str = "#000000"
    alarm_p3: str = "#F5D800"
    alarm_p3_text: str = "#000000"
    alarm_p4: str = "#00A6D6"
    alarm_p4_text: str = "#000000"
    # Data that cannot be trusted (never shown as a normal value).
    stale: str = "#B000B0"
    stale_text: str = "#FFFFFF"
    # Work stopped in an area: abnormal but safe; dark, with the word STOPPED.
    stopped: str = "#262626"
    stopped_text: str = "#FFFFFF"
    # Demo / simulated data.
    demo: str = "#4B2E83"
    demo_text: str = "#FFFFFF"
    # Area risk levels (红橙黄蓝), saturated; muted forms are blended into the panel grey.
    risk_major: str = "#D80000"
    risk_high: str = "#F28C00"
    risk_general: str = "#F5D800"
    risk_low: str = "#1E6FD9"
    # Healthy confirmation (delivery executed): still grey-green, not a loud green.
    confirmed: str = "#3C6E47"
    confirmed_text: str = "#FFFFFF"


PALETTE = Palette()

PRIORITY_NAMES: dict[int, str] = {1: "critical", 2: "high", 3: "medium", 4: "low"}
#: The shape that goes with each priority, so priority is never told by colour alone.
PRIORITY_SHAPES: dict[int, str] = {1: "diamond", 2: "triangle", 3: "square", 4: "circle"}
RISK_LEVELS = ("major", "high", "general", "low")
#: How much of the risk colour is mixed into the panel grey for a static (normal) risk level.
MUTED_MIX = 0.28


def color(name: str) -> QColor:
    """A palette colour by field name (``"alarm_p1"``)."""
    return QColor(getattr(PALETTE, name))


def priority_color(priority: int | None) -> QColor:
    """Fill colour of an alarm of ``priority``; panel grey when there is none."""
    if priority in (1, 2, 3, 4):
        return color(f"alarm_p{priority}")
    return color("panel_alt")


def priority_text_color(priority: int | None) -> QColor:
    """Text colour readable on :func:`priority_color`."""
    if priority in (1, 2, 3, 4):
        return color(f"alarm_p{priority}_text")
    return color("text")


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` mixed with ``t`` of ``b``."""
    t = max(0.0, min(1.0, t))
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def risk_color(level: str | None, *, muted: bool = True) -> QColor:
    """Colour of an area's risk level: muted for the static level, saturated when live/abnormal."""
    key = (level or "").lower()
    if key not in RISK_LEVELS:
        return color("panel_alt")
    full = color(f"risk_{key}")
    return blend(color("panel"), full, MUTED_MIX) if muted else full


def font_scale(app: QCoreApplication | None = None) -> float:
    """The application's font-scale factor (1.0 when none was applied)."""
    app = app or QCoreApplication.instance()
    if app is None:
        return 1.0
    value = app.property(FONT_SCALE_PROPERTY)
    try:
        return float(value) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0


def scaled_point_size(points: float, app: QCoreApplication | None = None) -> float:
    """``points`` multiplied by the font-scale factor: widgets size themselves in points, never pixels."""
    return points * font_scale(app)


def scaled_font(points: float, *, bold: bool = False, base: QFont | None = None) -> QFont:
    """A copy of ``base`` (or the application font) at ``points`` × font scale."""
    font = QFont(base) if base is not None else QFont(QGuiApplication.font())
    font.setPointSizeF(scaled_point_size(points))
    font.setBold(bold)
    return font


_PT_TOKEN = re.compile(r"@(\d+(?:\.\d+)?)pt@")
_COLOR_TOKEN = re.compile(r"\$([a-z_0-9]+)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def render_stylesheet(text: str, scale: float = 1.0) -> str:
    """Fill the stylesheet's ``$colour`` and ``@Npt@`` tokens from the palette and the scale."""
    names = {f.name for f in fields(Palette)}

    def colour(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            raise KeyError(f"cockpit.qss uses unknown palette colour ${name}")
        return str(getattr(PALETTE, name))

    def points(match: re.Match[str]) -> str:
        return f"{float(match.group(1)) * scale:.1f}pt"

    text = _COMMENT.sub("", text)
    return _PT_TOKEN.sub(points, _COLOR_TOKEN.sub(colour, text))


def apply_theme(app: QApplication, font_scale: float = 1.0) -> None:
    """Give ``app`` the cockpit look: Fusion style, scaled fonts, the palette and cockpit.qss.

    Sizes are in points, so Qt's high-DPI scaling keeps them crisp on 4K; the
    font-scale factor enlarges everything for a wall read from a distance.

    Only what differs is set: Qt polishes every live widget again on each ``setStyle``, ``setFont`` and
    ``setStyleSheet``, even to the same value (0.3-0.4 s with the 1,200 widgets the view tests leave
    alive; a scale change sets the font and the sheet, both changed).
    """
    if font_scale <= 0:
        raise ValueError("font_scale must be positive")
    app.setProperty(FONT_SCALE_PROPERTY, float(font_scale))
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    font = QFont(app.font())
    font.setFamilies(["Noto Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "sans-serif"])
    font.setPointSizeF(BASE_POINT_SIZE * font_scale)
    if app.font() != font:
        app.setFont(font)
    sheet = render_stylesheet(STYLESHEET.read_text(encoding="utf-8"), font_scale)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


def _property_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def set_state_property(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the stylesheet selects on, and re-polish so the new look shows.

    Values are stored as text (``True`` → ``"true"``, ``None`` → ``""``) so that
    selectors like ``*[stale="true"]`` and ``*[alarmPriority="1"]`` match.
    """
    text = _property_text(value)
    if widget.property(name) == text:
        return
    widget.setProperty(name, text)
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return  # polished when first shown, with the property already set: re-polishing now is waste
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` and return it unchanged, as Qt's own does.

    PySide6's stubs type Qt's result as ``object``, which a table of ``str`` cannot hold; lupdate
    finds the marker by its name, wherever it is imported from.
    """
    return text


def translated(context: str, text: str) -> str:
    """Translate ``text`` in ``context`` (for module-level tables marked with QT_TRANSLATE_NOOP)."""
    return QCoreApplication.translate(context, text)


__all__ = [
    "PALETTE",
    "PRIORITY_NAMES",
    "PRIORITY_SHAPES",
    "QT_TRANSLATE_NOOP",
    "Palette",
    "apply_theme",
    "blend",
    "color",
    "font_scale",
    "priority_color",
    "priority_text_color",
    "render_stylesheet",
    "risk_color",
    "scaled_font",
    "scaled_point_size",
    "set_state_property",
    "translated",
]
