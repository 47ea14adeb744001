"""Stale pages: an incremental build starts from a copy of the last output
(see edition.build), so a page whose source has gone would stay behind.
After a successful HTML build, remove every page that no document, and none
of Sphinx's own pages, accounts for."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
SPHINX_PAGES = {"genindex", "search", "py-modindex"}


def remove_stale_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in ("html", "dirhtml"):
        return
    outdir = Path(app.outdir)
    suffix = app.builder.out_suffix
    for page in outdir.rglob(f"*{suffix}"):
        docname = page.relative_to(outdir).as_posix()[: -len(suffix)]
        if docname.startswith("_") or docname in SPHINX_PAGES or docname in app.env.all_docs:
            continue
        logger.info("removing stale page %s", page.relative_to(outdir))
        page.unlink()
