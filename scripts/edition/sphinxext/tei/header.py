"""The TEI's header: the edition, its witnesses, its principles and its registers.

- ``titleStmt``: the edition's title, its editor (``xml:id="editor"``), and
  the two other voices a note may have (``#author``, ``#transcriber``);
- ``publicationStmt``: the publisher, the year, the licence of the
  editorial matter and where the texts' rights are stated;
- ``sourceDesc``: each text's witness as the catalogue describes it (the
  headnote's rows) with its entry in refs.bib, and refs.bib itself, each
  work under its key as ``xml:id``;
- ``encodingDesc/editorialDecl``: the edition's principles, in the book's
  words (``[tei]`` of the words tables), and the glossary as a taxonomy
  whose categories are the glossary's terms (``term-…``, the site's ids);
- ``profileDesc/particDesc/listPerson``: the persons register, under the
  site's ids (``person-…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes
from lxml import etree

from ...words import Words
from .writer import Writer, add_text, tei

# An XML name (xml:id) may not begin with a digit or hold most punctuation.
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


def bib_id(key: str) -> str:
    """A refs.bib key as an ``xml:id``: the key itself where it is an XML name."""
    return key if NCNAME.match(key) else "bib-" + re.sub(r"[^\w.\-]", "-", key)


@dataclass(frozen=True)
class Edition:
    """What the header says of the edition."""

    title: str
    editor: str
    year: str
    licence: str
    rights: str          # where the texts' rights are stated
    language: str


@dataclass(frozen=True)
class Witness:
    slug: str
    title: str
    author: str
    date: str
    bibkey: str
    headnote: nodes.container | None   # the text's headnote, its rows rendered


def header(edition: Edition, witnesses: list[Witness], works: list[nodes.Element],
           persons: list[nodes.paragraph], terms: list[nodes.definition_list_item],
           words: Words, writer: Writer) -> etree._Element:
    head = tei("teiHeader")
    file_desc = tei("fileDesc", head)
    title_stmt = tei("titleStmt", file_desc)
    tei("title", title_stmt).text = edition.title
    tei("editor", title_stmt, xml_id="editor").text = edition.editor
    for voice in ("author", "transcriber"):
        resp = tei("respStmt", title_stmt, xml_id=voice)
        tei("resp", resp).text = words(f"tei.{voice}")
        tei("name", resp).text = words(f"tei.{voice}-name")
    publication = tei("publicationStmt", file_desc)
    tei("publisher", publication).text = edition.editor
    tei("date", publication, when=edition.year).text = edition.year
    availability = tei("availability", publication)
    if edition.licence:
        tei("licence", availability).text = edition.licence
    tei("p", availability).text = edition.rights

    source_desc = tei("sourceDesc", file_desc)
    if witnesses:
        witnesses_list = tei("listBibl", source_desc, type_="witnesses")
        tei("head", witnesses_list).text = words("tei.witnesses")
        for witness in witnesses:
            _witness(witness, witnesses_list, writer)
    elif not works:
        tei("p", source_desc).text = words("tei.no-sources")
    cited = tei("listBibl", source_desc, type_="works-cited") if works else None
    if works:
        tei("head", cited).text = words("tei.works-cited")
    for work in works:
        key = next(i for i in work["ids"] if i.startswith("cite-"))[len("cite-"):]
        bibl = tei("bibl", cited, xml_id=bib_id(key))
        for paragraph in work.findall(nodes.paragraph):
            writer.inlines(paragraph, bibl)

    encoding = tei("encodingDesc", head)
    decl = tei("editorialDecl", encoding)
    for element, key in (("correction", "tei.correction"), ("normalization", "tei.normalization"),
                         ("correction", "tei.sic"), ("interpretation", "tei.omission"),
                         ("interpretation", "tei.notes"), ("interpretation", "tei.pages")):
        tei("p", tei(element, decl)).text = words(key)
    if terms:
        taxonomy = tei("taxonomy", tei("classDecl", encoding), xml_id="glossary")
        for item in terms:
            term = item.next_node(nodes.term)
            category = tei("category", taxonomy, xml_id=term["ids"][0])
            description = tei("desc", category)
            writer.inlines(term, tei("term", description))
            definition = item.next_node(nodes.definition)
            for paragraph in definition.findall(nodes.paragraph) if definition else ():
                add_text(description, ": " if len(description) == 1 else " ")
                writer.inlines(paragraph, description)

    if persons:
        profile = tei("profileDesc", head)
        listing = tei("listPerson", tei("particDesc", profile))
        for paragraph in persons:
            person = tei("person", listing, xml_id=paragraph["ids"][0])
            name = paragraph.next_node(nodes.strong)
            writer.inlines(name, tei("persName", person))
            note = tei("note", person)
            rest = paragraph.deepcopy()
            rest.remove(rest.next_node(nodes.strong))
            writer.inlines(rest, note)
            note.text = (note.text or "").lstrip(" .")
    return head


def _witness(witness: Witness, parent: etree._Element, writer: Writer) -> None:
    """A text's source, as its headnote gives it: title, author, date, and
    the rows on its publication, its source and its rights."""
    bibl = tei("bibl", parent, xml_id=f"source-{witness.slug}", corresp=f"#text-{witness.slug}")
    tei("title", bibl).text = witness.title
    if witness.author:
        tei("author", bibl).text = witness.author
    tei("date", bibl).text = witness.date
    rows = [c for c in witness.headnote.children if isinstance(c, nodes.paragraph)] if witness.headnote else []
    for kind, row in zip(("publication", "source", "rights"), rows[2:5]):
        note = tei("note", bibl, type_=kind)
        content = row.deepcopy()
        label = content.next_node(nodes.strong)
        if label is not None:
            content.remove(label)
        writer.inlines(content, note)
        note.text = (note.text or "").lstrip()
    if witness.bibkey:
        tei("ref", bibl, target=f"#{bib_id(witness.bibkey)}").text = witness.bibkey
