"""The ``{para}`` role: a cross-reference to a paragraph of one of the texts.

``{para}`dunayevskaya-beria-purge 5``` renders as "Dunayevskaya ¶5" linking to
that paragraph in every format (a ``std:ref`` to the label ``<slug>-p<N>``,
so a missing paragraph is a build error like any broken reference).  The
short names come from the catalogue (its ``short`` field, else the title:
``edition_texts``, the catalogue's entries).
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxRole

from ..anchors import parse_name
from .config import edition_config


class ParagraphRef(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        paragraph = parse_name(self.text)
        if paragraph is None:
            msg = self.inliner.reporter.error(
                f"{{para}} wants 'slug N' (a text's slug and a paragraph number), not {self.text!r}",
                line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        text = edition_config(self.env).text(paragraph.slug)
        if text is None:
            msg = self.inliner.reporter.error(f"{{para}}: no text with the slug {paragraph.slug!r}",
                                              line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        title = f"{text.label} ¶{paragraph.number}"
        ref = addnodes.pending_xref(
            self.rawtext, reftype="ref", refdomain="std", refexplicit=True,
            reftarget=paragraph.anchor, refdoc=self.env.docname, refwarn=True,
        )
        ref += nodes.inline(title, title, classes=["para-ref"])
        return [ref], []
