"""The PDF's page map: where each of its pages begins in the text.

The PDF's build writes it beside the reading PDF (``<name>.pages.json``,
:func:`path_for`), from the laid-out pages
(:func:`edition.compat.pages.page_starts`); the EPUB's page list
(:mod:`edition.build.pagelist`) reads it to mark the printed pages, so
that a reader of the EPUB can cite the printed page.

A page is named by its folio (roman in the front matter, arabic from the
first text) and placed by the block it begins in (the id the formats
share), how many letters and digits of that block come before it, and
the letters that follow, lower-cased, to check the place by: where lines
broke, what case a style sets and what spacing the formats give do not
change it.

No Sphinx or WeasyPrint here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import EditionError

VERSION = 1
ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
         ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


@dataclass(frozen=True)
class Page:
    folio: str
    anchor: str      # the id of the block the page begins in; "" for a page without text
    offset: int      # the block's letters and digits before the page
    begins: str      # the page's first letters and digits, lower-cased


@dataclass(frozen=True)
class PageMap:
    pdf: str         # the PDF's file name
    paper: str       # its paper ("a5")
    pages: tuple[Page, ...]


def path_for(pdf: Path) -> Path:
    """beria-1953.pdf → beria-1953.pages.json"""
    return pdf.with_name(f"{pdf.stem}.pages.json")


def folio(index: int, body_start: int | None) -> str:
    """The printed folio of the page at ``index`` (0-based): lower-case roman
    before the page ``body_start``, arabic from 1 there (the PDF's page labels)."""
    if body_start is not None and index >= body_start:
        return str(index - body_start + 1)
    number, roman = index + 1, ""
    for letters, value in ROMAN:
        while number >= value:
            roman, number = roman + letters, number - value
    return roman


def write(path: Path, page_map: PageMap) -> None:
    data = {"version": VERSION, "pdf": page_map.pdf, "paper": page_map.paper,
            "pages": [asdict(page) for page in page_map.pages]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def read(path: Path) -> PageMap:
    """The page map at ``path``; a file that is not one is an error naming it."""
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}, not {VERSION}")
        pages = tuple(Page(str(p["folio"]), str(p["anchor"]), int(p["offset"]), str(p["begins"]))
                      for p in data["pages"])
        return PageMap(str(data["pdf"]), str(data["paper"]), pages)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise EditionError(path, f"not a page map the PDF's build wrote: {exc}") from None
