"""Chicago author–date: the editor's citations and the reference list.

The style of *The Chicago Manual of Style* (17th ed., chapter 15), made of
the field's tools: a Pybtex formatting style for the reference list, and a
sphinxcontrib-bibtex referencing style for the citations, each registered
as a plugin under :data:`STYLE` (``bibtex_default_style`` and
``bibtex_reference_style`` in conf.py). One module per concern:

- :mod:`.names`: persons in the reference list and in citations, and their
  roles (editor, compiler, translator, general editor);
- :mod:`.fields`: dates, editions and page ranges in Chicago form;
- :mod:`.citation`: each work's author–date citation ("Knight 1993"), told
  apart where two would read alike (initials, 1953a/1953b);
- :mod:`.sorting`: the reference list's order (author, year, title);
- :mod:`.formatting`: the reference-list entry of each kind of work;
- :mod:`.referencing`: "(Knight 1993, 45)", "Knight (1993)";
- :mod:`.reference_list`: the list is printed without labels.

Everything is in English: Chicago is an English-language style.
"""

from __future__ import annotations

import pybtex.plugin
from sphinxcontrib.bibtex import plugin as bibtex_plugin

from .formatting import Style
from .reference_list import UnlabelledReferenceList
from .referencing import ChicagoReferenceStyle
from .sorting import SortingStyle

# The one name of the style, in every plugin group it has a member in.
STYLE = "chicago_author_date"

__all__ = ["STYLE", "UnlabelledReferenceList", "register_plugins"]


def register_plugins() -> None:
    """Make the style known to Pybtex and sphinxcontrib-bibtex by name.

    At run time rather than by entry point, so that a book finds it when
    the builder is imported from ``scripts/`` without being installed.
    ``force``: the names are the edition's own, and a builder imported
    again (tests build many applications in one process) replaces the
    classes it registered before."""
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE, Style, force=True)
    pybtex.plugin.register_plugin("pybtex.style.sorting", STYLE, SortingStyle, force=True)
    bibtex_plugin.register_plugin("sphinxcontrib.bibtex.style.referencing", STYLE,
                                  ChicagoReferenceStyle, force=True)
