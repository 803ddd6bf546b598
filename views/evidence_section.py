"""The permit detail's "Photo evidence" section (issue 23): each key-step photo with its step, time and
check, the required steps that block, and one plain line for a file store that could not be reached.

The photos are fetched and their thumbnails scaled on the detail's own worker (``load_evidence``); the
text pane shows a thumbnail through ``EvidenceBody.loadResource`` (``photo:<sha256>``). A photo whose
content does not match its hash is never drawn: its row says so, in the blocking colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QTextBrowser

from cockpit.permits.evidence import EvidenceReport, PermitEvidence
from cockpit.photo_fetch import FetchedPhoto
from models.plant_clock import format_time
from models.rules.finding_texts import TERM_TEXTS
from models.rules.photo_evidence import NOT_FOUND, TAMPERED, TOO_LARGE, UNREACHABLE, VERIFIED
from views.finding_words import finding_text, term_text
from widgets import theme
from widgets.theme import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from views.permit_detail_view import PermitDetailView

_CONTEXT = "PermitEvidence"
THUMB_WIDTH = 280

_STATE_WORDS = {
    VERIFIED: QT_TRANSLATE_NOOP("PermitEvidence", "checked: unaltered"),
    # a content that does not match the hash the field sent: said as a reader understands it
    TAMPERED: QT_TRANSLATE_NOOP("PermitEvidence", "PHOTO ALTERED"),
    TOO_LARGE: QT_TRANSLATE_NOOP("PermitEvidence", "over the size cap: not checked"),
    NOT_FOUND: QT_TRANSLATE_NOOP("PermitEvidence", "not in the file store"),
    UNREACHABLE: QT_TRANSLATE_NOOP("PermitEvidence", "file store unreachable: not checked"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


@dataclass
class Evidence:
    """What the section shows: the report, its thumbnails by hash (scaled off the GUI thread)."""

    report: EvidenceReport
    thumbnails: dict[str, QImage] = field(default_factory=dict)


_MAGIC = ((b"\x89PNG", b"PNG"), (b"\xff\xd8\xff", b"JPEG"), (b"GIF8", b"GIF"), (b"BM", b"BMP"))


def _image_format(path: Path) -> bytes | None:
    """The photo's format from its first bytes: the cache names files by hash, without a suffix, and
    Qt's guess from the content alone took a PNG for a TGA image (a blank thumbnail)."""
    with path.open("rb") as f:
        head = f.read(12)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return b"WEBP"
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def thumbnail(fetched: FetchedPhoto) -> QImage | None:
    """Worker thread: a verified photo scaled for a screen; None for any other, or a file no image."""
    path = fetched.path
    if not fetched.verified or path is None:
        return None
    reader = QImageReader(str(path))
    kind = _image_format(path)
    if kind is not None:
        reader.setFormat(kind)
    image = reader.read()
    if image.isNull():
        return None
    return image.scaledToWidth(min(THUMB_WIDTH, image.width()), Qt.TransformationMode.SmoothTransformation)


def state_text(state: str) -> str:
    """A fetch's outcome in the screen's language (``checked: unaltered``, ``PHOTO ALTERED`` …)."""
    return _tr(_STATE_WORDS.get(state, state))


def step_text(step: str) -> str:
    """A key step in words; a step the cockpit does not know (a defect's own) as the field named it."""
    if not step:
        return QCoreApplication.translate("PermitEvidence", "no step named")
    return term_text(f"step.{step}") if f"step.{step}" in TERM_TEXTS else step


def load_evidence(source: PermitEvidence, permit_id: str) -> Evidence:
    """Worker thread: fetch and check the permit's photos, and scale the verified ones for the pane."""
    report = source.read(permit_id)
    thumbs: dict[str, QImage] = {}
    for photo in report.photos:
        sha = photo.fetched.ref.sha256
        image = thumbnail(photo.fetched) if sha not in thumbs else None
        if image is not None:
            thumbs[sha] = image
    return Evidence(report, thumbs)


class EvidenceBody(QTextBrowser):
    """The detail's text pane, which also draws the verified photos' thumbnails (``photo:<sha256>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, QImage] = {}

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        url = QUrl(name)
        if url.scheme() == "photo":
            return self.images.get(url.path(), QImage())
        return super().loadResource(kind, name)


def show_evidence(view: PermitDetailView, evidence: Evidence | None, loading: bool) -> None:
    """The section, after the checks: a line while the photos are fetched, then every photo."""
    if evidence is None:
        if loading:
            view._title(QCoreApplication.translate("PermitEvidence", "Photo evidence"))
            view._line(
                "info",
                QCoreApplication.translate("PermitEvidence", "Fetching and checking the key-step photos…"),
            )
        return
    report, zone = evidence.report, view.detail.timezone if view.detail else ""
    counts = report.counts
    failed = counts.get(TAMPERED, 0)
    view._title(
        QCoreApplication.translate(
            "PermitEvidence", "Photo evidence ({n} photos, {ok} unaltered, {bad} altered)"
        ).format(n=len(report.photos), ok=counts.get(VERIFIED, 0), bad=failed)
    )
    if counts.get(UNREACHABLE):
        view._line(
            "warn",
            QCoreApplication.translate(
                "PermitEvidence", "The photo file store could not be reached: {n} photo(s) not checked"
            ).format(n=counts[UNREACHABLE]),
        )
    for f in report.findings:
        view._line(f.severity, finding_text(f, zone))
    if not report.photos and not report.findings:
        view._line(
            "info",
            QCoreApplication.translate(
                "PermitEvidence", "No key-step photos, and none required for this permit type"
            ),
        )
    view.body.images = dict(evidence.thumbnails)
    for photo in report.photos:
        fetched = photo.fetched
        shown = fetched.verified and fetched.ref.sha256 in evidence.thumbnails
        what = QCoreApplication.translate("PermitEvidence", "{step} · {when} · by {by} · {check}").format(
            step=step_text(photo.step),
            when=format_time(photo.ts, zone, "stamp"),
            by=photo.by,
            check=state_text(fetched.state),
        )
        if fetched.verified and not shown:
            what += QCoreApplication.translate("PermitEvidence", " (not an image)")
        view._line("ok" if fetched.verified else "block" if fetched.state == TAMPERED else "warn", what)
        view.evidence_lines.append((fetched.state, photo.step, what))
        if shown:
            border = theme.PALETTE.border
            view._html.append(
                f"<p style='margin-left:96px'><img src='photo:{escape(fetched.ref.sha256)}' "
                f"style='border:1px solid {border}'></p>"
            )
