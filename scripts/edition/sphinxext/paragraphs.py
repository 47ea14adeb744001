"""Paragraph numbers: a visible number and a permalink for every body paragraph.

The generated chapters put a target ``<slug>-p<N>`` before each body paragraph
(docutils moves the id onto the paragraph).  This transform opens each such
paragraph with a link to itself showing N, styled into the margin in HTML and
PDF and inline in the EPUB.  Where the source numbers its paragraphs itself
(the paragraph's text opens with "N."), the source's number is already in the
text: the link then shows a pilcrow, so the number is not printed twice.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ..anchors import parse_anchor
from .config import words


class ParagraphNumbers(SphinxTransform):
    # After docutils' PropagateTargets (260) has moved the target ids onto
    # the paragraphs.
    default_priority = 400

    def apply(self, **kwargs) -> None:
        for para in self.document.findall(nodes.paragraph):
            paragraph = next((p for i in para["ids"] if (p := parse_anchor(i))), None)
            if paragraph is None or not self.env.docname.endswith(paragraph.slug):
                continue
            number = paragraph.number
            source_numbered = para.astext().startswith(f"{number}.")
            shown = "¶" if source_numbered else number
            link = nodes.reference(
                "", "", nodes.inline(shown, shown),
                refid=paragraph.anchor, internal=True,
                classes=["para-num"] + (["para-num-source"] if source_numbered else []),
                reftitle=words(self.env)("paragraph.permalink", number=number),
            )
            para["classes"].append("numbered")
            para.insert(0, link)
