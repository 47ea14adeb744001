"""A resolved doctree of the book → TEI P5 elements.

Each text becomes a ``<text>``; the persons page a ``listPerson``, the
glossary a ``list type="gloss"``, the bibliography a ``listBibl``. Seed
text reaches the TEI only as text nodes (lxml escapes it): no markup is
ever made from it.

How the edition's markup becomes TEI (the TEI Guidelines, chapters 3,
11, 12 and 13):

- paragraphs: ``<p>`` with ``xml:id`` = the site's anchor and ``n`` = the
  number printed beside it (the source's own where it numbers them);
  headings ``<head>``; quotations ``<quote>``; lists ``<list>``/``<item>``;
- notes at their call: the sources' ``<note resp="#author">`` or
  ``resp="#transcriber"`` with their numbers, the editor's ``<note
  resp="#editor" type="editorial">`` with their letters;
- readings: an emendation ``<choice><sic/><corr/></choice>``, a
  regularisation ``<choice><orig/><reg/></choice>``, a [sic] ``<sic>``, an
  omission ``<gap reason="omitted">`` with the omitted text in ``<desc>``;
- persons ``<persName ref>``, terms ``<term ref>``, citations ``<bibl>``
  with a ``<ref>`` to the bibliography (keys as ``xml:id``).
"""

from __future__ import annotations

import re
from typing import Callable

from docutils import nodes
from lxml import etree
from sphinx import addnodes

from ..readings import OTHER_READING

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
# Whose a note is, by the stream the edition gives it.
VOICES = {"note-editor": "editor", "note-author": "author", "note-transcriber": "transcriber"}
# The edition's own additions, not the source's: not in the TEI's text.
SKIPPED_CLASSES = frozenset({"headnote", "textual-notes", "para-cite", "textual-intro", "note-voice"})
CITE_PREFIX = "cite-"
# A paragraph's anchor ends in its number (edition.anchors.paragraph_anchor).
PARAGRAPH_NUMBER = re.compile(r"-p([^-]+)$")


