"""Finding a CJK font that reportlab can embed in the printed handover.

reportlab embeds TrueType outlines only (``glyf`` table); many CJK fonts shipped today are CFF/OpenType
(Noto CJK, macOS PingFang), which it refuses. So the search checks each candidate's tables, not only its
name. Order of preference:

- ``$COCKPIT_CJK_FONT`` (a path, optionally ``path#index`` for a collection), for a site that wants its own;
- Linux: WenQuanYi Zen Hei / Micro Hei (Debian/Ubuntu ``fonts-wqy-zenhei``, Fedora ``wqy-zenhei-fonts``),
  AR PL UMing, Droid Sans Fallback;
- Windows: SimHei (``simhei.ttf``), Microsoft YaHei (``msyh.ttc``), SimSun (``simsun.ttc``);
- macOS: Arial Unicode (``/Library/Fonts/Arial Unicode.ttf``, ``Supplemental``),
  STHeiti (``STHeiti Light.ttc``), Hiragino Sans GB. PingFang and Songti are CFF: reportlab cannot
  embed them.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.errors import UserError

ENV_FONT = "COCKPIT_CJK_FONT"


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def default_candidates() -> list[Path]:
    """Known TrueType CJK fonts, for every platform (missing ones are skipped)."""
    return [
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
        Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
        Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
        _windows_fonts() / "simhei.ttf",
        _windows_fonts() / "msyh.ttc",
        _windows_fonts() / "simsun.ttc",
        Path("/Library/Fonts/Arial Unicode.ttf"),
        Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
        Path("/System/Library/Fonts/STHeiti Light.ttc"),
        Path("/System/Library/Fonts/STHeiti Medium.ttc"),
        Path("/System/Library/Fonts/Hiragino Sans GB.ttc"),
    ]


@dataclass(frozen=True, slots=True)
class CjkFont:
    """A usable font file and, for a collection (.ttc), the index of the face inside it."""

    path: Path
    subfont_index: int = 0


def _table_tags(path: Path, index: int) -> set[bytes]:
    """The sfnt table tags of one face, read from the header only (a 20 MB font is not parsed)."""
    with path.open("rb") as fh:
        head = fh.read(12)
        offset = 0
        if head[:4] == b"ttcf":
            (count,) = struct.unpack(">I", head[8:12])
            if index >= count:
                return set()
            fh.seek(12 + 4 * index)
            (offset,) = struct.unpack(">I", fh.read(4))
            fh.seek(offset)
            head = fh.read(12)
        (num_tables,) = struct.unpack(">H", head[4:6])
        directory = fh.read(16 * num_tables)
    return {directory[i * 16 : i * 16 + 4] for i in range(num_tables)}


def has_truetype_outlines(path: Path, index: int = 0) -> bool:
    """True when the face has ``glyf`` outlines (embeddable by reportlab), not CFF."""
    try:
        return b"glyf" in _table_tags(path, index)
    except (OSError, struct.error):
        return False


def _parse(entry: str) -> CjkFont:
    path, _, index = entry.partition("#")
    return CjkFont(Path(path).expanduser(), int(index) if index.isdigit() else 0)


def find_cjk_font(candidates: Iterable[Path | CjkFont] | None = None) -> CjkFont | None:
    """The first embeddable CJK font among the candidates (default: the environment, then the known list)."""
    items: list[CjkFont] = []
    if candidates is None:
        env = os.environ.get(ENV_FONT, "").strip()
        if env:
            items.append(_parse(env))
        items.extend(CjkFont(p) for p in default_candidates())
    else:
        items.extend(c if isinstance(c, CjkFont) else CjkFont(Path(c)) for c in candidates)
    for item in items:
        if item.path.is_file() and has_truetype_outlines(item.path, item.subfont_index):
            return item
    return None


def find_cjk_ttf(candidates: Sequence[Path] | None = None) -> Path | None:
    """Path of the first embeddable TrueType CJK font, or None."""
    font = find_cjk_font(candidates)
    return font.path if font else None


def install_hint(platform: str | None = None) -> str:
    """What to install on this operating system, in one sentence."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "add the Chinese supplemental fonts (Settings > Apps > Optional features) so simhei.ttf exists"
    if platform == "darwin":
        return "install a TrueType CJK font such as Arial Unicode or STHeiti (PingFang cannot be embedded)"
    return "install fonts-wqy-zenhei (Debian/Ubuntu: apt install fonts-wqy-zenhei; Fedora: wqy-zenhei-fonts)"


def require_cjk_font(candidates: Iterable[Path | CjkFont] | None = None) -> CjkFont:
    """Like ``find_cjk_font`` but a missing font is a UserError that says what to install."""
    font = find_cjk_font(candidates)
    if font is None:
        raise UserError(
            f"no TrueType Chinese font found for the PDF: {install_hint()}, or set {ENV_FONT}=/path/font.ttf"
        )
    return font
