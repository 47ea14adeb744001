"""Build: the book project → HTML, EPUB and PDF under ``build/``.

:func:`build` regenerates the chapters (:mod:`edition.render.chapters`),
reads the sources once for all formats and builds each format with Sphinx
into a staging folder that replaces the last good output only when the
format succeeded (:mod:`.staging`); the PDF is laid out in a process of its
own (:mod:`.forked`). :mod:`.watch` rebuilds on every change of an input.
"""

from .pipeline import build
from .staging import BuildError, build_format

__all__ = ["BuildError", "build", "build_format"]
