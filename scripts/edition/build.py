"""Stage 5, Sphinx: the book project → HTML, EPUB and PDF under ``build/``.

Each format is built by Sphinx (warnings are errors, all reported before
failing) into a temporary folder beside its final place, and moved into place
only when the build succeeded: a failed build leaves the previous good output
untouched.  The formats share one doctree cache, so the texts are parsed once.
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


def sphinx_args(project: Project, fmt: str, outdir: Path, *, paper: str | None,
                quiet: bool) -> list[str]:
    args = ["-b", fmt, "-W", "--keep-going", "-n", "-j", "1",
            "-d", str(project.build_dir / ".doctrees")]
    if quiet:
        args.append("-q")
    if paper:
        args += ["-D", f"edition_pdf_paper={paper}"]
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
                 quiet: bool = False) -> Path:
    from sphinx.cmd.build import build_main

    final = project.build_dir / fmt
    staging = project.build_dir / f".staging-{fmt}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    status = build_main(sphinx_args(project, fmt, staging, paper=paper, quiet=quiet))
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(project.book_dir, f"the {fmt} build failed (Sphinx warnings above)",
                         hint=f"the previous build/{fmt}/ is unchanged")
    _replace_atomically(staging, final)
    return final


def build(project: Project, formats: tuple[str, ...] = FORMATS, *, paper: str | None = None,
          quiet: bool = False) -> dict[str, Path]:
    """Regenerate the chapters, then build each format; returns their folders."""
    prepared = chapters.prepare(project)
    for path in chapters.write(prepared):
        if not quiet:
            print(f"edition: regenerated {path.relative_to(project.root)}", file=sys.stderr)
    return {fmt: build_format(project, fmt, paper=paper, quiet=quiet) for fmt in formats}
