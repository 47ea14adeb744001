"""Copy-fitting: the printed pages' small adjustments, kept in ``book/copyfit.toml``.

A page that ends two or more lines short of its foot, because what follows
may not be broken (a heading kept with its first lines, a paragraph's last
lines with their notes, an entry kept whole), is what a press copy-fits by
hand: a paragraph on that page is set one line longer, by tracking it a
little looser (TeX's ``\\looseness=1``; a few thousandths of an em), or one
shorter, or the space the page has between its blocks is stretched, until
the page is full. ``edition copyfit`` (:mod:`edition.build.copyfit`) finds
those paragraphs by laying the book out and writes them here; the PDF's
build applies them as a stylesheet, so that the book is laid out once.

A paragraph is named by its words (:func:`paragraph_key`), not by its place:
an entry whose paragraph has changed names none, is reported by the build,
and the next ``edition copyfit`` finds the page again. The file holds one
table per reading and paper (``[critical.a5]``): another paper breaks the
pages elsewhere.

Read by the PDF builder and the command line; no Sphinx or WeasyPrint here.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import EditionError

FILE_NAME = "copyfit.toml"
# The most a paragraph is tracked (em): at ten thousandths of an em, as
# much as a press copy-fits by without the reader seeing it.
MAX_TRACKING = 0.015
# The word spaces are opened (or closed) with the letters, this many
# times as much: a justified line's spaces vary more than that anyway.
WORD_SPACING = 4
# The step the tracking is given in, and the least it is given.
TRACKING_STEP = 0.003


# Where no paragraph on a short page takes a line, the space the page
# already has between its blocks (register entries, a headnote's fields,
# the gap before a text) is stretched, each gap by the same factor, to at
# most this many times its own: the page's glue, as a flush-bottom page's.
MAX_STRETCH = 2.0


@dataclass(frozen=True)
class Fit:
    tracking: float     # em, added to the paragraph's letter-spacing
    begins: str         # the paragraph's first words, for the reader of the file
    page: str = ""      # the printed page it fills, when it was fitted
    space: float = 0.0  # pt, added above the paragraph (a stretched gap)


def paragraph_key(text: str, seen: dict[str, int]) -> str:
    """A paragraph's name in the file: a digest of its words (the same words
    give the same name; ``seen`` counts them, so that a paragraph whose words
    repeat an earlier one's is told apart by its number)."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def section(reading: str, paper: str) -> str:
    return f"{reading}.{paper}"


def read(path: Path) -> dict[str, dict[str, Fit]]:
    """Every table of the file: section → paragraph key → its fit (none if no file)."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise EditionError(path, f"not a copy-fitting file: {error}",
                           hint="run `edition copyfit` to write it again") from None
    tables: dict[str, dict[str, Fit]] = {}
    for reading, papers in data.items():
        for paper, entries in (papers.items() if isinstance(papers, dict) else ()):
            table = tables.setdefault(section(reading, paper), {})
            for key, entry in (entries.items() if isinstance(entries, dict) else ()):
                entry = entry if isinstance(entry, dict) else {}
                tracking, space = entry.get("tracking", 0), entry.get("space", 0)
                if (not isinstance(tracking, (int, float)) or abs(tracking) > MAX_TRACKING
                        or not isinstance(space, (int, float)) or space < 0 or not (tracking or space)):
                    raise EditionError(path, f"[{reading}.{paper}] {key}: give a tracking (em, at most "
                                       f"{MAX_TRACKING} either way) or a space above (pt, positive)",
                                       hint="run `edition copyfit` to write it again")
                table[key] = Fit(float(tracking), str(entry.get("begins", "")), str(entry.get("page", "")),
                                 float(space))
    return tables


def write(path: Path, tables: dict[str, dict[str, Fit]]) -> None:
    lines = ["# Copy-fitting of the printed pages: each paragraph named here is tracked",
             "# a little looser (em) to fill its page. Written by `edition copyfit`;",
             "# read by the PDF's build. One table per reading and paper.", ""]
    for name in sorted(tables):
        if not tables[name]:
            continue
        lines.append(f"[{name}]")
        for key, fit in sorted(tables[name].items(), key=lambda item: (item[1].page, item[0])):
            # JSON's strings are TOML's basic strings.
            how = ", ".join(([f"tracking = {fit.tracking:+.3f}"] if fit.tracking else [])
                            + ([f"space = {fit.space:.2f}"] if fit.space else []))
            lines.append(f"{json.dumps(key)} = {{ {how}, page = {json.dumps(fit.page)}, "
                         f"begins = {json.dumps(fit.begins, ensure_ascii=False)} }}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


ATTRIBUTE = "data-fit"   # the print HTML's name of a paragraph or a heading (its key)


def stylesheet(table: dict[str, Fit], important: bool = False) -> str:
    """The CSS that sets the table's paragraphs (``important``: as a user
    stylesheet given beside the print HTML, to win over its own)."""
    bang = " !important" if important else ""
    rules = "".join(f'[{ATTRIBUTE}="{key}"] {{ letter-spacing: {fit.tracking:.3f}em{bang}; '
                    f'word-spacing: {WORD_SPACING * fit.tracking:.3f}em{bang}; }}\n'
                    for key, fit in sorted(table.items()) if fit.tracking)
    # Padding, not a margin: a margin would collapse into the one already there.
    rules += "".join(f'[{ATTRIBUTE}="{key}"] {{ padding-top: {fit.space:.2f}pt{bang}; }}\n'
                     for key, fit in sorted(table.items()) if fit.space)
    # A note is set at its call, inside the paragraph: it keeps its own spacing.
    return rules + (f"[{ATTRIBUTE}] span.footnote {{ letter-spacing: normal{bang}; "
                    f"word-spacing: normal{bang}; }}\n") if rules else ""
