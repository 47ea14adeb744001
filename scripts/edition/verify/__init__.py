"""Verify: every word of every seed, in order, in every built format.

Takes the project (seeds, structure and apparatus, through
:func:`edition.render.chapters.prepare`) and the outputs already built in its build
folder — ``html/texts/<slug>.html``, ``texts/<slug>.xhtml`` inside
``epub/*.epub``, the text's pages of ``pdf/*.pdf`` (under ``diplomatic/``
for the diplomatic edition) and, asked for, each text of ``tei/*.xml`` in
both its readings.  Gives a :class:`Report`: the number of words
verified per format and every difference between the words the reader must
read and the words the output shows, each with the format, the text, its kind
(``lost``, ``extra``, ``reordered``, ``changed``), the seed's ``line:column``
and the words.

How the expected words are made: :mod:`.expected`; how each format is read:
:mod:`.markup` (HTML pages, the EPUB's XHTML), :mod:`.pdf` and :mod:`.tei`; how the two
are aligned: :mod:`.compare`.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import EditionError
from ..project import FORMATS, Project
from ..render.chapters import prepare
from .compare import Difference, compare
from .expected import Expected, expected
from .markup import html_streams
from .pdf import as_drawn, pdf_streams
from .tei import tei_streams

__all__ = ["Difference", "Report", "verify"]


@dataclass
class Report:
    diplomatic: bool = False
    counts: dict[str, int] = field(default_factory=dict)      # format → words verified
    texts: dict[str, int] = field(default_factory=dict)       # format → texts verified
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _missing(path: Path, diplomatic: bool) -> EditionError:
    command = "edition build --diplomatic" if diplomatic else "edition build"
    return EditionError(_show(path), f"missing — run {command}")


def _all(folder: Path, pattern: str, diplomatic: bool) -> list[Path]:
    """The outputs in ``folder``, the shortest name (the book's own) first."""
    found = sorted(folder.glob(pattern), key=lambda p: (len(p.name), p.name))
    if not found:
        raise _missing(folder / pattern, diplomatic)
    return found


def _one(folder: Path, pattern: str, diplomatic: bool) -> Path:
    return _all(folder, pattern, diplomatic)[0]


def _check(report: Report, fmt: str, exp: Expected, text: list[str] | None,
           notes: dict[str, list[str]]) -> None:
    report.texts[fmt] = report.texts.get(fmt, 0) + 1
    if text is None:
        report.differences.append(Difference(fmt, exp.slug, "text", "lost", "1:1",
                                              tuple(w.text for w in exp.text)))
        return
    report.counts[fmt] = report.counts.get(fmt, 0) + len(exp.text) + sum(map(len, exp.notes.values()))
    report.differences += compare(fmt, exp.slug, "text", exp.seed, exp.text, text)
    for number, want in exp.notes.items():
        report.differences += compare(fmt, exp.slug, f"note {number}", exp.seed, want,
                                      notes.get(number, []))


def _require() -> None:
    """The readers verify needs (dependencies of the project: missing only
    from a broken installation)."""
    import importlib.util

    missing = [name for module, name in (("bs4", "beautifulsoup4"), ("lxml", "lxml"),
                                         ("pdfplumber", "pdfplumber"))
               if importlib.util.find_spec(module) is None]
    if missing:
        raise EditionError("edition verify", f"needs {', '.join(missing)}",
                           hint="install the project again: pip install -e .")


def verify(project: Project, *, diplomatic: bool = False,
           formats: Iterable[str] = FORMATS) -> Report:
    """Verify the built outputs of ``formats`` against the seeds and apparatus."""
    _require()
    formats = tuple(formats)
    edition = prepare(project)
    report = Report(diplomatic)
    wanted = [expected(chapter, diplomatic, edition.words) for chapter in edition.chapters]
    # Every output must be there before anything is compared.
    html_dir = project.output_dir("html", diplomatic)
    if "html" in formats and not (html_dir / "texts").is_dir():
        raise _missing(html_dir / "texts", diplomatic)
    epub = _one(project.output_dir("epub", diplomatic), "*.epub", diplomatic) if "epub" in formats else None
    pdfs = _all(project.output_dir("pdf", diplomatic), "*.pdf", diplomatic) if "pdf" in formats else []

    if "html" in formats:
        for exp in wanted:
            page = html_dir / "texts" / f"{exp.slug}.html"
            streams = html_streams(page.read_bytes()) if page.exists() else None
            _check(report, "html", exp, *(streams or (None, {})))
    if epub is not None:
        try:
            with zipfile.ZipFile(epub) as z:
                names = set(z.namelist())
                pages = {exp.slug: z.read(f"texts/{exp.slug}.xhtml")
                         for exp in wanted if f"texts/{exp.slug}.xhtml" in names}
        except zipfile.BadZipFile as exc:
            raise EditionError(_show(epub), f"not a readable EPUB ({exc})") from None
        for exp in wanted:
            streams = html_streams(pages[exp.slug]) if exp.slug in pages else None
            _check(report, "epub", exp, *(streams or (None, {})))
    if "tei" in formats:
        # One TEI gives both readings: each is verified.
        tei = _one(project.output_dir("tei"), "*.xml", False)
        for reading, is_diplomatic in (("tei", False), ("tei (diplomatic)", True)):
            found = tei_streams(tei.read_bytes(), is_diplomatic)
            for exp in (expected(chapter, is_diplomatic, edition.words) for chapter in edition.chapters):
                _check(report, reading, exp, *found.get(exp.slug, (None, {})))
    for pdf in pdfs:
        # The reading PDF, and any variant built beside it (archival, accessible).
        fmt = "pdf" if pdf == pdfs[0] else f"pdf {pdf.name}"
        drawn = [as_drawn(exp) for exp in wanted]
        found = pdf_streams(pdf, drawn, edition.words)
        for exp in drawn:
            _check(report, fmt, exp, *found.get(exp.slug, (None, {})))
    return report