def tei(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    name = f"{{{TEI}}}{tag}"
    element = etree.Element(name, nsmap={None: TEI}) if parent is None else etree.SubElement(parent, name)
    for key, value in attrs.items():
        element.set(XML_ID if key == "xml_id" else key.replace("_", "-") if key != "type_" else "type", value)
    return element


def add_text(parent: etree._Element, text: str) -> None:
    """Text after what ``parent`` holds so far."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class Writer:
    """One resolved doctree → TEI elements under a parent."""

    def __init__(self, doctree: nodes.document, bib_id: Callable[[str], str]) -> None:
        self.footnotes = {fid: node for node in doctree.findall(nodes.footnote) for fid in node["ids"]}
        self.bib_id = bib_id

    # -- blocks ----------------------------------------------------------------------------

    def blocks(self, node: nodes.Element, parent: etree._Element) -> None:
        for child in node.children:
            self.block(child, parent)

    def block(self, node: nodes.Node, parent: etree._Element) -> None:
        if isinstance(node, (nodes.target, nodes.comment, nodes.footnote, nodes.transition,
                             nodes.substitution_definition, addnodes.index, nodes.system_message)):
            return
        classes = set(node.get("classes", ())) if isinstance(node, nodes.Element) else set()
        if classes & SKIPPED_CLASSES:
            return
        if isinstance(node, nodes.section):
            div = tei("div", parent, xml_id=node["ids"][0]) if node["ids"] else tei("div", parent)
            self.blocks(node, div)
        elif isinstance(node, nodes.title):
            self.inlines(node, tei("head", parent))
        elif isinstance(node, nodes.paragraph):
            self.paragraph(node, parent)
        elif isinstance(node, nodes.block_quote):
            quote = tei("quote", parent)
            self.blocks(node, quote)
        elif isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
            listing = tei("list", parent, rend="numbered" if isinstance(node, nodes.enumerated_list) else "bulleted")
            for item in node.children:
                self.list_item(item, listing)
        elif isinstance(node, nodes.container):
            self.container(node, classes, parent)
        elif isinstance(node, nodes.Element):
            self.blocks(node, parent)

    def paragraph(self, node: nodes.paragraph, parent: etree._Element) -> None:
        if parent.tag == f"{{{TEI}}}item":
            self.inlines(node, parent)
            return
        p = tei("p", parent)
        if node["ids"]:
            p.set(XML_ID, node["ids"][0])
        numbered = node["ids"] and any("para-num" in ref.get("classes", ()) for ref in node.findall(nodes.reference))
        if numbered:
            # Its number is its anchor's (the source's own where it numbers its
            # paragraphs, and prints that number, not the edition's, beside it).
            p.set("n", PARAGRAPH_NUMBER.search(node["ids"][0]).group(1))
        self.inlines(node, p)

    def list_item(self, node: nodes.Node, listing: etree._Element) -> None:
        item = tei("item", listing)
        if isinstance(node, nodes.Element):
            for child in node.children:
                if isinstance(child, nodes.paragraph) and len(item):
                    add_text(item, " ")
                self.block(child, item)

    def container(self, node: nodes.container, classes: set[str], parent: etree._Element) -> None:
        if "list" in classes:
            self.blocks(node, parent)
        elif "omission" in classes:
            # The omitted text, recorded; the editor's note says why.
            gap = tei("gap", parent, reason="omitted")
            other = node.get(OTHER_READING) or ""
            if other:
                tei("desc", gap).text = other
            for ref in node.findall(nodes.footnote_reference):
                self.note(ref, gap.getparent())
        else:
            # A block of the source of its own kind (byline, source header,
            # comment, caption): an anonymous block, its paragraphs apart by
            # line breaks (a division could not stand among paragraphs).
            kind = next((c for c in node["classes"] if c not in ("docutils", "container")), "block")
            block = tei("ab", parent, type_=kind)
            if node["ids"]:
                block.set(XML_ID, node["ids"][0])
            for index, child in enumerate(c for c in node.children if isinstance(c, nodes.paragraph)):
                if index:
                    tei("lb", block)
                self.inlines(child, block)

    # -- inline ---------------------------------------------------------------------------

    def inlines(self, node: nodes.Element, parent: etree._Element) -> None:
        for child in node.children:
            self.inline(child, parent)

    def inline(self, node: nodes.Node, parent: etree._Element) -> None:
        if isinstance(node, nodes.Text):
            add_text(parent, node.astext())
            return
        if not isinstance(node, nodes.Element) or isinstance(node, (nodes.target, addnodes.index,
                                                                    nodes.system_message)):
            return
        classes = set(node.get("classes", ()))
        if "para-num" in classes or classes & SKIPPED_CLASSES:
            return
        other = node.get(OTHER_READING)
        if other is not None and "reading-critical" in classes:
            self.choice(node, other, "regularised" in classes, parent)
        elif "sic-text" in classes:
            self.inlines(node, tei("sic", parent))
        elif "sic" in classes and "editorial" in classes:
            return   # the mark "[sic]": the <sic> before it says so
        elif isinstance(node, nodes.footnote_reference):
            self.note(node, parent)
        elif "editorial" in classes:
            self.inlines(node, tei("note", parent, resp="#editor", type_="editorial"))
        elif "person" in classes:
            person = next((c for c in classes if c.startswith("person-")), "")
            self.inlines(node, tei("persName", parent, ref=f"#{person}") if person else tei("persName", parent))
        elif isinstance(node, nodes.reference):
            self.reference(node, classes, parent)
        elif isinstance(node, nodes.emphasis):
            self.inlines(node, tei("hi", parent, rend="italic"))
        elif isinstance(node, nodes.strong):
            self.inlines(node, tei("hi", parent, rend="bold"))
        elif isinstance(node, nodes.literal):
            self.inlines(node, tei("code", parent))
        elif isinstance(node, nodes.superscript):
            self.inlines(node, tei("hi", parent, rend="superscript"))
        else:
            self.inlines(node, parent)

    def choice(self, node: nodes.Element, other: str, regularised: bool, parent: etree._Element) -> None:
        """The edition's reading and the source's, side by side."""
        choice = tei("choice", parent)
        source, edition = ("orig", "reg") if regularised else ("sic", "corr")
        tei(source, choice).text = other
        target = tei(edition, choice)
        for child in node.children:
            # Inside, the reading (an inline of the same classes): its words.
            if isinstance(child, nodes.Element) and "reading-critical" in child.get("classes", ()):
                self.inlines(child, target)
            else:
                self.inline(child, target)

    def note(self, ref: nodes.footnote_reference, parent: etree._Element) -> None:
        footnote = self.footnotes.get(ref.get("refid", ""))
        if footnote is None:
            return
        voice = next((VOICES[c] for c in footnote["classes"] if c in VOICES), "editor")
        note = tei("note", parent, place="foot", n=ref.astext(), resp=f"#{voice}")
        if voice == "editor":
            note.set("type", "editorial")
        if footnote["ids"]:
            note.set(XML_ID, footnote["ids"][0])
        paragraphs = [c for c in footnote.children if isinstance(c, nodes.paragraph)]
        for paragraph in paragraphs:   # one paragraph is the note's own text
            self.inlines(paragraph, note if len(paragraphs) == 1 else tei("p", note))

    def reference(self, node: nodes.reference, classes: set[str], parent: etree._Element) -> None:
        uri = node.get("refuri") or (f"#{node['refid']}" if node.get("refid") else "")
        anchor = uri.rpartition("#")[2] if "#" in uri else ""
        if "textual-link" in classes or "textual-place" in classes:
            self.inlines(node, parent)   # a link to the textual notes: its words only
        elif anchor.startswith("term-"):
            self.inlines(node, tei("term", parent, ref=f"#{anchor}"))
        elif anchor.startswith(CITE_PREFIX):
            bibl = tei("bibl", parent)
            self.inlines(node, tei("ref", bibl, target=f"#{self.bib_id(anchor[len(CITE_PREFIX):])}"))
        elif anchor:
            self.inlines(node, tei("ref", parent, target=f"#{anchor}"))
        elif uri:
            self.inlines(node, tei("ref", parent, target=uri))
        else:
            self.inlines(node, parent)
