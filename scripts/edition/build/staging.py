"""One format built atomically: into a staging copy of its last good output,
which takes that output's place only when the build succeeded."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import EditionError
from ..project import Project
from .sphinx import READING_BUILDER, run_sphinx, sphinx_args


class BuildError(EditionError):
    """Sphinx reported warnings or errors; the previous output was kept."""


def staging_dir(final: Path) -> Path:
    """Where a format is built before it replaces ``final`` (beside it)."""
    return final.with_name(f".staging-{final.name}")


def replace_atomically(staging: Path, final: Path) -> None:
    old = final.with_name(f".old-{final.name}")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old)


def build_format(project: Project, fmt: str, *, quiet: bool = False, diplomatic: bool = False,
                 paper: str | None = None, pdf_variant: str | None = None) -> Path:
    """Build one format with Sphinx; returns its folder."""
    final = project.output_dir(fmt, diplomatic)
    staging = staging_dir(final)
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        # Start from a copy of the last good output so that Sphinx writes only
        # the pages whose sources changed (an incremental build), while the
        # last good output itself stays untouched until this build succeeds.
        shutil.copytree(final, staging, symlinks=True)
    status = run_sphinx(sphinx_args(project, fmt, staging, quiet=quiet, diplomatic=diplomatic,
                                    paper=paper, pdf_variant=pdf_variant))
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(project.book_dir, f"the {fmt} build failed (Sphinx warnings above)",
                         hint=f"the previous {final.relative_to(project.build_dir.parent)}/ is unchanged")
    replace_atomically(staging, final)
    return final


def read_sources(project: Project, *, quiet: bool = False, diplomatic: bool = False) -> None:
    """Parse every source into the doctree cache, once for all formats (the
    reading builder writes nothing else), with the settings the formats'
    builds share, so that none of them finds its configuration changed and
    reads again."""
    outdir = project.build_dir / ".read"
    status = run_sphinx(sphinx_args(project, READING_BUILDER, outdir, quiet=quiet, diplomatic=diplomatic))
    shutil.rmtree(outdir, ignore_errors=True)
    if status != 0:
        raise BuildError(project.book_dir, "reading the sources failed (Sphinx warnings above)",
                         hint="the previous outputs in build/ are unchanged")
