"""The critical edition builder.

The pipeline, one package per stage (see ``scripts/docs/architecture.md``):
:mod:`edition.sources` reads and verifies the seed texts and structures
each as a lossless document, :mod:`edition.apparatus` resolves the editor's
standoff layer and registers against it, :mod:`edition.render` writes the
MyST chapters, :mod:`edition.build` runs Sphinx (with the extension
:mod:`edition.sphinxext`) for the HTML, EPUB and PDF editions, and
:mod:`edition.verify` reads them back. :mod:`edition.fonts` holds the
book's faces; :mod:`edition.compat` every change made to another
project's code.
"""

__version__ = "0.1.0"
