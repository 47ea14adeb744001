"""The PDF's markup: HTML for paged media, notes at their calls.

The translator writes each footnote's body at its call, inside a
``<span class="footnote">`` that the print stylesheet floats to the foot of
the page (CSS GCPM ``float: footnote``), so that WeasyPrint sets every note
on the page of its call; a heading carries its plain words for the PDF's
outline and running heads (``data-bookmark``); a cross-reference to a
paragraph gets its page number (``page-ref``).
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

from ...anchors import parse_anchor
from ...copyfit import ATTRIBUTE, paragraph_key
from ..direction import ResolvedDirection

# The class of a block (paragraph, heading) that calls notes, numbered.
NOTE_BLOCK = "calls-"


WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"


def url_breaks(url: str) -> str:
    """A URL with the places it may break at, as *The Chicago Manual of
    Style* (14.18) has them: after a colon or double slash; before a single
    slash, tilde, period, comma, hyphen, underline, question mark, number
    sign or percent sign; before or after an equals sign or ampersand. Never
    after a hyphen or a single slash (a word joiner holds it to what
    follows), so a hyphen at a line's end is never the URL's and no hyphen
    is added."""
    out = []
    for i, ch in enumerate(url):
        before = url[i - 1] if i else ""
        if ch in "/~.,-_?#%=&" and i and not (ch == "/" and before in ":/") and out[-1] != ZERO_WIDTH_SPACE:
            out.append(ZERO_WIDTH_SPACE)
        out.append(ch)
        after = url[i + 1] if i + 1 < len(url) else ""
        if ch in "=&" or (ch == "/" and before == "/"):
            out.append(ZERO_WIDTH_SPACE)
        elif ch in "-/" and after != "/" and before not in ":/":
            out.append(WORD_JOINER)   # the break comes before it, never after
    return "".join(out)


class PrintHTMLTranslator(ResolvedDirection, HTML5Translator):
    """HTML for paged media: notes at their calls, no screen furniture."""

    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self._footnotes = {
            fid: fn for fn in document.findall(nodes.footnote) for fid in fn["ids"]
        }
        self._fit_seen: dict[str, int] = {}
        self._inline_depth = 0
        self._paragraphs: list[str] = []   # classes of the paragraphs being written
        self._space_into_next = False        # a space to write inside the next element (visit_Text)

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        footnote = self._footnotes.get(node.get("refid", ""))
        if footnote is None or footnote.get("edition_printed"):
            super().visit_footnote_reference(node)
            return
        footnote["edition_printed"] = True
        if self._paragraphs and self._paragraphs[-1]:
            self.builder.note_paragraphs[footnote["ids"][0]] = self._paragraphs[-1]
        label = html.escape(node.astext(), quote=True)
        classes = " ".join(["footnote", *footnote["classes"]])
        ids = " ".join(footnote["ids"])
        call_classes = " ".join(["note-call", *footnote["classes"]])
        # The call is a link to the note (clickable, and it lets a check find
        # the page of each call); the note floats to the foot of that page.
        # A word joiner before it: a line never breaks between a word (or a
        # dash) and its call, so no line opens with a call.
        self.body.append(WORD_JOINER)
        self.body.append(
            f'<a class="{call_classes}" href="#{footnote["ids"][0]}" id="{node["ids"][0]}">'
            f"{label}</a>" if node.get("ids") else
            f'<a class="{call_classes}" href="#{footnote["ids"][0]}">{label}</a>'
        )
        self.body.append(
            f'<span class="{classes}" id="{ids}" data-label="{label}" role="note">'
        )
        self._inline_depth += 1
        for child in footnote.children:
            if not isinstance(child, nodes.label):
                child.walkabout(self)
        self._inline_depth -= 1
        self.body.append("</span>")
        raise nodes.SkipNode

    def visit_title(self, node: nodes.title) -> None:
        # A heading that calls a note is kept with it like a paragraph.
        self._paragraphs.append(self._note_block_class(node))
        super().visit_title(node)
        if isinstance(node.parent, nodes.section) and self.body[-1].startswith("<h"):
            # The PDF outline takes a heading's words, not its note calls or
            # editorial marks ([sic]): print.css reads bookmark-label from here.
            label = html.escape(plain_title(node), quote=True)
            author = node.get("edition_author", "")
            by = f' data-author="{html.escape(author, quote=True)}"' if author else ""
            # Named by its words, for copy-fitting (the space above it may be stretched).
            key = paragraph_key(node.astext(), self._fit_seen)
            self.builder.fit_keys.add(key)
            self.body[-1] = self.body[-1].replace(">", f' data-bookmark="{label}"{by} {ATTRIBUTE}="{key}">', 1)

    def visit_Text(self, node: nodes.Text) -> None:
        if isinstance(node.parent, nodes.reference) and str(node).startswith(("http://", "https://")):
            node = nodes.Text(url_breaks(str(node)))
        following = node.next_node(descend=False, siblings=True)
        # Line breaks of the MyST source are spaces: written as such, because
        # WeasyPrint's line breaker can strand the word before a newline on a
        # line of its own (tests/test_pdf.py checks that no line is stranded).
        if "\n" in node and not isinstance(node.parent, (nodes.literal_block, nodes.raw)):
            node = nodes.Text(str(node).replace("\n", " "))
        # The space before an italic title, a link or a citation is written inside it:
        # when that space is a line's only break before the element,
        # WeasyPrint 70 breaks at the line's first space instead ("Furr,"
        # alone on a line; Kozea/WeasyPrint#1614, #2025).
        if self._space_into_next:
            node = nodes.Text(" " + str(node))
            self._space_into_next = False
        if (str(node).endswith(" ")
                and isinstance(following, (nodes.reference, nodes.emphasis, nodes.strong, nodes.inline))
                and following.astext()):
            node = nodes.Text(str(node)[:-1])
            self._space_into_next = True
        super().visit_Text(node)

    def depart_title(self, node: nodes.title) -> None:
        super().depart_title(node)
        self._paragraphs.pop()
        if node.get("edition_author"):
            # An anthology's byline: the text's author under its title.
            self.body.append(f'<p class="text-author">{html.escape(node["edition_author"])}</p>')

    def _note_block_class(self, node: nodes.Element) -> str:
        """A class by which the renderer can keep a block with the notes it
        calls (see render_pdf); "" for a block that calls none."""
        if next(node.findall(nodes.footnote_reference), None) is None:
            return ""
        self.builder.note_blocks += 1
        name = f"{NOTE_BLOCK}{self.builder.note_blocks}"
        node["classes"].append(name)
        return name

    def visit_footnote(self, node: nodes.footnote) -> None:
        # Set at its call (visit_footnote_reference); an unreferenced footnote
        # would be an error upstream (docutils reports it).
        raise nodes.SkipNode

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if self._inline_depth:
            self.body.append('<span class="footnote-para">')
            return
        self._paragraphs.append(self._note_block_class(node))
        # Named by its words, for copy-fitting (edition.copyfit).
        key = paragraph_key(node.astext(), self._fit_seen)
        self.builder.fit_keys.add(key)
        self.body.append(self.starttag(node, "p", "", **{ATTRIBUTE: key}))

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if self._inline_depth:
            self.body.append("</span>")
        else:
            self._paragraphs.pop()
            super().depart_paragraph(node)

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        docname = node["docname"]
        classes = ["chapter", *node.get("edition_classes", [])]
        self.body.append(f'<div class="{" ".join(classes)}" id="document-{html.escape(docname)}" '
                         f'data-docname="{html.escape(docname)}">')

    def depart_start_of_file(self, node: addnodes.start_of_file) -> None:
        self.body.append("</div>")
        if node["docname"] == self.builder.contents_after:
            self.body.append(self.builder.contents_html())

    def visit_reference(self, node: nodes.reference) -> None:
        # A cross-reference to a paragraph ("Furr ¶35") gets its page number in
        # print (print.css, target-counter); the index of persons has its own.
        target = node.get("refuri", "") or node.get("refid", "")
        if (parse_anchor(target) and "para-num" not in node["classes"]
                and not any("person-index" in a.get("classes", ()) for a in _ancestors(node))):
            node["classes"].append("page-ref")
        super().visit_reference(node)


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def plain_title(title: nodes.title) -> str:
    copy = title.deepcopy()
    for node in list(copy.findall(lambda n: isinstance(n, nodes.footnote_reference)
                                  or "editorial" in getattr(n, "get", lambda *_: ())("classes", ()))):
        node.parent.remove(node)
    return " ".join(copy.astext().split())
