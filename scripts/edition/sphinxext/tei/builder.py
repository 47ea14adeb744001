"""The TEI builder: the edition as one TEI P5 document, ``<basename>.xml``.

One ``TEI``: its header (:mod:`.header`) describes the edition, each
text's witness, the principles, the registers and the works cited; its
``text`` is a ``group`` of one ``text`` per source text, in the order of
the book (:mod:`.writer`). The reading the TEI's text gives is the
critical one, with the source's at every change (``choice``), so the
diplomatic edition has no TEI of its own.

The printed PDF's page breaks (``<pb ed="pdf">``) are added, and the whole
validated against TEI P5 (tei_all), once the PDF is built
(:mod:`edition.build.tei`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from docutils import nodes
from lxml import etree
from sphinx.builders import Builder
from sphinx.locale import __

from ... import pagemap
from ...clock import build_moment
from ...pagemarks import Marking, PageMarkError, insert
from ...project import RIGHTS_PAGE, TEXTS_FOLDER
from ...schemas import ValidatorMissing, validate_tei
from ..config import UsesEditionConfig, words
from ..warnings import Warn, warn
from .header import Edition, Witness, bib_id, header
from .writer import TEI as TEI_NS
from .writer import XML_ID, Writer, tei

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# The TEI's text as the printed page counts it: not its notes (the PDF sets
# them at the page's foot), nor the source's readings beside the edition's,
# nor omitted text.
NOT_PRINTED = frozenset({"note", "sic", "orig", "desc"})
TEI_PAGES = Marking(lambda e: etree.QName(e).localname in NOT_PRINTED
                    and not (etree.QName(e).localname == "sic" and e.getparent().tag != f"{{{TEI_NS}}}choice"),
                    frozenset({"p", "head", "ab", "item", "quote", "div", "byline"}))


def tei_name(basename: str) -> str:
    """The TEI's file name for the book's base name (the PDF's)."""
    return f"{basename}.xml"


class TeiBuilder(UsesEditionConfig, Builder):
    name = "tei"
    format = "tei"
    epilog = __("The TEI is in %(outdir)s.")
    allow_parallel = False

    def init(self) -> None:
        self.doctrees: dict[str, nodes.document] = {}

    def get_outdated_docs(self) -> Iterable[str]:
        return self.env.found_docs   # one document of the whole book: always written whole

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""   # one document: every reference is to an id in it

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.doctrees[docname] = doctree

    def finish(self) -> None:
        edition = self.edition
        texts = [slug for slug in edition.texts if f"{TEXTS_FOLDER}/{slug}" in self.doctrees]
        works = [element for element in self._doctree(edition.bibliography_doc).findall(nodes.Element)
                 if any(i.startswith("cite-") for i in element.get("ids", ()))] \
            if edition.bibliography_doc in self.doctrees else []
        persons = [p for tree in self.doctrees.values() for p in tree.findall(nodes.paragraph)
                   if any(i.startswith("person-") for i in p["ids"])]
        terms = [item for tree in self.doctrees.values() for item in tree.findall(nodes.definition_list_item)
                 if any(i.startswith("term-") for t in item.findall(nodes.term) for i in t["ids"])]
        say = words(self.env)
        root = tei("TEI")
        root.set(XML_LANG, self.config.language or "en")
        witnesses = []
        group = tei("group")
        for slug in texts:
            doctree = self.doctrees[f"{TEXTS_FOLDER}/{slug}"]
            entry = edition.text(slug)
            witnesses.append(Witness(slug, entry.title, entry.author if entry.has_author else "",
                                     entry.date_display or entry.date, entry.bibkey,
                                     next((c for c in doctree.findall(nodes.container)
                                           if "headnote" in c["classes"]), None)))
            text = tei("text", group, n=slug)
            Writer(doctree, bib_id).blocks(doctree, tei("body", text))
        rights = self.env.titles[RIGHTS_PAGE].astext() if RIGHTS_PAGE in self.env.titles else ""
        about = Edition(edition.pdf_metadata.get("title") or self.config.project, edition.editor or self.config.author,
                        str(build_moment().year), edition.licence,
                        say("tei.rights", page=rights) if rights else say("tei.rights-none"),
                        self.config.language or "en")
        root.append(header(about, witnesses, works, persons, terms, say, Writer(nodes.document(None, None), bib_id)))
        body = tei("text", root)
        body.append(group)
        out = Path(self.outdir) / tei_name(edition.basename(edition.pdf_basename))
        _unique_ids(root)
        if edition.tei_page_map:
            self._mark_pages(group, Path(edition.tei_page_map))
        etree.cleanup_namespaces(root)
        out.write_bytes(etree.tostring(etree.ElementTree(root), encoding="utf-8", xml_declaration=True))
        try:
            problems = validate_tei(out)
        except ValidatorMissing as exc:
            problems = [str(exc)]
        if problems:
            # A warning, which fails the build (-W): the last good TEI stays.
            warn(Warn.TEI_INVALID, __("the TEI is not valid TEI P5 (tei_all): %s"),
                 "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""))

    def _mark_pages(self, texts: etree._Element, map_path: Path) -> None:
        """The printed PDF's page breaks, ``<pb ed="pdf" n="<folio>"/>``, where
        each page begins in the texts (pages of the front and back matter
        have no place here)."""
        page_map = pagemap.read(map_path)
        ids = {element.get(XML_ID): element for element in texts.iter() if element.get(XML_ID)}
        places, letters = [], {}
        for page in page_map.pages:
            block = ids.get(page.anchor) if page.anchor else None
            if block is None and page.anchor:
                block = ids.get(page.anchor.rpartition("--")[2])
            if block is None:
                continue
            try:
                places.append((TEI_PAGES.place(page, block, letters), page.folio))
            except PageMarkError as exc:
                warn(Warn.TEI_PAGES, __("the TEI has no page breaks: %s (is %s older than the text?)"),
                     exc, page_map.pdf)
                return
        for where, folio in reversed(places):
            insert(where, [tei("pb", None, ed="pdf", n=folio)])

    def _doctree(self, docname: str) -> nodes.document:
        return self.doctrees[docname]


def _unique_ids(root: etree._Element) -> None:
    """An id is unique in a page of the site, not in the book (each text
    has its note at a person's first mention, ``ed-person-…``): a later
    text's id already used is given its text's name first (``<slug>--…``),
    and its links inside that text follow, as the PDF's ids do."""
    seen: set[str] = set()
    for part in root.iter(f"{{{TEI_NS}}}teiHeader", f"{{{TEI_NS}}}text"):
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
