"""Sphinx, run in this process with the options every build of the edition uses."""

from __future__ import annotations

from pathlib import Path

from ..project import Project

# The reading builder (``edition.sphinxext.reading``): parses every source
# into the doctree cache and writes nothing.
READING_BUILDER = "edition-read"


def sphinx_args(project: Project, builder: str, outdir: Path, *, quiet: bool,
                diplomatic: bool = False, paper: str | None = None,
                pdf_variant: str | None = None) -> list[str]:
    """``sphinx-build`` arguments: warnings are errors, all reported
    (``-W --keep-going -n``); the speed-ups of ``edition.compat`` on. The
    PDF's settings are given to the PDF's build only: they do not touch the
    doctrees the formats share."""
    # The two readings are different doctrees: each keeps its own cache.
    doctrees = project.build_dir / (".doctrees-diplomatic" if diplomatic else ".doctrees")
    args = ["-b", builder, "-W", "--keep-going", "-n", "-j", "1", "-d", str(doctrees),
            "-D", "edition_speedups=1"]
    if quiet:
        args.append("-q")
    if diplomatic:
        args += ["-D", "edition_reading=diplomatic"]
    if builder == "pdf" and paper:
        args += ["-D", f"edition_pdf_paper={paper}"]
    if builder == "pdf" and pdf_variant:
        args += ["-D", f"edition_pdf_variant={pdf_variant}"]
    return args + [str(project.book_dir), str(outdir)]


def run_sphinx(args: list[str]) -> int:
    """``sphinx-build`` with ``args``, in this process; its exit status."""
    from sphinx.cmd.build import build_main

    return build_main(args)
