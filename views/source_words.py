"""An alarm's source in words: what raised it, not the core's key for it.

The core names a source by a key (``CHEM1/TK08/GD-101/LEL``, ``worker:W-10023``, ``permit:HW-1``,
``cmd:…``, ``gate:CHEM1/TK08``); the alarm list, the journal, the popup and the alarm figures show
"detector GD-101, LEL", "worker 张伟 (W-10023)" (the id alone until the register's name is read,
``views/worker_names.py``), "permit HW-1", in the screen's language. A key of another shape is
shown as it came, so nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from views.place_names import PlaceNames
from widgets.alarm_words import condition_text


def source_text(
    source: str, names: PlaceNames | None = None, people: Callable[[str], str | None] | None = None
) -> str:
    """``source`` in the screen's language (the site and area are in the place column beside it); a
    worker by the name ``people`` gives for his id, with the id."""
    kind, sep, key = source.partition(":")
    if sep and key:
        if kind == "worker":
            name = people(key) if people is not None else None
            who = named_worker(key, name) if name else key
            return QCoreApplication.translate("SourceWords", "worker {id}").format(id=who)
        if kind == "permit":
            return QCoreApplication.translate("SourceWords", "permit {id}").format(id=key)
        if kind == "cmd":
            return QCoreApplication.translate("SourceWords", "stop-work command {id}").format(id=key)
        if kind == "gate":
            site, _, area = key.partition("/")
            place = names.area(site, area) if names is not None else area or site
            return QCoreApplication.translate("SourceWords", "gate of {place}").format(place=place)
        return source
    parts = source.split("/")
    if len(parts) == 4:  # site/area/device/channel: a gas channel
        return QCoreApplication.translate("SourceWords", "detector {device}, {channel}").format(
            device=parts[2], channel=parts[3]
        )
    if len(parts) == 3:  # site/area/device: the detector itself
        return QCoreApplication.translate("SourceWords", "detector {device}").format(device=parts[2])
    return source


def named_worker(worker: str, name: str) -> str:
    """A worker by name with his id ("张伟 (W-10023)"): two people may share a name."""
    return QCoreApplication.translate("SourceWords", "{name} ({id})").format(name=name, id=worker)


def alarm_text(
    alarm_id: str, names: PlaceNames | None = None, people: Callable[[str], str | None] | None = None
) -> str:
    """An alarm by what raised it and its condition (``detector GD-1, LEL · high-high``), not its id
    (``S1/A1/GD-1/LEL:HIHI``); a gas channel's level alarm (``…:LEVEL``) by its source alone."""
    source, sep, condition = alarm_id.rpartition(":")
    if not sep or not source:
        return alarm_id
    words = source_text(source, names, people)
    if condition == "LEVEL":
        return words
    return f"{words} · {condition_text(condition)}"
