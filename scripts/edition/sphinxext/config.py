"""The extension's configuration in Sphinx: the ``edition_*`` values of ``conf.py``.

:func:`add_config_values` registers each field of
:class:`edition.settings.EditionConfig` with Sphinx (its default, what a
change makes Sphinx do again), and :func:`validate` (``builder-inited``)
checks the values ``conf.py`` gives and keeps them, typed, on the build
environment. A wrong value is one error line naming the value and what it
may be (``edition.config``), and its default is used (as MyST-Parser does):
`edition build`, which runs Sphinx with ``-W``, fails.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from ..clock import build_moment
from ..project import RIGHTS_PAGE
from ..settings import PREFIX, EditionConfig, default_of
from ..words import Words, words_for
from .warnings import TYPE, Warn, logger

__all__ = ["PREFIX", "EditionConfig", "add_config_values", "validate", "edition_config", "words"]


def from_sphinx(config: Config) -> tuple[EditionConfig, list[str]]:
    return EditionConfig.from_values(lambda name, default: config[name])


def add_config_values(app: Sphinx) -> None:
    # Sphinx checks no type of its own (types=Any): validate() does, in one line each.
    for f in fields(EditionConfig):
        app.add_config_value(PREFIX + f.name, default_of(f), f.metadata["rebuild"],
                             types=Any, description=f.metadata["help"])


def validate(app: Sphinx) -> None:
    """``builder-inited``: the configuration, checked, on the environment."""
    app.env.edition_config, problems = from_sphinx(app.config)
    for problem in problems:
        logger.error("%s: %s (the default is used)", Path(app.confdir, "conf.py"), problem,
                     type=TYPE, subtype=Warn.CONFIG.value)


class UsesEditionConfig:
    """For a builder: ``self.edition``, the checked configuration (set at
    ``builder-inited``, after the builder's ``init``: read when needed)."""

    env: Any

    @property
    def edition(self) -> EditionConfig:
        return edition_config(self.env)


def edition_config(env: Any) -> EditionConfig:
    """The build's checked configuration."""
    config = getattr(env, "edition_config", None)
    return config if config is not None else from_sphinx(env.config)[0]


def words(env: Any) -> Words:
    """The book's fixed words, in its language."""
    return words_for(env.config.language)


def add_words(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context``: the templates' ``edition_words("key")``, and the
    footer's statement of rights (``edition_rights``: the editorial matter's
    holder and licence; the page that gives the texts' rights, if the book
    has one)."""
    context["edition_words"] = words(app.env)
    config = edition_config(app.env)
    editor = config.editor or app.config.author
    rights = words(app.env)("site.rights", year=str(build_moment().year), editor=editor)
    context["edition_rights"] = {
        "line": " ".join(part for part in (rights, config.licence) if part),
        "page": RIGHTS_PAGE if RIGHTS_PAGE in app.env.all_docs else "",
        "title": app.env.titles[RIGHTS_PAGE].astext() if RIGHTS_PAGE in app.env.titles else ""}
