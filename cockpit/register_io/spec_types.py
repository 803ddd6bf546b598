"""The register files' column and register types (``specs`` and ``inspection_specs`` fill them in)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table


class Kind(enum.StrEnum):
    TEXT = "text"
    CODE = "code"  # a contract identifier: letters, digits, '.', '_', '-', at most 64
    DATE = "date"
    BOOL = "bool"
    NUMBER = "number"
    INTEGER = "integer"
    CHOICE = "choice"
    TIME = "time"  # a time of day: 08:00


@dataclass(frozen=True)
class Column:
    name: str  # the database column
    zh: str
    en: str
    kind: Kind = Kind.TEXT
    required: bool = False
    key: bool = False
    max_len: int = 200
    choices: tuple[str, ...] = ()
    example: Any = ""
    default: Any = None  # written for a new row when the cell is empty

    def headers(self) -> tuple[str, str, str]:
        return self.zh, self.en, self.name


@dataclass(frozen=True)
class Parent:
    """A reference the rows make: ``columns`` of this register must name a row of ``register``."""

    register: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Register:
    name: str
    zh: str
    en: str
    table: Table
    columns: tuple[Column, ...]
    parents: tuple[Parent, ...] = ()
    surrogate: str | None = None  # an integer primary key the natural key is looked up to (certificates)
    order: tuple[str, ...] = field(default=())

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)
