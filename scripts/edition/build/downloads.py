"""The site's downloads: the PDF and the EPUB built with it, copied into its
``downloads/`` folder (:data:`edition.project.SITE_DOWNLOADS`) once every
format is built, for the links its home page gives
(:mod:`edition.sphinxext.html.home`). A site built alone offers none: what
it would offer might be older than its text."""

from __future__ import annotations

import os
import shutil

from ..project import SITE_DOWNLOADS, Project
from ..settings import Book

# What the site offers, in the order its home page gives them.
OFFERED = ("pdf", "epub", "tei")


def offered(book: Book, formats: tuple[str, ...], diplomatic: bool = False) -> tuple[str, ...]:
    """The files the site built with ``formats`` offers: its edition's PDF
    and EPUB and the TEI, when they are built with it (``format:file``)."""
    if "html" not in formats:
        return ()
    return tuple(f"{fmt}:{book.publication(fmt, diplomatic and fmt != 'tei')}" for fmt in OFFERED if fmt in formats)


def publish(project: Project, names: tuple[str, ...], diplomatic: bool = False) -> None:
    """Copy each offered file (``format:file``) from its format's folder into
    the site's downloads, each replacing the last at once (one whose format
    has never been built is not there to copy). The TEI, which gives both
    readings, is the critical edition's."""
    site = project.output_dir("html", diplomatic)
    folder = site / SITE_DOWNLOADS
    for offer in names:
        fmt, _, name = offer.partition(":")
        source = project.output_dir(fmt, "tei" != fmt and diplomatic) / name
        if not source.is_file() or not site.is_dir():
            continue
        folder.mkdir(exist_ok=True)
        partial = folder / f".{name}.partial"
        shutil.copyfile(source, partial)
        os.replace(partial, folder / name)
