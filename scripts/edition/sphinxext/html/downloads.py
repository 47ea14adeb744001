"""The site's downloads: each text's source as received (plain text), which
the site always ships (``downloads/sources/``), and the PDF, the EPUB and
the TEI built with it (``edition_html_downloads``; :mod:`edition.build.downloads`
puts them in ``downloads/`` once every format is built).

Each text's page says where to download its source and the TEI (a row of
its headnote); the home page offers the whole edition in each format and
each source (:mod:`.home`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from ...project import SEEDS_FOLDER, SITE_DOWNLOADS
from ..config import edition_config, words
from .translator import text_entry

SOURCES = "sources"


def offered(app: Sphinx) -> list[tuple[str, str]]:
    """(format, file) of each edition built with the site, in its downloads."""
    return [tuple(offer.partition(":")[::2]) for offer in edition_config(app.env).html_downloads]


def source_uri(seed_name: str, depth: int = 0) -> str:
    """A text's source, from a page ``depth`` folders below the site's root."""
    return "../" * depth + f"{SITE_DOWNLOADS}/{SOURCES}/{seed_name}"


def download_uri(name: str, depth: int = 0) -> str:
    return "../" * depth + f"{SITE_DOWNLOADS}/{name}"


def seed_path(app: Sphinx, seed_name: str) -> Path | None:
    """A text's source in the project's ``seeds/`` (beside ``book/``), if it is there."""
    path = Path(app.srcdir).parent / SEEDS_FOLDER / seed_name
    return path if path.is_file() else None


def link_text_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, a text's page on the site: a row of its headnote
    that offers its source as received and the edition as TEI."""
    entry = text_entry(app.env, docname)
    if app.builder.name != "html" or entry is None:
        return
    headnote = next((c for c in doctree.findall(nodes.container) if "headnote" in c["classes"]), None)
    if headnote is None:
        return
    say = words(app.env)
    depth = docname.count("/")
    row = nodes.paragraph("", "", classes=["headnote-downloads"])
    row += nodes.strong(say.label("site.download"), say.label("site.download"))
    links = []
    if seed_path(app, entry.seed_name) is not None:
        links.append(nodes.reference("", say("site.source-text"), refuri=source_uri(entry.seed_name, depth),
                                     classes=["download", "download-source"]))
    for fmt, name in offered(app):
        if fmt == "tei":
            links.append(nodes.reference("", say("site.tei"), refuri=download_uri(name, depth) + f"#text-{entry.slug}",
                                         classes=["download", "download-tei"]))
    if not links:
        return
    for index, link in enumerate(links):
        row += nodes.Text(" " if index == 0 else " · ")
        row += link
    rows = [c for c in headnote.children if isinstance(c, nodes.paragraph)]
    # After the row on the source of the text, the fourth.
    headnote.insert(headnote.index(rows[3]) + 1 if len(rows) > 3 else len(headnote), row)


def ship_sources(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: each text's source, byte for byte, in the site."""
    if exception is not None or app.builder.name != "html":
        return
    folder = Path(app.outdir) / SITE_DOWNLOADS / SOURCES
    for slug in edition_config(app.env).texts:
        entry = edition_config(app.env).text(slug)
        source = seed_path(app, entry.seed_name)
        if source is not None:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / entry.seed_name)
