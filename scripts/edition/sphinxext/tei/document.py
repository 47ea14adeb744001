"""The TEI document of the book, from its resolved doctrees: assembled,
given the printed pages, written and validated.

One ``TEI``: its header (:mod:`.header`) describes the edition, each
text's witness, the principles, the registers and the works cited; its
``text`` is a ``group`` of one ``text`` per source text, in the order of
the catalogue (:mod:`.writer`). Written by the TEI builder, and by the PDF
builder for the archival PDF, which carries it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from lxml import etree
from sphinx.locale import __
from sphinx.util import logging

from ... import pagemap, progress
from ...clock import build_moment
from ...pagemarks import Marking, PageMarkError, anchored, insert
from ...project import RIGHTS_PAGE, TEXTS_FOLDER
from ...schemas import ValidatorMissing, validate_tei
from ..config import edition_config, words
from ..warnings import Warn, warn
from .header import Edition, Witness, bib_id, header
from .writer import TEI, XML_ID, Writer, tei

logger = logging.getLogger(__name__)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The TEI's text as the printed page counts it: not its notes (the PDF sets
# them at the page's foot), nor the source's readings beside the edition's,
# nor omitted text; a sic that stands alone is the text's.
NOT_PRINTED = frozenset({"note", "orig", "desc"})
TEI_PAGES = Marking(lambda e: etree.QName(e).localname in NOT_PRINTED
                    or (etree.QName(e).localname == "sic" and e.getparent().tag == f"{{{TEI}}}choice"),
                    frozenset({"p", "head", "ab", "item", "quote", "div", "byline"}))


def write_tei(env: Any, doctrees: dict[str, nodes.document], out: Path, page_map: Path | None) -> bool:
    """Write the TEI of the book's resolved ``doctrees`` to ``out``, with the
    page breaks of ``page_map`` when given, and validate it: an invalid TEI
    is a warning (which fails the build) with the validator's words.
    Returns whether it is valid."""
    root = document(env, doctrees)
    if page_map is not None:
        mark_pages(root.find(f"{{{TEI}}}text/{{{TEI}}}group"), page_map)
    etree.cleanup_namespaces(root)
    out.write_bytes(etree.tostring(etree.ElementTree(root), encoding="utf-8", xml_declaration=True))
    try:
        problems = validate_tei(out)
    except ValidatorMissing as exc:
        problems = [str(exc)]
    if problems:
        warn(Warn.TEI_INVALID, __("%s is not valid TEI P5 (tei_all): %s"), out.name,
             "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""))
    return not problems


def document(env: Any, doctrees: dict[str, nodes.document]) -> etree._Element:
    """The book as one ``TEI`` element."""
    edition = edition_config(env)
    config = env.config
    say = words(env)
    texts = [slug for slug in edition.texts if f"{TEXTS_FOLDER}/{slug}" in doctrees]
    bibliography = doctrees.get(edition.bibliography_doc)
    works = [element for element in bibliography.findall(nodes.Element)
             if any(i.startswith("cite-") for i in element.get("ids", ()))] if bibliography else []
    persons = [p for tree in doctrees.values() for p in tree.findall(nodes.paragraph)
               if any(i.startswith("person-") for i in p["ids"])]
    terms = [item for tree in doctrees.values() for item in tree.findall(nodes.definition_list_item)
             if any(i.startswith("term-") for t in item.findall(nodes.term) for i in t["ids"])]
    root = tei("TEI")
    root.set(XML_LANG, config.language or "en")
    witnesses = []
    group = tei("group")
    for slug in texts:
        doctree = doctrees[f"{TEXTS_FOLDER}/{slug}"]
        entry = edition.text(slug)
        witnesses.append(Witness(slug, entry.title, entry.author if entry.has_author else "",
                                 entry.date_display or entry.date, entry.bibkey,
                                 next((c for c in doctree.findall(nodes.container)
                                       if "headnote" in c["classes"]), None)))
        Writer(doctree, bib_id).blocks(doctree, tei("body", tei("text", group, n=slug)))
    rights = env.titles[RIGHTS_PAGE].astext() if RIGHTS_PAGE in env.titles else ""
    about = Edition(edition.pdf_metadata.get("title") or config.project, edition.editor or config.author,
                    str(build_moment().year), edition.licence,
                    say("tei.rights", page=rights) if rights else say("tei.rights-none"),
                    config.language or "en")
    root.append(header(about, witnesses, works, persons, terms, say, Writer(nodes.document(None, None), bib_id)))
    tei("text", root).append(group)
    _unique_ids(root)
    return root


def mark_pages(texts: etree._Element, map_path: Path) -> None:
    """The printed PDF's page breaks, ``<pb ed="pdf" n="<folio>"/>``, where
    each page begins in the texts (pages of the front and back matter have
    no place here). A map that does not fit the text (a PDF older than the
    text) gives no page breaks, which is said."""
    page_map = pagemap.read(map_path)
    ids = {element.get(XML_ID): element for element in texts.iter() if element.get(XML_ID)}
    places, letters = [], {}
    for page in page_map.pages:
        block = anchored(ids, page.anchor)
        if block is None:
            continue
        try:
            places.append((TEI_PAGES.place(page, block, letters), page.folio))
        except PageMarkError as exc:
            # Built alone, the TEI meets the last PDF's map: said, not an error.
            message = f"tei: no page breaks: {exc} (is {page_map.pdf} older than the text? build it)"
            logger.info(message)
            progress.current().say(message)
            return
    for where, folio in reversed(places):
        insert(where, [tei("pb", None, ed="pdf", n=folio)])


def _unique_ids(root: etree._Element) -> None:
    """An id is unique in a page of the site, not in the book (each text
    has its note at a person's first mention, ``ed-person-…``): a later
    text's id already used is given its text's name first (``<slug>--…``),
    and its links inside that text follow, as the PDF's ids do."""
    seen: set[str] = set()
    for part in root.iter(f"{{{TEI}}}teiHeader", f"{{{TEI}}}text"):
        if part.tag.endswith("text") and part.get("n") is None:
            continue
        renamed: dict[str, str] = {}
        for element in part.iter():
            name = element.get(XML_ID)
            if name is None:
                continue
            if name in seen:
                renamed[name] = f"{part.get('n')}--{name}"
                element.set(XML_ID, renamed[name])
            seen.add(element.get(XML_ID))
        for element in part.iter():
            for attribute in ("target", "ref", "corresp"):
                value = element.get(attribute, "")
                if value.startswith("#") and value[1:] in renamed:
                    element.set(attribute, "#" + renamed[value[1:]])
