"""``edition build``: the chapters regenerated, the sources read once, each
format built (the PDF in a process of its own, started first)."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import progress
from ..progress import Progress
from ..project import FORMATS, Project
from ..render import chapters
from .forked import ForkedBuild, can_fork
from .sphinx import load_ahead
from .staging import build_format, read_sources


def build(project: Project, formats: tuple[str, ...] = FORMATS, *, paper: str | None = None,
          quiet: bool = False, diplomatic: bool = False,
          pdf_variant: str | None = None, verbose: bool = False,
          report: Progress | None = None) -> dict[str, Path]:
    """Regenerate the chapters, then build each format; returns their folders.

    ``verbose`` shows Sphinx's own output (and builds one format after the
    other, so that it reads in order); otherwise Sphinx reports only
    warnings, and ``report`` (default: progress lines on a terminal, none
    with ``quiet`` or in CI) says what is being done."""
    report = report or Progress.for_terminal(quiet)
    progress.use(report)
    shared = dict(quiet=not verbose, diplomatic=diplomatic)
    pdf_options = dict(shared, paper=paper, pdf_variant=pdf_variant)
    forked = None
    if "pdf" in formats and not verbose and can_fork():
        # Started first, it loads Sphinx and WeasyPrint while this process
        # writes the chapters and reads them (also when the PDF is the only
        # format: loading is its longest wait).
        forked = ForkedBuild(project, "pdf", pdf_options)
    outputs: dict[str, Path] = {}
    try:
        load_ahead(project)
        with report.stage("chapters: seeds + apparatus → book/texts"):
            for path in chapters.write(chapters.prepare(project)):
                if not quiet:
                    print(f"edition: regenerated {path.relative_to(project.root)}", file=sys.stderr)
        if len(formats) > 1 or forked is not None:
            what = "once for all formats" if len(formats) > 1 else "while the PDF's process starts"
            with report.stage(f"reading the sources ({what})"):
                read_sources(project, **shared)
        if forked is not None:
            forked.go()
        for fmt in formats:
            if forked is not None and fmt == forked.fmt:
                continue
            with report.stage(f"{fmt}: writing"):
                outputs[fmt] = build_format(project, fmt, **(pdf_options if fmt == "pdf" else shared))
        if forked is not None:
            with report.stage(f"{forked.fmt}: waiting for the layout to finish"):
                outputs[forked.fmt] = forked.result()
    finally:
        if forked is not None:
            # A failed (or interrupted) build stops the PDF's process too: the
            # first error is the one reported, as in a build one format at a time.
            forked.stop()
    return {fmt: outputs[fmt] for fmt in formats}
