"""Citation metadata of the hosted HTML: Highwire Press ``citation_*`` tags
(read by Zotero and Google Scholar) in the head of each text's page, from
the text's catalogue entry: the text as a section of the edition."""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .translator import page_url, text_entry


def citation_metatags(app: Sphinx, pagename: str) -> list[tuple[str, str]]:
    entry = text_entry(app.env, pagename)
    if entry is None:
        return []
    config = app.config
    tags = [("citation_title", entry.title)]
    if entry.has_author:
        tags.append(("citation_author", entry.author))
    if entry.date:
        tags.append(("citation_publication_date", entry.date.replace("-", "/")))
    tags.append(("citation_book_title", config.html_title or config.project))
    tags.append(("citation_publisher", config.author))
    if config.language:
        tags.append(("citation_language", config.language))
    if config.html_baseurl:
        url = page_url(config, pagename)
        tags += [("citation_public_url", url), ("citation_fulltext_html_url", url)]
    if entry.publication:
        tags.append(("description", f"{entry.title}: {_plain(entry.publication)}"))
    return tags


def _plain(myst: str) -> str:
    """The catalogue's inline MyST as the words it prints, for a tag: a role
    as its text, no emphasis asterisks, no escaping backslashes."""
    text = re.sub(r"\{[^{}`]+\}`([^`<]*?)\s*(?:<[^`]*>)?`", r"\1", myst)
    text = re.sub(r"(?<!\\)\*", "", text)
    return re.sub(r"\\(.)", r"\1", text)


def add_citation_metadata(app: Sphinx, pagename: str, templatename: str,
                          context: dict[str, Any], doctree: nodes.document | None) -> None:
    if app.builder.name != "html":
        return
    tags = citation_metatags(app, pagename)
    described = app.config.epub_description if app.config.epub_description != "unknown" else ""
    if described and not any(name == "description" for name, _ in tags):
        tags.append(("description", described))   # a link's preview: the book's own words
    if tags:
        context["metatags"] = context.get("metatags", "") + "".join(
            f'\n    <meta name="{html.escape(name, quote=True)}"'
            f' content="{html.escape(value, quote=True)}" />'
            for name, value in tags)
