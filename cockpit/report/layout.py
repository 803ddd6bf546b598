"""The handover report's options and sign-off, as plain types: no reportlab behind them.

The screen and the signing service name these at import time; the renderer (``handover_pdf``, which
loads reportlab, its fonts and PIL) is imported only when a PDF is actually rendered, so building the
views does not pay for it before the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Lang = Literal["zh_CN", "en"]
Paper = Literal["A4", "Letter"]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """One lead's sign-off as printed: who, when, and the hash of the content they signed."""

    role: Literal["outgoing", "incoming"]
    name: str
    username: str = ""
    signed_at: datetime | None = None
    content_hash: str = ""
