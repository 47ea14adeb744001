"""Errors for people: every failure names the file, the place and what to do.

Every stage raises :class:`EditionError` (or a subclass) for bad input; the
command line prints it as one line and exits non-zero, never with a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class EditionError(Exception):
    """A problem in the edition's input, reported as ``file:place: message``."""

    path: Path | str
    message: str
    place: str = ""
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.place}" if self.place else f"{self.path}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class SeedError(EditionError):
    """A seed text cannot be read: encoding, fixity, emptiness, control characters."""


class CatalogError(EditionError):
    """``seeds/catalog.toml`` is missing, malformed or inconsistent."""


class ApparatusError(EditionError):
    """An apparatus entry is malformed or its anchor does not match the seed."""


def line_col(text: str, offset: int) -> str:
    """The 1-based ``line:column`` of a character offset, for error messages."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{col}"
