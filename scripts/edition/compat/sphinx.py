"""Changes to Sphinx 9.0: templates compiled once, and the contents page
not written again when a chapter's notes change.

- :data:`TEMPLATE_CACHE` — Sphinx compiles the theme's Jinja templates anew
  in every build, most of an incremental rebuild's writing. Jinja's own
  bytecode cache is set on the builder's template environment, kept beside
  the doctrees (Jinja checks each entry against its template's checksum);
  the static templates (``*.css_t``) that Sphinx renders from strings,
  which Jinja does not cache, are compiled through it under the digest of
  their text. Upstream: Sphinx could set a bytecode cache itself.
- :data:`CONTENTS_NOT_REWRITTEN` — Sphinx writes a changed document again
  with every document whose toctree lists it (the contents page, for any
  chapter), because the chapter's title or sections may have changed.
  Editing a note changes neither: when the documents read again have the
  same title, sections and toctree entries as before, and no document came
  or went, their parents' pages would come out the same and are not
  written again. Upstream: Sphinx could compare the toctree entries itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .guard import Assignment, Change, Unavailable, expect, look_up, shadow

RENDER_STRING_SHA256 = "742f24ae1a0c2b6dd9296200b99d191656fdad435051b1f244a263dddebc4284"
# Builder.build emits write-started before Builder.write adds the parents
# of the documents to write from env.files_to_rebuild.
BUILD_SHA256 = "98501f7f3c98d44a7fcf11f25297aefeed61292a474d668c7af079a2e71e7f19"
WRITE_SHA256 = "e4fdc97c245041fe97b3a1202f8b729592b60100656ecb69b1a280a15a3c4a90"


# -- Templates -------------------------------------------------------------------------------

def _plan_template_cache(app: Any) -> list[Assignment]:
    templates = getattr(getattr(app, "builder", None), "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None:
        raise Unavailable("this builder renders no templates")
    if environment.bytecode_cache is not None:
        raise Unavailable("the template environment has a bytecode cache already")
    stock_method = look_up("sphinx.jinja2glue", "BuiltinTemplateLoader", "render_string")
    expect(stock_method, RENDER_STRING_SHA256)
    if getattr(type(templates), "render_string", None) is not stock_method:
        raise Unavailable("the builder's templates are not rendered by Sphinx's own loader")
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.doctreedir) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    cache = FileSystemBytecodeCache(str(folder))
    stock = templates.render_string

    def render_string(source: str, context: dict) -> str:
        """Sphinx's ``render_string``, compiled through the bytecode cache
        under a name made of the source's digest."""
        try:
            name = "string-" + hashlib.sha256(source.encode("utf-8")).hexdigest()
            bucket = cache.get_bucket(environment, name, None, source)
            if bucket.code is None:
                bucket.code = environment.compile(source)
                cache.set_bucket(bucket)
            template = environment.template_class.from_code(
                environment, bucket.code, environment.make_globals(None))
        except OSError:
            return stock(source, context)
        return template.render(context)

    return [Assignment(environment, "bytecode_cache", cache, None),
            shadow(templates, "render_string", render_string)]


TEMPLATE_CACHE = Change(
    "sphinx.template-cache",
    "the theme's templates compiled once and kept beside the doctrees",
    _plan_template_cache, per_build=True)


# -- The contents page ------------------------------------------------------------------------

# Kept on the application (not the environment, which is pickled):
_BEFORE = "_edition_tocs_before"    # docname → what a parent's toctree shows of it
_HIDDEN = "_edition_hidden_parents"  # the entries of env.files_to_rebuild set aside


def _toc(env: Any, docname: str) -> tuple[Any, ...] | None:
    """What a toctree shows of ``docname``: its title, its sections (with
    their anchors) and the documents its own toctrees list."""
    if docname not in env.tocs:
        return None
    title = env.titles.get(docname)
    return (title.astext() if title is not None else None,
            env.tocs[docname].pformat(),
            tuple(env.toctree_includes.get(docname, ())),
            env.toc_num_entries.get(docname))


def remember_tocs(app: Any, env: Any, added: set[str], changed: set[str],
                  removed: set[str]) -> list[str]:
    """``env-get-outdated``: before the changed documents are read again,
    keep what their parents' toctrees show of them (none if documents come
    or go: the contents may then change in other ways)."""
    before: dict[str, Any] = {}
    if not added and not removed:
        before = {docname: _toc(env, docname) for docname in changed}
    setattr(app, _BEFORE, before)
    return []


def spare_parents(app: Any, builder: Any) -> None:
    """``write-started``: parents of documents whose toctree entries are
    unchanged are not written again (set aside until the build ends)."""
    env = builder.env
    before: dict[str, Any] = getattr(app, _BEFORE, {})
    hidden: dict[str, set[str]] = {}
    for docname, toc in before.items():
        if toc is not None and toc == _toc(env, docname) and docname in env.files_to_rebuild:
            hidden[docname] = env.files_to_rebuild.pop(docname)
    setattr(app, _HIDDEN, hidden)
    setattr(app, _BEFORE, {})


def restore_parents(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: put the set-aside entries back."""
    hidden = getattr(app, _HIDDEN, None)
    if hidden:
        app.env.files_to_rebuild.update(hidden)
        setattr(app, _HIDDEN, {})


class _Listeners:
    """The three listeners, connected to the application as an assignment
    of the plan (connected by :func:`guard.apply`, disconnected by revert)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.ids: list[int] = []

    @property
    def connected(self) -> bool:
        return bool(self.ids)

    @connected.setter
    def connected(self, value: bool) -> None:
        if value and not self.ids:
            self.ids = [self.app.connect("env-get-outdated", remember_tocs),
                        self.app.connect("write-started", spare_parents),
                        self.app.connect("build-finished", restore_parents)]
        elif not value:
            for listener in self.ids:
                self.app.disconnect(listener)
            self.ids = []


def _plan_contents_not_rewritten(app: Any) -> list[Assignment]:
    if app is None:
        raise Unavailable("only within a build")
    builder = look_up("sphinx.builders", "Builder")
    expect(builder.build, BUILD_SHA256)
    expect(builder.write, WRITE_SHA256)
    env = app.env
    for name in ("files_to_rebuild", "tocs", "titles", "toctree_includes", "toc_num_entries"):
        if not isinstance(getattr(env, name, None), dict):
            raise Unavailable(f"the build environment has no {name} mapping")
    return [Assignment(_Listeners(app), "connected", True, False)]


CONTENTS_NOT_REWRITTEN = Change(
    "sphinx.contents-not-rewritten",
    "the pages listing a chapter are not written again when only its notes changed",
    _plan_contents_not_rewritten, per_build=True)

SPEEDUPS = (TEMPLATE_CACHE, CONTENTS_NOT_REWRITTEN)
