"""Stage 5, Sphinx: the book project → HTML, EPUB and PDF under ``build/``.

Each format is built by Sphinx (warnings are errors, all reported before
failing) into a staging copy of its last good output beside its final place,
and moved into place only when the build succeeded: a failed build leaves the
previous good output untouched, and an unchanged page is not written again.
The formats share one doctree cache, so the texts are parsed once.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from . import chapters
from .errors import EditionError
from .project import Project

FORMATS = ("html", "epub", "pdf")


class BuildError(EditionError):
    """Sphinx reported warnings or errors; the previous output was kept."""


def output_dir(project: Project, fmt: str, diplomatic: bool = False) -> Path:
    """``build/<fmt>`` for the critical edition, ``build/diplomatic/<fmt>`` for the diplomatic."""
    return project.build_dir / ("diplomatic" if diplomatic else "") / fmt


def sphinx_args(project: Project, fmt: str, outdir: Path, *, paper: str | None,
                quiet: bool, diplomatic: bool = False, pdf_variant: str | None = None) -> list[str]:
    # The two readings are different doctrees: each keeps its own cache.
    doctrees = project.build_dir / (".doctrees-diplomatic" if diplomatic else ".doctrees")
    args = ["-b", fmt, "-W", "--keep-going", "-n", "-j", "1", "-d", str(doctrees)]
    if quiet:
        args.append("-q")
    if paper:
        args += ["-D", f"edition_pdf_paper={paper}"]
    if pdf_variant:
        args += ["-D", f"edition_pdf_variant={pdf_variant}"]
    if diplomatic:
        args += ["-D", "edition_reading=diplomatic",
                 "-D", "epub_basename=beria-1953-diplomatic",
                 "-D", "edition_pdf_basename=beria-1953-diplomatic"]
    return args + [str(project.book_dir), str(outdir)]


def _replace_atomically(staging: Path, final: Path) -> None:
    old = final.with_name(f".old-{final.name}")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old)


def build_format(project: Project, fmt: str, *, paper: str | None = None,
                 quiet: bool = False, diplomatic: bool = False,
                 pdf_variant: str | None = None) -> Path:
    from sphinx.cmd.build import build_main

    final = output_dir(project, fmt, diplomatic)
    staging = final.with_name(f".staging-{fmt}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        # Start from a copy of the last good output so that Sphinx writes only
        # the pages whose sources changed (an incremental build), while the
        # last good output itself stays untouched until this build succeeds.
        shutil.copytree(final, staging, symlinks=True)
    status = build_main(sphinx_args(project, fmt, staging, paper=paper, quiet=quiet,
                                    diplomatic=diplomatic, pdf_variant=pdf_variant))
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(project.book_dir, f"the {fmt} build failed (Sphinx warnings above)",
                         hint=f"the previous {final.relative_to(project.build_dir.parent)}/ is unchanged")
    _replace_atomically(staging, final)
    return final


def build(project: Project, formats: tuple[str, ...] = FORMATS, *, paper: str | None = None,
          quiet: bool = False, diplomatic: bool = False,
          pdf_variant: str | None = None) -> dict[str, Path]:
    """Regenerate the chapters, then build each format; returns their folders."""
    prepared = chapters.prepare(project)
    for path in chapters.write(prepared):
        if not quiet:
            print(f"edition: regenerated {path.relative_to(project.root)}", file=sys.stderr)
    return {fmt: build_format(project, fmt, paper=paper, quiet=quiet, diplomatic=diplomatic,
                              pdf_variant=pdf_variant)
            for fmt in formats}
