"""The critical edition builder.

Stages (see ``shared/design.md``): :mod:`edition.seeds` reads and verifies the
seed texts, :mod:`edition.structure` turns each into a lossless
:class:`~edition.structure.Document`, :mod:`edition.apparatus` resolves the
editor's standoff layer against it, :mod:`edition.myst` renders a MyST chapter,
and :mod:`edition.build` runs Sphinx for the HTML, EPUB and PDF editions.
"""

__version__ = "0.1.0"
