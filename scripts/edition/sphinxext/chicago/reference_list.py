"""The reference list without labels: an author–date list is read by its
authors, each entry with a hanging indent (Chicago 15.10), not by "[18]".

sphinxcontrib-bibtex sets every entry of a ``{bibliography}`` as a docutils
citation whose first child is its label; the HTML, EPUB and PDF translators
print that label in brackets. For a bibliography in the Chicago style this
post-transform takes the labels out and marks the list
``reference-list``, which edition.css and print.css set with hanging
indents. The entries keep their ids (``bibtex_cite_id``), so every citation
still links to its entry.
"""

from __future__ import annotations

from typing import Any, cast

import pybtex.plugin
from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

from .formatting import Style

REFERENCE_LIST_CLASS = "reference-list"


def _is_chicago(style: str) -> bool:
    """Whether a bibliography's Pybtex style is the Chicago style (or one made from it)."""
    try:
        return issubclass(pybtex.plugin.find_plugin("pybtex.style.formatting", style), Style)
    except pybtex.plugin.PluginNotFound:
        return False


class UnlabelledReferenceList(SphinxPostTransform):
    # After sphinxcontrib-bibtex's BibliographyTransform (5), which sets the
    # entries in place of the {bibliography} directive.
    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        try:
            domain = cast(Any, self.env.get_domain("cite"))
        except ExtensionError:      # a book without sphinxcontrib-bibtex has no reference list
            return
        # (page, id) of each entry: a builder that joins pages into one
        # document (the PDF's) has the entries of other pages in this one.
        chicago = {(citation.bibliography_key.docname, citation.citation_id)
                   for citation in domain.citations
                   if _is_chicago(domain.bibliographies[citation.bibliography_key].style)}
        if not chicago:
            return
        for entry in list(self.document.findall(nodes.citation)):
            if not any((entry.get("docname"), id_) in chicago for id_ in entry["ids"]):
                continue
            for label in [child for child in entry.children if isinstance(child, nodes.label)]:
                entry.remove(label)
            if isinstance(entry.parent, nodes.container):
                if REFERENCE_LIST_CLASS not in entry.parent["classes"]:
                    entry.parent["classes"].append(REFERENCE_LIST_CLASS)
