"""EPUB translator: markup that EPUB reading systems and epubcheck accept.

Sphinx's HTML5 writer marks bibliography entries with the ARIA role
``doc-biblioentry``, which EPUB 3.3 deprecates (epubcheck RSC-017); a list
item in a bibliography list carries the meaning instead.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.writers.html5 import HTML5Translator


class EpubTranslator(HTML5Translator):
    def visit_citation(self, node: nodes.citation) -> None:
        super().visit_citation(node)
        self._drop_role("doc-biblioentry")

    def _drop_role(self, role: str) -> None:
        # The opening tag was just appended; remove the deprecated role from it.
        for index in range(len(self.body) - 1, -1, -1):
            if f'role="{role}"' in self.body[index]:
                self.body[index] = self.body[index].replace(f' role="{role}"', "")
                break


class EpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder, with an NCX whose ``dtb:uid`` is the book's
    identifier, as the OPF's (Sphinx writes the identifier's XML id there,
    which epubcheck reports as NCX-001)."""

    def toc_metadata(self, level: int, navpoints: list) -> dict:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = self.config.epub_identifier
        return metadata
