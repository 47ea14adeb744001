"""``edition build``: the chapters regenerated, the sources read once, each
format built (the PDF in a process of its own, started first)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .. import pagemap, progress
from ..errors import EditionError
from ..progress import Progress
from ..project import FORMATS, Project
from ..render import chapters
from ..settings import Book, read_book
from . import downloads, pagelist
from .forked import ForkedBuild, can_fork
from .sphinx import load_ahead
from .staging import BuildError, build_format, read_sources

# How often the EPUB's marking looks for the PDF's page map, seconds.
EARLY_POLL = 0.02


def build(project: Project, formats: tuple[str, ...] = FORMATS, *, paper: str | None = None,
          quiet: bool = False, diplomatic: bool = False,
          pdf_variant: str | None = None, verbose: bool = False, pdf_lines: Path | None = None,
          report: Progress | None = None) -> dict[str, Path]:
    """Regenerate the chapters, then build each format; returns their folders.

    ``verbose`` shows Sphinx's own output (and builds one format after the
    other, so that it reads in order); otherwise Sphinx reports only
    warnings, and ``report`` (default: progress lines on a terminal, none
    with ``quiet`` or in CI) says what is being done. ``pdf_lines``: a file
    the PDF's build writes where each paragraph's lines fell (for
    :mod:`edition.build.copyfit`)."""
    report = report or Progress.for_terminal(quiet)
    progress.use(report)
    shared = dict(quiet=not verbose, diplomatic=diplomatic)
    if diplomatic and "tei" in formats:
        raise EditionError(project.book_dir, "the TEI gives both readings: build it without --diplomatic")
    pdf_options = dict(shared, paper=paper, pdf_variant=pdf_variant, pdf_lines=pdf_lines)
    forked = early = None
    if "pdf" in formats and not verbose and can_fork():
        # The PDF's page map, told as soon as the pages are laid out: the
        # EPUB's printed pages are marked while the PDF is written.
        early = project.build_dir / f".pages-{os.getpid()}.json" if "epub" in formats else None
        # Started first, it loads Sphinx and WeasyPrint while this process
        # writes the chapters and reads them (also when the PDF is the only
        # format: loading is its longest wait).
        forked = ForkedBuild(project, "pdf", dict(pdf_options, page_map_early=early))
    book = read_book(project)
    offered = downloads.offered(book, formats, diplomatic)
    site_options = dict(shared, downloads=offered)
    # The EPUB names the TEI built with it.
    epub_options = dict(shared, relation=book.publication("tei") if "tei" in formats else "")
    pdf_map = pagemap.path_for(project.output_dir("pdf", diplomatic) / book.publication("pdf", diplomatic))
    outputs: dict[str, Path] = {}
    # What became of each format once the formats are built: "rebuilt",
    # "failed", "stopped" (the PDF's process, when another format failed);
    # a format not in it did not run.
    outcome: dict[str, str] | None = None
    try:
        load_ahead(project)
        with report.stage("chapters: seeds + apparatus → book/texts"):
            for path in chapters.write(chapters.prepare(project)):
                if not quiet:
                    done = "regenerated" if path.exists() else "removed"
                    print(f"edition: {done} {path.relative_to(project.root)}", file=sys.stderr)
        if len(formats) > 1 or forked is not None:
            what = "once for all formats" if len(formats) > 1 else "while the PDF's process starts"
            with report.stage(f"reading the sources ({what})"):
                read_sources(project, **shared)
        outcome = {}
        if forked is not None:
            forked.go()
            outcome[forked.fmt] = "running"
        for fmt in formats:
            if (forked is not None and fmt == forked.fmt) or fmt == "tei":
                continue
            outcome[fmt] = "failed"
            with report.stage(f"{fmt}: writing"):
                options = {"pdf": pdf_options, "html": site_options, "epub": epub_options}.get(fmt, shared)
                outputs[fmt] = build_format(project, fmt, **options)
            outcome[fmt] = "rebuilt"
        if early is not None:
            with report.stage("epub: marking the printed pages while the PDF is written"):
                while forked.running() and not early.exists():
                    time.sleep(EARLY_POLL)
                if early.exists():   # else the PDF failed, which its result says
                    _mark_printed_pages(report, book, outputs["epub"], early, diplomatic)
        if forked is not None:
            with report.stage(f"{forked.fmt}: waiting for the layout to finish"):
                outputs[forked.fmt] = forked.result()
        if "epub" in formats and early is None:   # the PDF built here, or the last PDF's
            with report.stage("epub: marking the printed pages"):
                _mark_printed_pages(report, book, outputs["epub"], pdf_map, diplomatic)
        if "tei" in formats:
            # After the PDF: its page map gives the TEI's page breaks.
            outcome["tei"] = "failed"
            with report.stage("tei: writing and validating"):
                outputs["tei"] = build_format(project, "tei", **shared,
                                              page_map=pdf_map if pdf_map.is_file() else None)
            outcome["tei"] = "rebuilt"
        downloads.publish(project, offered, diplomatic)
    except BuildError as exc:
        if outcome is None:   # nothing built yet: the error says what is unchanged
            raise
        if forked is not None:
            outcome[forked.fmt] = forked.stop()
        if outcome.get("html") == "rebuilt":   # its links lead to the last good files
            downloads.publish(project, offered, diplomatic)
        raise BuildError(exc.path, f"{exc.message}; {what_became(project, formats, outcome, diplomatic)}",
                         exc.place) from None
    finally:
        if forked is not None:
            # A failed (or interrupted) build stops the PDF's process too: the
            # first error is the one reported, as in a build one format at a time.
            forked.stop()
        if early is not None:
            early.unlink(missing_ok=True)
    return {fmt: outputs[fmt] for fmt in formats}


def _mark_printed_pages(report: Progress, book: Book, epub_folder: Path, page_map: Path,
                        diplomatic: bool) -> None:
    report.say(pagelist.mark_printed_pages(epub_folder / book.publication("epub", diplomatic), page_map,
                                           heading=book.words("epub.page-list"), source=book.page_source))


def what_became(project: Project, formats: tuple[str, ...], outcome: dict[str, str],
                diplomatic: bool = False) -> str:
    """Each format of a failed build: rebuilt, its last good output kept (it
    failed, or was stopped when another failed), or not run (its last good
    output is in place too)."""
    def names(fmts: list[str]) -> str:
        return ", ".join(fmts) or "—"

    rebuilt = [fmt for fmt in formats if outcome.get(fmt) == "rebuilt"]
    unfinished = [fmt for fmt in formats if outcome.get(fmt) in ("failed", "stopped")]
    not_run = [fmt for fmt in formats if outcome.get(fmt, "not run") == "not run"]

    def said(fmt: str) -> str:
        return f"{fmt} (stopped)" if outcome[fmt] == "stopped" else fmt

    kept = [said(fmt) for fmt in unfinished if project.output_dir(fmt, diplomatic).exists()]
    none = [said(fmt) for fmt in unfinished if not project.output_dir(fmt, diplomatic).exists()]
    parts = [f"rebuilt: {names(rebuilt)}", f"kept the last good output: {names(kept)}"]
    if none:
        parts.append(f"no earlier output to keep: {names(none)}")
    parts.append(f"not run: {names(not_run)}")
    return "; ".join(parts)
