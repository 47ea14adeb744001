"""The ``{para}`` role: a cross-reference to a paragraph of one of the texts.

``{para}`dunayevskaya-beria-purge 5``` renders as "Dunayevskaya ¶5" linking to
that paragraph in every format (a ``std:ref`` to the label ``<slug>-p<N>``,
so a missing paragraph is a build error like any broken reference).  The
short names come from the config value ``edition_text_labels`` (slug → label,
filled from the catalogue by conf.py).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxRole

PARA_REF_RE = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\s+(?P<number>\d+)$")


class ParagraphRef(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = PARA_REF_RE.match(self.text.strip())
        if match is None:
            msg = self.inliner.reporter.error(
                f"{{para}} wants 'slug N' (a text's slug and a paragraph number), not {self.text!r}",
                line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        slug, number = match["slug"], match["number"]
        labels = self.config.edition_text_labels
        if slug not in labels:
            msg = self.inliner.reporter.error(f"{{para}}: no text with the slug {slug!r}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        title = f"{labels[slug]} ¶{number}"
        ref = addnodes.pending_xref(
            self.rawtext, reftype="ref", refdomain="std", refexplicit=True,
            reftarget=f"{slug}-p{number}", refdoc=self.env.docname, refwarn=True,
        )
        ref += nodes.inline(title, title, classes=["para-ref"])
        return [ref], []
