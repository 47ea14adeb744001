"""A change to pybtex 0.26: its plugin lookups read the installed
distributions' metadata once.

pybtex finds its styles and parsers by entry point, asking
``importlib.metadata.entry_points`` anew on every lookup, which reads the
metadata of every installed distribution; sphinxcontrib-bibtex looks a
plugin up for every citation it formats, so a build spent more time there
than in formatting. The installed distributions do not change during a
build: their entry points are read once, and each lookup is memoised by
(group, name). Plugins registered at run time are still found first, as
pybtex checks them before entry points. Upstream: pybtex could cache its
entry points itself (``scripts/docs/upstream.md``).
"""

from __future__ import annotations

import functools
from importlib import metadata
from typing import Any

from .guard import Assignment, Change, Unavailable, expect, look_up, replace

# The functions of pybtex.plugin that call entry_points, as pybtex 0.26 has them.
CALLERS = {
    "_load_entry_point": "651a544d021985bab27fd3625eaed0e424ba54c5674590c14a13446e57e82f31",
    "enumerate_plugin_names": "a53bfce514f32af2ad61f3edd413f39272f75052a9e104d3c2bd978b23d04fab",
    "register_plugin": "9464791cf0f511c9d8fb23020d97d13b7ffbb84e6645d89ff6da153229ed794b",
}


def _plan_plugin_lookups(app: Any) -> list[Assignment]:
    plugin = look_up("pybtex.plugin")
    for name, sha256 in CALLERS.items():
        expect(look_up("pybtex.plugin", name), sha256)
    lookup = look_up("pybtex.plugin", "entry_points")
    if lookup is not metadata.entry_points:
        raise Unavailable("pybtex.plugin.entry_points is not importlib.metadata's")

    @functools.lru_cache(maxsize=1)
    def every() -> Any:
        return lookup()

    @functools.lru_cache(maxsize=None)
    def cached(group: str, name: str | None) -> tuple:
        return tuple(every().select(group=group, **({} if name is None else {"name": name})))

    def entry_points(*, group: str, name: str | None = None) -> tuple:
        return cached(group, name)

    return [replace(plugin, "entry_points", entry_points)]


PLUGIN_LOOKUPS = Change(
    "pybtex.plugin-lookups",
    "pybtex's plugin lookups read the installed distributions' metadata once",
    _plan_plugin_lookups)

SPEEDUPS = (PLUGIN_LOOKUPS,)
