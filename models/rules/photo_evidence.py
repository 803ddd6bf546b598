"""Key-step photos (issue 23): which step of which permit type needs one, and what a missing one means.

The field app photographs a key step (the hot-work site cleared of combustibles before ignition, the
harness clipped before climbing), uploads the file to the plant's file store and sends a reference on
the permit's event (contract §4, ``photos``: URL, SHA-256 of the content, step). The cockpit fetches
the file and checks the hash (``cockpit/photo_fetch.py``); only a photo whose content matches its hash
is evidence. Which steps a permit type requires is configurable (``[permits] photo_steps``) from the
steps named below, each worded in ``TERM_TEXTS`` (``step.site_cleared``).

A required step without evidence blocks once work may start (approved) and afterwards (a permit that
started without it is marked); on a permit still awaiting approval it is a warning, so the approver
sees what the field will have to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from models.records import PermitStatus, PermitType, PhotoRef
from models.rules.findings import Finding, block, permit_term, warn

# Every step a permit type may require a photo of (a configured step outside this list is refused:
# each needs its words in both languages).
PHOTO_STEPS = (
    "site_cleared",
    "harness_clipped",
    "isolation_locked",
    "blind_fitted",
    "ventilation_on",
    "barrier_set",
)
DEFAULT_PHOTO_STEPS: dict[str, list[str]] = {
    PermitType.HOT_WORK.value: ["site_cleared"],
    PermitType.WORK_AT_HEIGHT.value: ["harness_clipped"],
}

# What a fetch of one photo came to (cockpit/photo_fetch.py); only VERIFIED is evidence.
VERIFIED = "verified"
TAMPERED = "tampered"  # the content does not match the hash the field sent
TOO_LARGE = "too_large"
NOT_FOUND = "not_found"  # the store answered, without the file
UNREACHABLE = "unreachable"  # no answer, a refused connection, a time-out, a server error
FETCH_STATES = (VERIFIED, TAMPERED, TOO_LARGE, NOT_FOUND, UNREACHABLE)


def photo_list(refs: Iterable[PhotoRef]) -> list[dict[str, str]]:
    """References as a permit event's ``detail["photos"]`` keeps them."""
    return [{"url": r.url, "sha256": r.sha256, "step": r.step} for r in refs]


def photos_of(detail: Mapping[str, Any]) -> list[PhotoRef]:
    """The references a stored event's detail holds (none for an event without photos)."""
    out = []
    for item in detail.get("photos") or ():
        if isinstance(item, Mapping) and item.get("url") and item.get("sha256"):
            out.append(PhotoRef(str(item["url"]), str(item["sha256"]), str(item.get("step") or "")))
    return out


def check_photo_steps(
    permit_type: PermitType,
    status: PermitStatus,
    fetched: Sequence[tuple[str, str]],
    required: Mapping[str, Sequence[str]],
) -> list[Finding]:
    """A finding per required step without a verified photo. ``fetched``: (step, fetch state) of every
    photo the permit's events referenced; ``required``: steps by permit type (``photo_steps``)."""
    findings: list[Finding] = []
    permit = permit_term(permit_type)
    for step in required.get(permit_type.value, ()):
        states = [state for s, state in fetched if s == step]
        field = f"photos.{step}"
        if VERIFIED in states:
            continue
        if TAMPERED in states:
            findings.append(block("photo.tampered", field, permit=permit, step=step))
        elif states:
            findings.append(block("photo.unchecked", field, permit=permit, step=step, fetch=states[0]))
        elif status is PermitStatus.SUBMITTED:
            findings.append(warn("photo.needed", field, permit=permit, step=step))
        else:
            findings.append(block("photo.missing", field, permit=permit, step=step))
    return findings
