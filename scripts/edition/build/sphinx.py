"""Sphinx, run in this process with the options every build of the edition uses."""

from __future__ import annotations

import gc
import importlib
from pathlib import Path

from ..project import Project

# Modules that Sphinx's built-in extensions and the book's import only when
# they are set up or first used: loaded ahead too.
LAZY_IMPORTS = ("myst_parser.sphinx_ext.main", "myst_parser.parsers.sphinx_",
                "sphinx.builders.html", "sphinx.builders.singlehtml",
                # What the Chicago style (edition.sphinxext.chicago) loads on its first entry.
                "pybtex.markup", "pybtex.style.labels.number", "pybtex.backends.plaintext")

_loaded = False

# Builds of the edition (edition build, edition watch) ask for edition.compat's speed-ups.
SPEEDUPS = True

# The reading builder (``edition.sphinxext.reading``): parses every source
# into the doctree cache and writes nothing.
READING_BUILDER = "edition-read"


def sphinx_args(project: Project, builder: str, outdir: Path, *, quiet: bool,
                diplomatic: bool = False, paper: str | None = None,
                pdf_variant: str | None = None, pdf_lines: Path | None = None,
                downloads: tuple[str, ...] = (), page_map: Path | None = None,
                relation: str = "", page_map_early: Path | None = None) -> list[str]:
    """``sphinx-build`` arguments: warnings are errors, all reported
    (``-W --keep-going -n``); the speed-ups of ``edition.compat`` on. A
    format's own settings (the PDF's paper, the site's ``downloads``, the
    EPUB's ``relation``, the TEI's ``page_map``) are given to its build
    only: they do not touch the doctrees the formats share."""
    # The two readings are different doctrees: each keeps its own cache.
    doctrees = project.build_dir / (".doctrees-diplomatic" if diplomatic else ".doctrees")
    args = ["-b", builder, "-W", "--keep-going", "-n", "-j", "1", "-d", str(doctrees),
            "-D", f"edition_speedups={int(SPEEDUPS)}"]
    if quiet:
        args.append("-q")
    if diplomatic:
        args += ["-D", "edition_reading=diplomatic"]
    # Each format's own settings, to its build only.
    for only, name, value in (("pdf", "pdf_paper", paper), ("pdf", "pdf_variant", pdf_variant),
                              ("pdf", "pdf_lines_report", pdf_lines), ("pdf", "pdf_page_map_early", page_map_early),
                              ("epub", "epub_relation", relation),
                              ("tei", "tei_page_map", page_map), ("html", "html_downloads", ",".join(downloads))):
        if builder == only and value:
            args += ["-D", f"edition_{name}={value}"]
    return args + [str(project.book_dir), str(outdir)]


def run_sphinx(args: list[str]) -> int:
    """``sphinx-build`` with ``args``, in this process; its exit status."""
    from sphinx.cmd.build import build_main

    return build_main(args)


def load_ahead(project: Project) -> None:
    """Import Sphinx, its built-in extensions and the book's, once per
    process, then take what they loaded out of the garbage collector's way
    (``gc.freeze``): it lives as long as the process, and every full
    collection of a build would walk it again."""
    global _loaded
    if _loaded:
        return
    import sphinx.application
    import sphinx.cmd.build  # noqa: F401
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    try:
        extensions = Config.read(project.book_dir, overrides={}, tags=Tags()).extensions
    except Exception:   # the build reports it, with its context
        extensions = []
    for name in (*sphinx.application.builtin_extensions, *extensions, *LAZY_IMPORTS):
        try:
            importlib.import_module(name)
        except Exception:   # noqa: BLE001 — the build reports it, with its context
            pass
    gc.collect()   # what is frozen is what lives, not garbage left so far
    gc.freeze()
    _loaded = True
