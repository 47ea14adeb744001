"""Every change this project makes to another project's code, in one place.

One module per project changed (:mod:`.weasyprint`, :mod:`.sphinx`,
:mod:`.pybtex`), each naming the upstream fault it works around and what
upstream change would let it go (also listed in ``scripts/docs/upstream.md``);
:mod:`.guard` says how a change is checked, made and undone. :mod:`.pages`
changes no code: it reads (and moves a few boxes of) WeasyPrint's laid-out
pages, which are not its public API.

Nothing here is applied on import. A build asks for the changes it wants
when its builder starts, and they are reverted when it ends
(``edition.sphinxext.compat``): the speed-ups (:data:`SPEEDUPS`) when the
configuration value ``edition_speedups`` is true, as ``edition build`` and
``edition watch`` set it, never in a plain ``sphinx-build``; the PDF's
typesetting rule (:data:`TYPESETTING`: a note stays on the page of its
call, and a long one runs on to the next page's foot) whenever the PDF is
built, because it decides what the book looks like. No speed-up changes the output: the PDF is the same bytes with them
and without them.
"""

from . import pybtex, sphinx, weasyprint
from .guard import Change, Report, apply, prepare, revert

SPEEDUPS: tuple[Change, ...] = (*weasyprint.SPEEDUPS, *pybtex.SPEEDUPS, *sphinx.SPEEDUPS)
TYPESETTING: tuple[Change, ...] = weasyprint.TYPESETTING
CHANGES: dict[str, Change] = {change.name: change for change in (*SPEEDUPS, *TYPESETTING)}

__all__ = ["CHANGES", "SPEEDUPS", "TYPESETTING", "Change", "Report", "apply", "prepare", "revert"]
