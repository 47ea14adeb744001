"""Work Sphinx and its extensions would otherwise repeat on every build.

Both were found with a profiler (see the README's benchmark section):

* pybtex looks its plugins up in the installed distributions' entry points
  on every call, and sphinxcontrib-bibtex calls it for every citation it
  resolves: about 10 ms a citation, more than a second of each format's build.
* Sphinx compiles the HTML theme's Jinja templates anew in every build
  (a quarter of a second, most of an incremental rebuild's writing).
"""

from __future__ import annotations

import functools
from pathlib import Path

from sphinx.application import Sphinx


def cache_pybtex_plugins() -> None:
    """Memoise pybtex's entry-point lookup by (group, name): the installed
    distributions do not change during a build. Plugins registered at run
    time are still found first, as pybtex checks them before entry points."""
    import pybtex.plugin

    lookup = pybtex.plugin.entry_points
    if getattr(lookup, "edition_cached", False):
        return

    @functools.lru_cache(maxsize=None)
    def cached(group: str, name: str | None) -> tuple:
        return tuple(lookup(group=group, name=name) if name is not None else lookup(group=group))

    def entry_points(*, group: str, name: str | None = None) -> tuple:
        return cached(group, name)

    entry_points.edition_cached = True  # type: ignore[attr-defined]
    pybtex.plugin.entry_points = entry_points


def cache_templates(app: Sphinx) -> None:
    """Keep the compiled templates beside the doctrees. Jinja checks each
    cached template against its source's checksum, so an edited template is
    compiled again."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.doctreedir) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
