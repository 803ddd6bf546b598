"""The handover PDF's near-miss section (its own module: ``handover_pdf`` is at the size limit).

One row a near miss: the time in the plant's zone, the place by name (with its site when the report
covers every site), the category in the report's language, who recorded it (a field record says so)
and what happened, cut to ``SHORT`` characters: the near-miss screen keeps the whole text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cockpit.near_misses import FIELD
from cockpit.report.records import NearMissLine

if TYPE_CHECKING:
    from cockpit.report.handover_pdf import _Builder

SHORT = 100


def short(text: str, limit: int = SHORT) -> str:
    """``text`` on one line, at most ``limit`` characters (an ellipsis where it was cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def near_miss_section(b: _Builder) -> list[Any]:
    d, f = b.data, b.f
    total = max(d.near_miss_total, len(d.near_misses))
    story: list[Any] = [b.p(f.t("s_near_misses", n=total), b.h1)]
    if not d.near_misses:
        return [*story, b.p(f.t("none"), b.body)]
    rows = [_row(b, n) for n in d.near_misses]
    story.append(
        b.table(
            [f.t(k) for k in ("time", "area", "nm_category", "nm_recorded_by", "nm_what")],
            rows,
            [9, 16, 14, 17, 44],
        )
    )
    if total > len(d.near_misses):
        story.append(b.p(f.t("more_near_misses", n=total - len(d.near_misses)), b.small))
    return story


def _row(b: _Builder, n: NearMissLine) -> list[str]:
    d, f = b.data, b.f
    place = d.area_name(n.site, n.area) if n.area else d.site_label(n.site)
    if d.site is None and n.area:
        place = f"{place} · {d.site_label(n.site)}"
    who = d.person(n.recorded_by)
    if n.source == FIELD:
        who = f"{who} ({f.t('nm_field')})"
    what = short(n.description)
    if n.permit_id:
        what = f"[{n.permit_id}] {what}"
    return [f.when(n.occurred_at), place, f.t(f"nm_{n.category}"), who, what]
