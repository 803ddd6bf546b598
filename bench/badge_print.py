"""Badge sheets: the QR drawn with reportlab's ``QrCodeWidget`` (the baseline) against
``cockpit/report/qr.draw_qr`` (encoded once, one path), in the same run, on the same badges.

    python bench/badge_print.py [--workers 200]

Prints one line per way, then one summary line: ``key=value`` …, ``ratio`` = baseline / ours.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from cockpit.report import badge_pdf
from cockpit.report.badge_pdf import Badge, render_badges_pdf
from cockpit.safety_codes import CodeKeys


def widget_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR as reportlab's widget draws it (what cockpit/report/qr.py replaced)."""
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def timed(badges: list[Badge], out: Path) -> float:
    start = time.perf_counter()
    render_badges_pdf(badges, out, plant="一号化工厂")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=200)
    args = parser.parse_args()
    keys = CodeKeys(b"a bench key, never a plant's")
    badges = [
        Badge(f"W-{i:05d}", "王某某", "华东安装工程有限公司", "焊接与热切割", keys.worker_code(f"W-{i:05d}"))
        for i in range(args.workers)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        render_badges_pdf(badges[:2], folder / "warm.pdf", plant="warm")  # font registered, modules loaded
        with mock.patch.object(badge_pdf, "draw_qr", widget_qr):
            baseline = timed(badges, folder / "widget.pdf")
        ours = timed(badges, folder / "ours.pdf")
        size_kib = (folder / "ours.pdf").stat().st_size // 1024
    per = 1000 / args.workers
    print(f"way=widget badges={args.workers} s={baseline:.2f} ms_per_badge={baseline * per:.1f}", flush=True)
    print(f"way=draw_qr badges={args.workers} s={ours:.2f} ms_per_badge={ours * per:.1f}", flush=True)
    print(
        f"badges={args.workers} widget_s={baseline:.2f} draw_qr_s={ours:.2f} "
        f"ratio={baseline / ours:.2f} pdf_kib={size_kib}",
        flush=True,
    )


if __name__ == "__main__":
    main()
