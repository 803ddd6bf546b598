"""Which field acknowledgements (contract §10) may touch a command's record.

The broker's ACL (installer/mosquitto/) keeps a gateway to its own site's `cmd/ack`; this is the
cockpit's own check, for a broker without that ACL and for a gateway that acknowledges the wrong
command. An acknowledgement is taken only for a command a console of this plant sent (in memory or in
the shared database) and only from the topic of that command's own site and area: a gateway answers
for the area it serves. Anything else is counted as a rejection with its reason (console health
``rejected_by_reason``, the diagnostics view) and never stored, so a forged or misrouted
``{"status": "executed"}`` cannot mark a stop as carried out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from models.records import CommandAck, Rejection

if TYPE_CHECKING:
    from cockpit.stopwork import CommandView, StopWorkService

# Reason keys, beside the decoder's (connectors.contract.REJECTION_REASONS).
ACK_REJECTION_REASONS: dict[str, str] = {
    "ack_unknown_command": "an acknowledgement for a command no console of this plant sent",
    "ack_wrong_site": "an acknowledgement from another site than the command's",
    "ack_wrong_area": "an acknowledgement from another area than the command's",
}


def refuse_ack(ack: CommandAck, command: CommandView | None, topic: str, now: datetime) -> Rejection | None:
    """The rejection for ``ack`` (received on ``topic``), or None when it may be applied to ``command``."""
    if command is None:
        reason, detail = "ack_unknown_command", f"no command {ack.command_id!r} was sent"
    elif ack.site != command.site:
        reason = "ack_wrong_site"
        detail = f"command {ack.command_id!r} was sent to site {command.site!r}, not {ack.site!r}"
    elif ack.area != command.area:
        reason = "ack_wrong_area"
        detail = f"command {ack.command_id!r} was sent to {command.site}/{command.area}, not {ack.area!r}"
    else:
        return None
    excerpt = f"{ack.status.value} by {ack.by!r}"[:200]
    return Rejection(topic=topic, reason=reason, detail=detail, excerpt=excerpt, received_at=now)


def take_ack(
    ack: CommandAck, stopwork: StopWorkService, topic: str, record: Callable[[Rejection], None], now: datetime
) -> CommandView | None:
    """Core thread: apply ``ack`` to its command (the command's new view), or record its refusal."""
    refused = refuse_ack(ack, stopwork.command(ack.command_id), topic, now)
    if refused is not None:
        record(refused)
        return None
    return stopwork.on_ack(ack, now)
