"""One format built atomically: into a staging copy of its last good output,
which takes that output's place only when the build succeeded.

The copy is what an incremental build starts from, so it holds only what
Sphinx reuses: never what Sphinx leaves behind for people (the
``.buildinfo.bak`` it makes when the configuration changed), nor the EPUB's
container (written anew by every build). The EPUB's builder lists every file
of its folder in the book, so Sphinx must not meet a configuration changed
since the copy was made: see :func:`build_format`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .. import progress
from ..errors import EditionError
from ..project import SITE_DOWNLOADS, Project
from .sphinx import READING_BUILDER, run_sphinx, sphinx_args

# Sphinx's record of the configuration an output of its HTML builders was made
# with; when it differs from the build's own, Sphinx writes every page again and
# moves the old record to BUILD_INFO_BACKUP, in the output folder.
BUILD_INFO = ".buildinfo"
BUILD_INFO_BACKUP = ".buildinfo.bak"

# Formats whose builder puts every file of its folder into the book (the EPUB's
# manifest): a file Sphinx leaves there in the build is a warning, so a failed build.
LISTS_ITS_FOLDER = frozenset({"epub"})


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


def _not_reused(final: Path, fmt: str) -> Callable[[str, list[str]], set[str]]:
    """What a staging copy leaves out (a ``shutil.copytree`` ignore): Sphinx's
    backup of an older build info, the EPUB's container (a build writes
    it anew, and one of another name would be listed in the new one), and
    the site's downloads (put there after every format is built, when the
    site is built with them)."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder) != final:
            return set()
        return {name for name in names
                if name == BUILD_INFO_BACKUP or (fmt == "epub" and name.endswith(".epub"))
                or (fmt == "html" and name == SITE_DOWNLOADS)}
    return ignore


def start_from_last_good(final: Path, staging: Path, fmt: str) -> str | None:
    """Copy the last good output into ``staging`` (empty if there is none), so
    that Sphinx writes only the pages whose sources changed (an incremental
    build), while the last good output itself stays untouched until this
    build succeeds. For a format in :data:`LISTS_ITS_FOLDER` the copy has no
    build info, so that Sphinx never makes its backup there: returned is the
    build info the copy was made with (``None``, and an empty folder, if the
    last output has none, since what made it is then unknown)."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    if fmt in LISTS_ITS_FOLDER:
        built_with = _build_info(final)
        if built_with is None:
            staging.mkdir()
            return None
        shutil.copytree(final, staging, symlinks=True, ignore=_not_reused(final, fmt))
        (staging / BUILD_INFO).unlink()
        return built_with
    if final.exists():
        shutil.copytree(final, staging, symlinks=True, ignore=_not_reused(final, fmt))
    return None


def build_format(project: Project, fmt: str, *, quiet: bool = False, diplomatic: bool = False,
                 paper: str | None = None, pdf_variant: str | None = None,
                 pdf_lines: Path | None = None, downloads: tuple[str, ...] = (),
                 page_map: Path | None = None, relation: str = "", page_map_early: Path | None = None,
                 succeeded: Callable[[], None] | None = None) -> Path:
    """Build one format with Sphinx; returns its folder.

    ``succeeded`` is called when the build has succeeded, just before its
    output takes the place of the last good one.

    The EPUB is built from a copy without Sphinx's build info; when the build
    info Sphinx then writes differs from the copy's (the configuration
    changed: a text added or removed changes it, through the catalogue that
    ``conf.py`` reads, and so may any edit of ``conf.py``), the copy was no
    good to start from (Sphinx would have written every page again, and left
    its backup where the manifest lists it), and the EPUB is built again
    from nothing."""
    final = project.output_dir(fmt, diplomatic)
    staging = staging_dir(final)
    args = sphinx_args(project, fmt, staging, quiet=quiet, diplomatic=diplomatic,
                       paper=paper, pdf_variant=pdf_variant, pdf_lines=pdf_lines, downloads=downloads,
                       page_map=page_map, relation=relation, page_map_early=page_map_early)
    built_with = start_from_last_good(final, staging, fmt)
    status = run_sphinx(args)
    if status == 0 and built_with is not None and _build_info(staging) != built_with:
        progress.current().say(f"{fmt}: the configuration changed: writing every page again")
        shutil.rmtree(staging)
        staging.mkdir()
        status = run_sphinx(args)
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(project.book_dir, f"the {fmt} build failed (Sphinx warnings above)",
                         hint=f"the previous {final.relative_to(project.build_dir.parent)}/ is unchanged")
    # Sphinx's backup of the build info of a changed configuration (the HTML
    # builder's) is nothing the output needs.
    (staging / BUILD_INFO_BACKUP).unlink(missing_ok=True)
    if succeeded is not None:
        succeeded()
    replace_atomically(staging, final)
    return final


def _build_info(folder: Path) -> str | None:
    try:
        return (folder / BUILD_INFO).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


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
