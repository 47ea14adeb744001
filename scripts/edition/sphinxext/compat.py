"""The changes of :mod:`edition.compat` a build asks for, made when its
builder starts (``builder-inited``) and undone when it ends
(``build-finished``), so that nothing outlives the build that wanted it.

Asked for: the typesetting rules, and the speed-ups when
``edition_speedups`` is true, of those that serve the build's builder (the
changes to WeasyPrint serve the PDF's alone: an HTML build never imports
WeasyPrint). The build's log (``-v``
for ``edition build``) names each change made, and each skipped with why;
:func:`report` gives the same for code and tests.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging

from .. import compat
from .config import edition_config

logger = logging.getLogger(__name__)

_REPORT = "edition_compat"   # on the builder: the changes made for its build


def wanted(builder: str, speedups: bool) -> list[compat.Change]:
    """The changes a build with ``builder`` asks for: the typesetting rules,
    and the speed-ups if ``speedups``, of those that serve this builder."""
    changes = [*compat.TYPESETTING, *(compat.SPEEDUPS if speedups else ())]
    return [change for change in changes if not change.builders or builder in change.builders]


def apply_changes(app: Sphinx) -> None:
    made = compat.apply(wanted(app.builder.name, edition_config(app.env).speedups), app)
    setattr(app.builder, _REPORT, made)
    for name in made.applied:
        logger.info("edition: compat: %s (%s)", name, compat.CHANGES[name].summary)
    for name, why in made.skipped.items():
        logger.info("edition: compat: %s skipped, the stock code runs: %s", name, why)


def revert_changes(app: Sphinx, exception: BaseException | None) -> None:
    made = getattr(app.builder, _REPORT, None)
    if made is not None:
        compat.revert(made)


def report(builder: Builder) -> compat.Report:
    """What was asked for this builder's build: the changes made and those skipped."""
    return getattr(builder, _REPORT, None) or compat.Report()
