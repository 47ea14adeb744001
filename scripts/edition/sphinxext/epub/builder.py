"""EPUB 3: the edition's EPUB builder.

Takes the resolved doctrees of the book and gives ``<epub_basename>.epub``
(``-diplomatic`` added for the diplomatic edition), an EPUB 3 that epubcheck
passes without a warning and that reading systems (Apple Books, Kobo,
Thorium, Calibre, Kindle via Send-to-Kindle) read as a book:

- notes as EPUB 3 pop-up notes (:mod:`.translator`);
- no JavaScript: nothing is referenced, nothing is shipped;
- a cover drawn by the build from the title (:mod:`.cover`), first in the
  spine, its image marked ``cover-image`` in the manifest;
- a navigation document with landmarks (cover, toc, bodymatter,
  bibliography, index) and a package document with the accessibility
  metadata that is true of the book, a stable identifier and
  ``dcterms:modified`` from the build clock (templates in ``templates/``);
- the book face embedded as a subset of the characters the book uses plus
  whole blocks a reader's notes or a new quotation may need
  (:func:`edition.fonts.subset.subset_face`);
- the same bytes from the same sources: zip entries in a fixed order with a
  fixed time (:meth:`EpubBuilder.build_epub`).
"""

from __future__ import annotations

import html
import posixpath
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset
from sphinx.util.matching import DOTFILES, Matcher

from ... import progress
from ...clock import build_epoch
from ...fonts.embed import codepoints, cut_faces
from ...fonts.faces import BookFace, FontMissing, book_face
from ...fonts.subset import SubsetError
from ...project import SITE_DOWNLOADS
from ..config import UsesEditionConfig, edition_config, words
from ..warnings import Warn, warn
from .cover import EpubAssetError, cover_lines, draw_cover

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"  # content.opf, nav.xhtml, toc.ncx with the additions
THEME = HERE / "theme"  # Sphinx's epub theme with the edition's cover page

EPUB_NS = "http://www.idpf.org/2007/ops"

logger = logging.getLogger(__name__)

# -- The book face ----------------------------------------------------------------------

FONT_CSS = "edition-epub-fonts.css"
FONT_FOLDER = "fonts"  # under _static/


# -- The theme's HTML-only assets -----------------------------------------------------------

# Sphinx's basic theme ships the HTML site's scripts, its stylesheet and that
# stylesheet's images; the EPUB's pages link epub.css (which names file.png).
HTML_ONLY_ASSETS = frozenset({"basic.css", "minus.png", "plus.png"})

WCAG_CLAIM = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _html_only(path: str) -> bool:
    """Whether a static file is for the HTML site only (scripts above all)."""
    name = posixpath.basename(path)
    for suffix in (".jinja", "_t"):
        name = name.removesuffix(suffix)
    return name.endswith(".js") or name in HTML_ONLY_ASSETS or DOTFILES(path)


# -- The builder --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Landmark:
    type: str  # an epub:type of the EPUB 3 Structural Semantics Vocabulary
    href: str
    title: str


LANDMARK_TITLES = {"cover": "cover", "titlepage": "title-page"}  # words' keys; the others: their page's title


