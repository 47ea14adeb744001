"""Verify, reading the TEI: each text's words in either reading, and its source notes' words.

The TEI gives both readings (:mod:`edition.sphinxext.tei.writer`):

- the **critical** reading takes the edition's side of every ``choice``
  (``corr``, ``reg``), keeps a ``sic`` that stands alone, and reads an
  omission (``gap``) as the marker ``[…]``;
- the **diplomatic** reading takes the source's side (``sic``, ``orig``)
  and reads an omission as the text it records (its ``desc``).

Left out of both, as from the other formats: the editor's notes, the page
breaks; the source's own notes (``resp`` ``#author`` or ``#transcriber``)
are read as notes of their own, by their number, without the editor's
words inside them.
"""

from __future__ import annotations

from lxml import etree

from .expected import OMISSION_MARKER, words

TEI = "http://www.tei-c.org/ns/1.0"
SOURCE_VOICES = ("#author", "#transcriber")
# Elements whose ends separate words (as blocks do in a page).
BLOCKS = {"p", "head", "ab", "item", "quote", "div", "list", "lb", "body", "text", "note"}


def _q(tag: str) -> str:
    return f"{{{TEI}}}{tag}"


def tei_streams(data: bytes, diplomatic: bool = False) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    """Each text of the TEI (by its ``n``, the slug): its words in the
    reading asked for, and its source notes' words (number → words)."""
    root = etree.fromstring(data)
    found = {}
    for text in root.iter(_q("text")):
        slug = text.get("n")
        if slug is None:
            continue
        text = _reading(text, diplomatic)
        notes = {}
        for note in list(text.iter(_q("note"))):
            if note.get("resp") in SOURCE_VOICES and note.get("n"):
                for inner in list(note.iter(_q("note")))[1:]:
                    _remove(inner)
                notes[note.get("n")] = _words(note)
        for note in list(text.iter(_q("note"))):
            if note.getparent() is not None:
                _remove(note)
        found[slug] = (_words(text), notes)
    return found


def _reading(text: etree._Element, diplomatic: bool) -> etree._Element:
    """A copy of ``text`` with one reading left."""
    text = etree.fromstring(etree.tostring(text))
    drop = ("corr", "reg") if diplomatic else ("sic", "orig")
    for choice in list(text.iter(_q("choice"))):
        for child in list(choice):
            if etree.QName(child).localname in drop:
                _remove(child)
    for gap in list(text.iter(_q("gap"))):
        desc = gap.find(_q("desc"))
        stand_in = etree.Element(_q("ab"))
        stand_in.text = (desc.text or "") if diplomatic and desc is not None else OMISSION_MARKER
        stand_in.tail = gap.tail
        gap.getparent().replace(gap, stand_in)
    for pb in list(text.iter(_q("pb"))):
        _remove(pb)
    return text


def _remove(element: etree._Element) -> None:
    """Take ``element`` out, keeping the text that follows it."""
    parent = element.getparent()
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _words(element: etree._Element) -> list[str]:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        block = etree.QName(node).localname in BLOCKS
        if block:
            parts.append(" ")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append(" ")

    walk(element)
    return words("".join(parts))
