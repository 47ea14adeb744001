"""Work Sphinx and its extensions would otherwise repeat on every build.

Each was found with a profiler (see the README's benchmark section):

* pybtex looks its plugins up in the installed distributions' entry points
  on every call, and sphinxcontrib-bibtex calls it for every citation it
  resolves: about 10 ms a citation, more than a second of each format's build.
* Sphinx compiles the HTML theme's Jinja templates anew in every build
  (a quarter of a second, most of an incremental rebuild's writing).
* sphinxcontrib-bibtex formats every entry of the bibliography again after
  any change to any document (0.2 s of an incremental rebuild's 1.3 s):
  formatted entries are kept beside the doctrees, keyed by what formatting
  reads (the style and its parts, the label, the entry's type, fields and
  names), so an edited entry or style is formatted anew.
* Python's entry-point lookup reads the metadata of every installed
  distribution on every call; Sphinx (themes), sphinxcontrib-bibtex and
  pybtex call it six times in a build: read once per process.
* Sphinx renders the theme's static templates (``*.css_t``, ``*.js_t``) in
  every build from strings, which Jinja compiles anew each time: their
  compiled code is kept in the template cache too.
* myst-parser imports Sphinx's intersphinx, which imports Sphinx's HTTP
  helpers and with them ``requests`` (urllib3, charset detection, idna):
  70 ms of every process that builds, a twelfth of an incremental rebuild,
  for inventories the edition never fetches. :func:`defer_http_imports`
  has that module loaded on its first use instead.
* WeasyPrint, when imported, looks its shared libraries up under a list of
  names for every platform; on Linux each name that is not this platform's
  costs ``ctypes.util.find_library`` a compiler and a linker run (about
  15 ms each, 0.3 s an import): :func:`import_weasyprint` answers from the
  dynamic linker's cache alone.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
import types
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.dummy import DummyBuilder


def cache_entry_points() -> None:
    """Read the installed distributions' entry points once per process (they
    do not change during a build), for every module that looks them up."""
    import importlib.metadata as metadata

    if getattr(metadata.entry_points, "edition_cached", False):
        return
    lookup = metadata.entry_points

    @functools.lru_cache(maxsize=1)
    def every() -> Any:
        return lookup()

    def entry_points(**params: Any) -> Any:
        return every().select(**params) if params else every()

    entry_points.edition_cached = True  # type: ignore[attr-defined]
    metadata.entry_points = entry_points
    import sys

    # Modules that imported the function by name (pybtex's own memo, below,
    # then sits on this one reading).
    for name in ("sphinx.theming", "sphinxcontrib.bibtex.plugin", "pybtex.plugin"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "entry_points", None) is lookup:
            module.entry_points = entry_points


# Modules a build imports and never uses: loaded on first use instead.
DEFERRED_MODULES = ("sphinx.util.requests",)


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module not yet loaded; the first
    attribute it does not have loads the module (which then takes its
    place there) and is read from it, as is every later one."""

    def __getattr__(self, name: str) -> Any:
        import importlib
        import sys

        module = self.__dict__.get("_loaded")
        if module is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            module = self.__dict__["_loaded"] = importlib.import_module(self.__name__)
        return getattr(module, name)


def defer_http_imports() -> None:
    """Put a :class:`_Deferred` in ``sys.modules`` for each of
    :data:`DEFERRED_MODULES` not yet imported (with its spec, so that the
    import system takes it as imported); an intersphinx inventory fetched
    later loads the module then."""
    import importlib.util
    import sys

    for name in DEFERRED_MODULES:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        stand_in = _Deferred(name)
        stand_in.__spec__ = spec
        stand_in.__file__ = spec.origin
        sys.modules[name] = stand_in


def import_weasyprint() -> Any:
    """``import weasyprint``, with the shared libraries it names looked up
    in the dynamic linker's cache (``ldconfig -p``) only.

    WeasyPrint tries each library under the names it has on Windows, macOS
    and Linux; a name with a dot is first opened as it is (this is how the
    Linux names, ``libpango-1.0.so.0``, are found, also on
    ``LD_LIBRARY_PATH``), then given to ``ctypes.util.find_library``, which
    on Linux asks ``ldconfig``, then runs ``gcc`` and ``ld`` for each name it
    did not find there. Those runs find nothing ``ldconfig`` and the plain
    open did not; they are skipped while WeasyPrint is imported, once per
    process. Elsewhere (no ``ldconfig`` lookup in ``ctypes.util``) the
    import is the usual one."""
    import sys

    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    import ctypes.util

    from_cache = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if from_cache is None:
        import weasyprint

        return weasyprint
    lookup = ctypes.util.find_library
    ctypes.util.find_library = from_cache
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = lookup
    return weasyprint


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
    render_string = templates.render_string

    def cached_render_string(source: str, context: dict) -> str:
        """``render_string`` through the bytecode cache, under a name made
        of the source's digest (Jinja itself caches only named templates)."""
        try:
            cache = environment.bytecode_cache
            name = "string-" + hashlib.sha256(source.encode("utf-8")).hexdigest()
            bucket = cache.get_bucket(environment, name, None, source)
            if bucket.code is None:
                bucket.code = environment.compile(source)
                cache.set_bucket(bucket)
            template = environment.template_class.from_code(
                environment, bucket.code, environment.make_globals(None))
        except (OSError, AttributeError):
            return render_string(source, context)
        return template.render(context)

    templates.render_string = cached_render_string