class EpubBuilder(UsesEditionConfig, Epub3Builder):
    """Sphinx's EPUB 3 builder with the edition's package and navigation
    documents (``epub_templates/``), cover, embedded face, no scripts, and a
    byte-reproducible container."""

    template_dir = TEMPLATES  # type: ignore[assignment]

    def init(self) -> None:
        super().init()
        # One moment for dcterms:modified and the zip entries.
        self.modified = build_epoch()

    # The book's identity -------------------------------------------------------------------

    @property
    def identifier(self) -> str:
        """The critical and the diplomatic edition are two publications: each
        has its own identifier (``edition_epub_identifiers``)."""
        return self.edition.epub_identifiers.get(self.edition.reading) or self.config.epub_identifier

    @property
    def language(self) -> str:
        return self.config.epub_language

    # No scripts -----------------------------------------------------------------------------

    def init_js_files(self) -> None:
        # Sphinx's pages link documentation_options.js, doctools.js…; extensions
        # may add more.  The EPUB has none: no page links a script.
        self._js_files = []

    def copy_theme_static_files(self, context: dict[str, Any]) -> None:
        if self.theme:
            for entry in reversed(self.theme.get_theme_dirs()):
                copy_asset(Path(entry, "static"), self._static_dir, excluded=_html_only,
                           context=context, renderer=self.templates, force=True)

    def copy_html_static_files(self, context: dict[str, Any]) -> None:
        project_excluded = Matcher([*self.config.exclude_patterns, "**/.*"])

        def excluded(path: str) -> bool:
            return project_excluded(path) or _html_only(path)

        for entry in self.config.html_static_path:
            copy_asset(self.confdir / entry, self._static_dir, excluded=excluded,
                       context=context, renderer=self.templates, force=True)

    # Pages --------------------------------------------------------------------------------

    def prepare_writing(self, docnames) -> None:
        super().prepare_writing(docnames)
        lang = html.escape(self.language)
        # Every page says its language (WCAG 3.1.1), as XHTML and HTML read it.
        self.globalcontext["html_tag"] = (
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="{EPUB_NS}" '
            f'lang="{lang}" xml:lang="{lang}">')
        self.globalcontext["cover_alt"] = self.cover_alt()

    def cover_alt(self) -> str:
        """The cover's words, as a sentence a screen reader reads well."""
        lines = [line.replace(" · ", ", ").rstrip(".")
                 for line in cover_lines(self.edition.epub_cover)]
        cover = words(self.env)("cover")
        return f"{words(self.env)('label', label=cover)} " + ". ".join(lines) + "." if lines else cover

    # The finish: cover, face, package, container ----------------------------------------

    def handle_finish(self) -> None:
        # The pages are written: draw the cover and cut the face to the
        # characters they use before the manifest lists the files.
        self.remove_stale_output()
        if self.edition.epub_cover and not self.config.epub_cover:
            warn(Warn.EPUB_COVER, "edition_epub_cover is set but epub_cover is not: no cover is drawn "
                 '(set epub_cover = ("_static/cover.png", "epub-cover.html"))')
        if self.config.epub_cover and self.edition.epub_cover:
            image = self.outdir / self.config.epub_cover[0]
            image.parent.mkdir(parents=True, exist_ok=True)
            draw_cover(image, cover_lines(self.edition.epub_cover), self.book_face)
        if self.edition.epub_embed_font:
            with progress.current().stage("epub: embedding the book face (subset)"):
                self.embed_book_face()
        super().handle_finish()

    def remove_stale_output(self) -> None:
        """An incremental build starts from a copy of the last output
        (:func:`edition.build.staging.build_format`); the manifest lists every file of
        the folder.  Pages of documents that are gone, the cover page (written
        after the manifest is made) and a face no longer embedded must not
        reach it: the EPUB is then the same as a build from nothing."""
        pages = {doc + self.out_suffix for doc in self.env.found_docs}
        pages |= {index[0] + self.out_suffix for index in self.domain_indices}
        pages |= {page + self.out_suffix for page in self.config.html_additional_pages}
        if self.use_index:
            pages.add("genindex" + self.out_suffix)
        for page in self.outdir.rglob("*" + self.out_suffix):
            if page.relative_to(self.outdir).as_posix() not in pages:
                page.unlink()
        if not self.edition.epub_embed_font:
            (self._static_dir / FONT_CSS).unlink(missing_ok=True)
            for face in self.book_face.faces:
                (self._static_dir / FONT_FOLDER / face.file).unlink(missing_ok=True)

    @property
    def book_face(self) -> BookFace:
        return book_face(self.edition.book_face, Path(self.srcdir))

    def embed_book_face(self) -> None:
        points = codepoints(sorted(self.outdir.rglob("*.xhtml")))
        book = self.book_face
        try:
            rules = cut_faces(book, points, self._static_dir / FONT_FOLDER,
                              Path(self.doctreedir) / "epub-faces", FONT_FOLDER)
        except FontMissing as exc:
            raise EpubAssetError(f"{exc}, or set edition_epub_embed_font = False") from None
        except SubsetError as exc:
            raise EpubAssetError(f"the book face could not be embedded: {exc}") from exc
        (self._static_dir / FONT_CSS).write_text(
            "/* The book face, embedded (generated by the EPUB builder: a subset of "
            f"{book.family}{', ' + book.credit if book.credit else ''};\n   see the name table of each file). */\n"
            + "\n".join(rules) + "\n", encoding="utf-8")

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        metadata["id"] = html.escape(self.identifier)
        metadata["date"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.modified))
        metadata["contributors"] = [html.escape(a) for a in self.edition.epub_authors]
        relation = self.edition.epub_relation
        if relation and self.config.html_baseurl:   # where the site offers it
            relation = f"{self.config.html_baseurl.rstrip('/')}/{SITE_DOWNLOADS}/{relation}"
        metadata["relation"] = html.escape(relation)
        metadata["a11y"] = {key: (html.escape(value) if isinstance(value, str) else value)
                            for key, value in self.accessibility().items()}
        return metadata

    def accessibility(self) -> dict[str, Any]:
        """The schema.org accessibility metadata, from what the book is."""
        has_cover = bool(self.config.epub_cover)
        images = bool(self.images)
        if images and (missing := self.images_without_text_alternative()):
            warn(Warn.EPUB_ACCESSIBILITY, "image without a text alternative (alt) in %s: the EPUB's "
                 "accessibility claim (%s) would not be true", ", ".join(missing), WCAG_CLAIM)
        features = ["structuralNavigation", "tableOfContents", "readingOrder", "ARIA",
                    "displayTransformability"]
        if has_cover or images:
            features.append("alternativeText")
        if any(landmark.type == "index" for landmark in self.landmarks()):
            features.append("index")
        return {
            "access_modes": ["textual"] + (["visual"] if has_cover or images else []),
            "access_modes_sufficient": ["textual"],
            "features": features,
            "hazards": ["none"],
            "summary": self.edition.epub_accessibility_summary or " ".join(
                [words(self.env)("epub.summary")] + ([words(self.env)("epub.summary-cover")] if has_cover else [])),
            "conforms_to": WCAG_CLAIM,
            "certified_by": self.config.epub_publisher,
        }

    def images_without_text_alternative(self) -> list[str]:
        docnames = sorted({doc for docs, _ in self.env.images.values() for doc in docs})
        return [doc for doc in docnames
                if any(not image.get("alt") for image in
                       self.env.get_doctree(doc).findall(nodes.image))]

    def landmarks(self) -> list[Landmark]:
        """Cover, the title page (the root page), and the pages
        ``edition_epub_landmarks`` names, as far as the book has them: a
        docname, or a folder ("texts/") for the first of its pages in
        reading order. The contents are the navigation document's alone (a
        reading system shows them), as in a printed book's title page that
        lists nothing."""
        order = [node["refuri"] for node in self.refnodes if "#" not in node["refuri"]]
        found = []
        if self.config.epub_cover and self.config.epub_cover[1]:
            found.append(Landmark("cover", self.coverpage_name, words(self.env)(LANDMARK_TITLES["cover"])))
        if order:
            found.append(Landmark("titlepage", order[0], words(self.env)(LANDMARK_TITLES["titlepage"])))
        for kind, target in self.edition.epub_landmarks.items():
            if target.endswith("/"):
                href = next((uri for uri in order if uri.startswith(target)), None)
            else:
                href = target + self.out_suffix if target + self.out_suffix in order else None
            if href is not None:
                title = self.env.titles[href.removesuffix(self.out_suffix)].astext()
                found.append(Landmark(kind, href, title))
        return found

    def navigation_doc_metadata(self, navlist: list) -> dict[str, Any]:
        metadata = super().navigation_doc_metadata(navlist)
        metadata["landmarks"] = [Landmark(lm.type, html.escape(lm.href), html.escape(lm.title))
                                 for lm in self.landmarks()]
        metadata["landmarks_locale"] = words(self.env)("landmarks")
        metadata["toc_locale"] = html.escape(words(self.env)("contents"))
        return metadata

    def toc_metadata(self, level: int, navpoints: list) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        # The NCX's dtb:uid is the book's identifier, as in the OPF (Sphinx
        # writes the identifier's XML id there: epubcheck NCX-001).
        metadata["uid"] = html.escape(self.identifier)
        metadata["lang"] = html.escape(self.language)
        return metadata

    def build_epub(self) -> None:
        """Write the container: ``mimetype`` first and stored, then every
        other file in sorted order, each with the same time (the sources'
        date, clamped to the zip format's 1980–2107) and the same
        permissions, so that the same sources give the same bytes."""
        outname = self.edition.basename(self.config.epub_basename) + ".epub"
        logger.info(__("writing %s file..."), outname)
        names = sorted({"META-INF/container.xml", "content.opf", "toc.ncx", *self.files})
        stamp = zip_time(self.modified)
        with zipfile.ZipFile(self.outdir / outname, "w") as epub:
            _add(epub, self.outdir, "mimetype", stamp, zipfile.ZIP_STORED)
            for name in names:
                _add(epub, self.outdir, name, stamp, zipfile.ZIP_DEFLATED)


def zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    low = 315532800  # 1980-01-01T00:00:00Z, the zip format's first moment
    high = 4354819198  # 2107-12-31T23:59:58Z, its last
    return time.gmtime(min(max(epoch, low), high))[:6]


def _add(epub: zipfile.ZipFile, root: Path, name: str, stamp: tuple, method: int) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = method
    info.create_system = 3  # Unix, whatever builds it
    info.external_attr = 0o100644 << 16  # a plain file, rw-r--r--
    epub.writestr(info, (root / name).read_bytes(), compresslevel=9)


# -- Registered by the extension's setup --------------------------------------------------------

def link_book_face(app: Sphinx) -> None:
    """builder-inited: the EPUB's pages link the embedded face's stylesheet."""
    if app.builder.name == "epub" and edition_config(app.env).epub_embed_font:
        app.add_css_file(FONT_CSS)
