"""The core's choice between the Sparkplug B host and the JSON contract alone.

Kept apart from ``cockpit/sparkplug_link.py`` so that a core without Sparkplug never imports the link,
its codec and protobuf (about 36 ms of `serve`'s start before its first health, `-X importtime`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cockpit.core import CockpitCore
    from cockpit.sparkplug_link import SparkplugLink


class JsonOnly:
    """No Sparkplug configured: the core decodes with the JSON decoder itself (no extra call)."""

    def __init__(self, decode: Callable[[str, bytes, datetime], Any]) -> None:
        self.decode = decode

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def snapshot(self) -> dict[str, Any]:
        return {}


def sparkplug_host(core: CockpitCore) -> SparkplugLink | JsonOnly:
    """The composition root's part: the host beside the JSON contract, or the JSON decoder alone."""
    config = core.config.sparkplug
    if not config.enabled:
        return JsonOnly(core.decoder.decode)
    from cockpit.sparkplug_link import SparkplugLink
    from cockpit.sparkplug_register import read_sparkplug_map

    db = core.db
    link = SparkplugLink(
        config,
        core.decoder.decode,
        core.connector,
        core.rejections.record,
        core.clock,
        read_register=lambda: read_sparkplug_map(db),
    )
    link.connection(core.connector, core.console, core.loop.append, core.loop.offer)
    core.stopwork.publish = link.beside(core.stopwork.publish)
    return link
