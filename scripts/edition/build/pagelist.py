"""The EPUB's page list: the printed PDF's pages marked in the EPUB, so that
a reader of the EPUB can cite the printed page.

Once the EPUB and the PDF are built, each page of the PDF's page map
(:mod:`edition.pagemap`) becomes a marker where that page begins in the
EPUB's text (``epub:type="pagebreak"``, ``role="doc-pagebreak"``, its
folio as its label): in the block the page begins in, before the word the
page begins with (or a word broken over the page). The navigation document
gains a ``page-list`` of them, and the package document says where the
pages come from (``pageBreakSource``) and that the book has them
(``printPageNumbers``, ``pageNavigation``).

A page is placed only where the map's letters are found: a page map older
than the text finds other letters, and then the EPUB is left without a
page list, which is said. A page without text (a blank verso), or one the
EPUB has no place for (the printed contents), is marked with the next page
that has one, so that the list runs in order.

The EPUB itself is rewritten (its folder, from which Sphinx builds the
next EPUB, is not): entries in the same order, with the same times, so the
same sources still give the same bytes.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..pagemap import Page, PageMap
from ..pagemarks import Marking, PageMarkError, anchored, insert

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
EPUB_TYPE = f"{{{OPS}}}type"

# What in an EPUB page is not the text's own words, as the page map counts
# them (edition.compat.pages.NOT_TEXT, and the notes, which the PDF sets
# at the page's foot).
NOT_TEXT_CLASSES = frozenset({"footnote-reference", "para-num", "para-num-source", "fn-bracket",
                              "footnote-list"})
NOT_TEXT_TAGS = frozenset({"aside", "script", "style"})
# Blocks a page may begin at the start of (each may hold a span first).
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "section",
                    "div", "figure", "figcaption", "td", "th", "caption"})


def _not_text(element: etree._Element) -> bool:
    if etree.QName(element).localname in NOT_TEXT_TAGS:
        return True
    classes = set((element.get("class") or "").split())
    return bool(classes & NOT_TEXT_CLASSES) or "noteref" in (element.get(EPUB_TYPE) or "").split()


XHTML_PAGES = Marking(_not_text, BLOCKS)


class PageListError(Exception):
    """The page map does not fit the EPUB (it is older than the text)."""


@dataclass
class PageList:
    """What :func:`add_page_list` did: each folio with the file it was marked in."""

    marked: list[tuple[str, str]] = field(default_factory=list)   # (folio, file)


@dataclass
class _Document:
    name: str                 # its path in the EPUB
    tree: etree._ElementTree
    changed: bool = False


def add_page_list(epub: Path, page_map: PageMap, *, heading: str, source: str) -> PageList:
    """Mark ``page_map``'s pages in ``epub`` and list them (the navigation
    document's list is headed ``heading``; ``source`` names the printed
    edition for ``pageBreakSource``). Raises :class:`PageListError` naming
    the first page not found; the EPUB is then unchanged."""
    with zipfile.ZipFile(epub) as book:
        entries = [(info, book.read(info.filename)) for info in book.infolist()]
    data = {info.filename: content for info, content in entries}
    opf_name = _package_document(data)
    opf = etree.fromstring(data[opf_name])
    base = posixpath.dirname(opf_name)
    manifest = {item.get("id"): item for item in opf.iter(f"{{{OPF}}}item")}
    spine = [posixpath.join(base, manifest[ref.get("idref")].get("href"))
             for ref in opf.iter(f"{{{OPF}}}itemref")]
    nav_name = next(posixpath.join(base, item.get("href")) for item in manifest.values()
                    if "nav" in (item.get("properties") or "").split())
    documents = [_Document(name, etree.ElementTree(etree.fromstring(data[name]))) for name in spine
                 if name != nav_name]
    ids = {}
    for document in documents:
        for element in document.tree.iter():
            if element.get("id"):
                ids.setdefault(element.get("id"), (document, element))
    if any(f"page-{page.folio}" in ids for page in page_map.pages):
        raise PageListError("the EPUB already has page markers")

    result = PageList()
    waiting: list[Page] = []
    last: _Document | None = None
    places: list[tuple[tuple, list[etree._Element]]] = []
    letters: dict[etree._Element, tuple[list, str]] = {}   # each block's letters, counted once
    for page in page_map.pages:
        found = anchored(ids, page.anchor)
        if found is None:
            waiting.append(page)
            continue
        document, block = found
        try:
            where = XHTML_PAGES.place(page, block, letters)
        except PageMarkError as exc:
            raise PageListError(str(exc)) from None
        places.append((where, [_marker(p.folio) for p in (*waiting, page)]))
        document.changed = True
        result.marked += [(p.folio, document.name) for p in (*waiting, page)]
        waiting, last = [], document
    if last is None:
        raise PageListError("no page of the PDF was found in the EPUB")
    # The places were found in the text as it was: marked from the last, so
    # that each text is split after the places still to mark in it.
    for where, markers in reversed(places):
        insert(where, markers)
    if waiting:   # blank pages at the book's end: after its last words
        body = last.tree.getroot().find(f"{{{XHTML}}}body")
        for page in waiting:
            body.append(_marker(page.folio))
            result.marked.append((page.folio, last.name))

    data[nav_name] = _with_page_list(data[nav_name], nav_name, result.marked, heading)
    data[opf_name] = _with_page_metadata(data[opf_name], source)
    for document in documents:
        if document.changed:
            data[document.name] = etree.tostring(document.tree, encoding="utf-8", xml_declaration=True)
    partial = epub.with_name(f".{epub.name}.partial")
    with zipfile.ZipFile(partial, "w") as book:
        for info, _ in entries:
            book.writestr(info, data[info.filename])
    os.replace(partial, epub)
    return result


def _package_document(data: dict[str, bytes]) -> str:
    container = etree.fromstring(data["META-INF/container.xml"])
    return container.find(f".//{{{CONTAINER}}}rootfile").get("full-path")


def _marker(folio: str) -> etree._Element:
    marker = etree.Element(f"{{{XHTML}}}span", nsmap={"epub": OPS})
    marker.set(EPUB_TYPE, "pagebreak")
    marker.set("role", "doc-pagebreak")
    marker.set("id", f"page-{folio}")
    marker.set("title", folio)
    return marker


def _with_page_list(nav: bytes, nav_name: str, marked: list[tuple[str, str]], heading: str) -> bytes:
    """The navigation document with a ``page-list`` after its other lists."""
    tree = etree.fromstring(nav)
    body = tree.find(f"{{{XHTML}}}body")
    page_list = etree.SubElement(body, f"{{{XHTML}}}nav", nsmap={"epub": OPS})
    page_list.set(EPUB_TYPE, "page-list")
    page_list.set("id", "page-list")
    page_list.set("aria-labelledby", "page-list-title")
    page_list.set("hidden", "hidden")
    title = etree.SubElement(page_list, f"{{{XHTML}}}h2", id="page-list-title")
    title.text = heading
    items = etree.SubElement(page_list, f"{{{XHTML}}}ol")
    here = posixpath.dirname(nav_name)
    for folio, name in marked:
        link = etree.SubElement(etree.SubElement(items, f"{{{XHTML}}}li"), f"{{{XHTML}}}a",
                                href=f"{posixpath.relpath(name, here or '.')}#page-{folio}")
        link.text = folio
    return etree.tostring(tree.getroottree(), encoding="utf-8", xml_declaration=True)


def _with_page_metadata(opf: bytes, source: str) -> bytes:
    """The package document saying where its pages come from and that it has them."""
    tree = etree.fromstring(opf)
    metadata = tree.find(f"{{{OPF}}}metadata")
    indent = metadata[-1].tail if len(metadata) else None
    for name, value in (("schema:accessibilityFeature", "printPageNumbers"),
                        ("schema:accessibilityFeature", "pageNavigation"),
                        ("pageBreakSource", source)):
        metadata[-1].tail = indent
        meta = etree.SubElement(metadata, f"{{{OPF}}}meta", property=name)
        meta.text = value
    metadata[-1].tail = metadata[-2].tail[:-2] if indent and len(indent) > 2 else indent
    return etree.tostring(tree.getroottree(), encoding="utf-8", xml_declaration=True)



def mark_printed_pages(epub: Path, map_path: Path, *, heading: str, source: str) -> str:
    """The EPUB's page list from the PDF's page map at ``map_path``: what
    was done, in a line (the EPUB is left without one, and the line says
    why, when there is no page map or it does not fit)."""
    from .. import pagemap

    if not map_path.is_file():
        return f"epub: no page list: no page map of a PDF ({map_path.name}); build the PDF"
    page_map = pagemap.read(map_path)
    try:
        done = add_page_list(epub, page_map, heading=heading, source=source)
    except PageListError as exc:
        return f"epub: no page list: {exc} (is {page_map.pdf} older than the text? build it)"
    return f"epub: {len(done.marked)} printed pages of {page_map.pdf} marked"
