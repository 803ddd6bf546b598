"""Badge sheets: ten ID-1 cards (85.6 × 54 mm, a bank card's size) per A4 page, each with the worker's
name, ID, employer and trade and the QR of the worker's safety code (cockpit/safety_codes.py), with thin
cut lines. Written to a temporary file and moved into place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from cockpit.report.handover_pdf import register_font
from cockpit.report.pdf_drawing import DARK, GREY
from cockpit.report.permit_texts import words
from cockpit.report.qr import draw_qr
from models.errors import UserError

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS


@dataclass(frozen=True, slots=True)
class Badge:
    worker_id: str
    name: str
    employer: str
    trade: str
    code: str


def _fit(c: Canvas, text: str, font: str, size: float, x: float, y: float, room: float) -> None:
    """``text`` within ``room`` points: smaller down to 60 %, then cut with an ellipsis."""
    least = size * 0.6
    while size > least and stringWidth(text, font, size) > room:
        size -= 0.5
    while text and stringWidth(text, font, size) > room:
        text = text[:-2] + "…"
    c.setFont(font, size)
    c.drawString(x, y, text)


def _card(c: Canvas, b: Badge, x: float, y: float, font: str, plant: str, lang: str) -> None:
    w = words(lang)
    c.setStrokeColor(GREY)
    c.setLineWidth(0.4)
    c.rect(x, y, CARD_W, CARD_H)
    qr = 36 * mm
    qx, qy = x + CARD_W - qr - 2 * mm, y + (CARD_H - qr) / 2 + 2 * mm
    draw_qr(c, b.code, qx, qy, qr)
    room = CARD_W - qr - 8 * mm
    c.setFillColor(DARK)
    _fit(c, f"{plant} · {w['badge_title']}", font, 7, x + 4 * mm, y + CARD_H - 7 * mm, room)
    c.setFillColorRGB(0, 0, 0)
    _fit(c, b.name, font, 16, x + 4 * mm, y + CARD_H - 17 * mm, room)
    _fit(c, b.worker_id, font, 11, x + 4 * mm, y + CARD_H - 24 * mm, room)
    c.setFillColor(DARK)
    _fit(c, b.employer, font, 8, x + 4 * mm, y + CARD_H - 31 * mm, room)
    _fit(c, b.trade, font, 8, x + 4 * mm, y + CARD_H - 36 * mm, room)
    _fit(c, w["badge_valid"], font, 6.5, x + 4 * mm, y + 5 * mm, room)
    _fit(c, b.code, font, 5.5, qx, y + 3 * mm, qr)


def render_badges_pdf(badges: Sequence[Badge], out: Path, *, plant: str, lang: str = "zh_CN") -> int:
    """Write the badge sheets; returns the number of pages."""
    if not badges:
        raise UserError("no workers to print badges for: choose at least one")
    font = register_font()
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    width, height = A4
    left = (width - COLUMNS * CARD_W) / 2
    top = height - (height - ROWS * CARD_H) / 2
    pages = 0
    try:
        c = Canvas(str(tmp), pagesize=A4, initialFontName=font)
        c.setTitle(f"{plant} · {words(lang)['badge_title']}")
        c.setCreator("hazwork-cockpit")
        for start in range(0, len(badges), PER_PAGE):
            for i, badge in enumerate(badges[start : start + PER_PAGE]):
                col, row = i % COLUMNS, i // COLUMNS
                _card(c, badge, left + col * CARD_W, top - (row + 1) * CARD_H, font, plant, lang)
            c.showPage()
            pages += 1
        c.save()
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"cannot write the badges to {out}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return pages
