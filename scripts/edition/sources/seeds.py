"""Sources, read + verify: the catalogue's entries and the seed files → :class:`Seed`.

Takes the project's ``seeds/`` folder; gives each text's catalogue entry and its
decoded text.  Reading is strict: the bytes must match the catalogued sha256
(fixity), be valid UTF-8 without a byte-order mark, be non-empty and contain no
control characters other than line ends and tabs.  Any failure is a
:class:`~edition.errors.SeedError` naming the file and the byte or line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SeedError, line_col
from .catalog import CatalogEntry, load_catalog

# C0/C1 controls other than TAB and LF; CR is allowed only before LF.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


@dataclass(frozen=True)
class Seed:
    """A verified seed: its catalogue entry, its path and its decoded text."""

    entry: CatalogEntry
    path: Path
    text: str


def decode_seed(path: Path, data: bytes) -> str:
    """Strict UTF-8 decoding with errors that name the byte offset."""
    if not data.strip():
        raise SeedError(path, "the file is empty", hint="a seed must contain the text")
    if data.startswith(b"\xef\xbb\xbf"):
        raise SeedError(path, "starts with a UTF-8 byte-order mark", "byte 0",
                        "save the text as UTF-8 without BOM")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise SeedError(
            path, f"not valid UTF-8: byte 0x{data[exc.start]:02x} ({exc.reason})",
            f"byte {exc.start}", "convert the file to UTF-8",
        ) from None
    bad = CONTROL_RE.search(text)
    if bad:
        raise SeedError(
            path, f"contains the control character U+{ord(bad.group()):04X}",
            line_col(text, bad.start()), "remove it or replace it with a space",
        )
    return text


def read_seed(seeds_dir: Path, entry: CatalogEntry) -> Seed:
    """Read one seed and check its fixity against the catalogue."""
    path = seeds_dir / entry.seed_name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SeedError(path, f"the seed of catalogue entry {entry.slug!r} is missing") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise SeedError(
            path, f"sha256 {digest} does not match the catalogue's {entry.sha256}",
            hint="seeds are never edited; restore the file as received, or catalogue a new seed",
        )
    return Seed(entry=entry, path=path, text=decode_seed(path, data))


def read_all(seeds_dir: Path) -> list[Seed]:
    return [read_seed(seeds_dir, e) for e in load_catalog(seeds_dir)]
