"""Incremental builds write only what a change affects.

Sphinx writes a changed document again, and with it every document whose
toctree lists it (the contents page, for any chapter), because the
chapter's title or sections may have changed. Editing a note changes
neither: when the documents read again have the same title, table of
contents and toctree entries as before, and no document was added or
removed, their parents' pages would come out the same, and are not
written again.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

# Kept on the application (not the environment, which is pickled):
_BEFORE = "_edition_tocs_before"    # docname → what a parent's toctree shows of it
_HIDDEN = "_edition_hidden_parents"  # the entries of env.files_to_rebuild set aside


def _toc(env: BuildEnvironment, docname: str) -> tuple[Any, ...] | None:
    """What a toctree shows of ``docname``: its title, its sections (with
    their anchors) and the documents its own toctrees list."""
    if docname not in env.tocs:
        return None
    title = env.titles.get(docname)
    return (title.astext() if title is not None else None,
            env.tocs[docname].pformat(),
            tuple(env.toctree_includes.get(docname, ())),
            env.toc_num_entries.get(docname))


def remember_tocs(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                  removed: set[str]) -> list[str]:
    """``env-get-outdated``: before the changed documents are read again,
    keep what their parents' toctrees show of them (none if documents come
    or go: the contents may then change in other ways)."""
    before: dict[str, Any] = {}
    if not added and not removed:
        before = {docname: _toc(env, docname) for docname in changed}
    setattr(app, _BEFORE, before)
    return []


def spare_parents(app: Sphinx, builder: Any) -> None:
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


def restore_parents(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: put the set-aside entries back."""
    hidden = getattr(app, _HIDDEN, None)
    if hidden:
        app.env.files_to_rebuild.update(hidden)
        setattr(app, _HIDDEN, {})
