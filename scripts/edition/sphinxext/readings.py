"""Two editions from one apparatus: the critical text and the diplomatic text.

The generated chapters carry both readings where the editor changed the
seed: spans and containers of class ``reading-critical`` (emended text, marks
of omission) and ``reading-diplomatic`` (the seed's own text).  This
transform keeps one reading, chosen by the config value ``edition_reading``
(``critical`` by default; ``edition build --diplomatic`` sets
``diplomatic``), and drops notes whose every call went with the other.
The dropped reading's text stays with the kept one as data
(:data:`OTHER_READING`), for the TEI, which gives both.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .config import edition_config

# The attribute of a kept reading that holds the dropped one's text.
OTHER_READING = "other_reading"


def _partner(node: nodes.Element, kept_class: str) -> nodes.Element | None:
    """The reading beside ``node`` that the edition keeps (the two stand
    side by side, the critical first)."""
    parent = node.parent
    index = parent.index(node)
    for sibling in (parent[index - 1] if index else None,
                    parent[index + 1] if index + 1 < len(parent) else None):
        if isinstance(sibling, nodes.Element) and kept_class in sibling.get("classes", ()):
            return sibling
    return None


class ChooseReading(SphinxTransform):
    # Before footnotes are numbered (docutils' Footnotes, 620) so that a note
    # that goes with the dropped reading does not take a number.
    default_priority = 600

    def apply(self, **kwargs) -> None:
        keep = edition_config(self.env).reading
        drop = f"reading-{'diplomatic' if keep == 'critical' else 'critical'}"
        doc = self.document
        dropped_refs: set[str] = set()
        for node in list(doc.findall(nodes.Element)):
            if drop in node.get("classes", ()) and node.parent is not None:
                kept = _partner(node, f"reading-{keep}")
                if kept is not None:
                    # The other reading stays with the kept one as data (the
                    # TEI gives both), never as text of this edition.
                    kept[OTHER_READING] = node.astext()
                for ref in node.findall(nodes.footnote_reference):
                    dropped_refs.add(ref.get("refname", ""))
                    # docutils numbers footnotes from these registries: keep them true.
                    for registry in (doc.autofootnote_refs, doc.symbol_footnote_refs):
                        if ref in registry:
                            registry.remove(ref)
                    refs = doc.footnote_refs.get(ref.get("refname", ""), [])
                    if ref in refs:
                        refs.remove(ref)
                node.parent.remove(node)
                node.parent = None
        if not dropped_refs:
            return
        remaining = {ref.get("refname", "") for ref in doc.findall(nodes.footnote_reference)}
        for footnote in list(doc.findall(nodes.footnote)):
            names = set(footnote["names"])
            if names & dropped_refs and not names & remaining:
                footnote.parent.remove(footnote)
                footnote.parent = None
                for registry in (doc.autofootnotes, doc.footnotes, doc.symbol_footnotes):
                    if footnote in registry:
                        registry.remove(footnote)
