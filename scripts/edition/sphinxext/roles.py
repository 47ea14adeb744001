"""The ``{para}`` role: a cross-reference to paragraphs of one of the texts.

``{para}`dunayevskaya-beria-purge 5``` renders as "Dunayevskaya ¶5" linking to
that paragraph in every format (a ``std:ref`` to the label ``<slug>-p<N>``,
so a missing paragraph is a build error like any broken reference).
``{para}`dunayevskaya-beria-purge 14, 15, 16, 21``` (or ``14-16, 21``)
renders as "Dunayevskaya ¶¶14–16, 21": each run of consecutive paragraphs
one link, to its first (the PDF gives that one's page). The short names come
from the catalogue (its ``short`` field, else the title: ``edition_texts``,
the catalogue's entries).
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxRole

from ..anchors import paragraph_anchor, parse_names, run_text, runs
from .config import edition_config


class ParagraphRef(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        paragraphs = parse_names(self.text)
        if paragraphs is None:
            msg = self.inliner.reporter.error(
                f"{{para}} wants 'slug N' or 'slug N, M, K-L' (a text's slug and paragraph numbers), "
                f"not {self.text!r}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        slug = paragraphs[0].slug
        text = edition_config(self.env).text(slug)
        if text is None:
            msg = self.inliner.reporter.error(f"{{para}}: no text with the slug {slug!r}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        spans = runs([int(p.number) for p in paragraphs])
        if len(spans) == 1 and spans[0][0] == spans[0][1]:
            title = f"{text.label} ¶{spans[0][0]}"
            return [self._link(title, slug, spans[0][0], ["para-ref"])], []
        # Several: "Dunayevskaya ¶¶14–16, 21", each run a link to its first paragraph.
        out = nodes.inline(classes=["para-refs"])
        out += nodes.Text(f"{text.label} ¶¶")
        for i, (first, last) in enumerate(spans):
            if i:
                out += nodes.Text(", ")
            out += self._link(run_text(first, last), slug, first, ["para-ref"])
        return [out], []

    def _link(self, title: str, slug: str, number: int, classes: list[str]) -> addnodes.pending_xref:
        ref = addnodes.pending_xref(
            self.rawtext, reftype="ref", refdomain="std", refexplicit=True,
            reftarget=paragraph_anchor(slug, str(number)), refdoc=self.env.docname, refwarn=True,
        )
        ref += nodes.inline(title, title, classes=classes)
        return ref