FORMATTED_CACHE = "bibtex-formatted.pickle"


class FormattedEntries:
    """pybtex's ``format_entry`` memoised across builds (see the module's
    docstring). One instance per process; :func:`load_formatted_entries`
    (``builder-inited``) reads the file of the build's doctree folder and
    :func:`save_formatted_entries` (``build-finished``) writes back the
    entries this build used, so the file does not grow with old versions."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.known: dict[tuple, Any] = {}
        self.used: dict[tuple, Any] = {}
        self.formatted = 0   # entries formatted in this process (not from the cache)

    @staticmethod
    def _version() -> str:
        import pybtex

        return f"pybtex {pybtex.__version__}"

    def load(self, folder: Path) -> None:
        if folder == self.folder:
            return
        self.folder, self.known, self.used = folder, {}, {}
        try:
            with open(folder / FORMATTED_CACHE, "rb") as cache:
                version, known = pickle.load(cache)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                TypeError, ValueError):
            return   # no cache yet, or one from another pybtex: format anew
        if version == self._version() and isinstance(known, dict):
            self.known = known

    def save(self) -> None:
        if self.folder is None or not self.used or self.used.keys() == self.known.keys():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{FORMATTED_CACHE}.{os.getpid()}"
        with open(partial, "wb") as cache:
            pickle.dump((self._version(), self.used), cache, pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.folder / FORMATTED_CACHE)
        self.known = dict(self.used)

    @staticmethod
    def key(style: Any, label: str, entry: Any) -> tuple | None:
        """What ``format_entry`` reads; None when it may read more (a
        cross-referenced entry), which is then not cached."""
        if "crossref" in entry.fields:
            return None
        cls = type(style)
        try:
            source = inspect.getsourcefile(cls) or ""
            stamp = os.stat(source).st_mtime_ns if source else 0
        except (OSError, TypeError):
            return None
        parts = tuple(f"{type(part).__module__}.{type(part).__qualname__}"
                      for part in (style.name_style, style.label_style, style.sorting_style))
        names = tuple(
            (role, tuple((tuple(p.first_names), tuple(p.middle_names), tuple(p.prelast_names),
                          tuple(p.last_names), tuple(p.lineage_names)) for p in persons))
            for role, persons in entry.persons.items())
        return (f"{cls.__module__}.{cls.__qualname__}", source, stamp, parts,
                style.abbreviate_names, label, entry.key, entry.type,
                tuple(entry.fields.items()), names)


FORMATTED = FormattedEntries()


def cache_formatted_entries() -> None:
    """Memoise ``BaseStyle.format_entry`` in :data:`FORMATTED`."""
    from pybtex.style.formatting import BaseStyle

    format_entry = BaseStyle.format_entry
    if getattr(format_entry, "edition_cached", False):
        return

    def cached(self, label, entry, bib_data=None):
        key = FORMATTED.key(self, label, entry) if bib_data is None else None
        if key is None:
            return format_entry(self, label, entry, bib_data)
        formatted = FORMATTED.used.get(key)
        if formatted is None:
            formatted = FORMATTED.known.get(key)
        if formatted is None:
            formatted = format_entry(self, label, entry, bib_data)
            FORMATTED.formatted += 1
        FORMATTED.used[key] = formatted
        return formatted

    cached.edition_cached = True  # type: ignore[attr-defined]
    BaseStyle.format_entry = cached


def load_formatted_entries(app: Sphinx) -> None:
    FORMATTED.load(Path(app.doctreedir))


def save_formatted_entries(app: Sphinx, exception: BaseException | None) -> None:
    if exception is None:
        FORMATTED.save()


class ReadingBuilder(DummyBuilder):
    """Sphinx's ``dummy`` builder without its writing pass: ``edition build``
    reads every source once with it, into the doctree cache and the pickled
    environment, before the formats are written. The ``dummy`` builder then
    resolved every document's references and ran the post-transforms, for
    nothing (a third of a second before the PDF's layout could start); each
    format's builder resolves them itself, and reports what does not
    resolve."""

    name = "edition-read"
    epilog = "The sources are read into the doctree cache; nothing is written."

    def write_documents(self, docnames: Any) -> None:
        pass
