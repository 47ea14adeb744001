"""In-page contents: a long page (one of :data:`MIN_SECTIONS` sections or
more) lists its sections and their subsections, linked, in the sidebar on
a wide screen and in a folded list above its text on a narrower one
(``pagecontents.html`` of the theme)."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from sphinx.application import Sphinx

# A page with fewer sections is read through without a list of them.
MIN_SECTIONS = 3
# The page's sections (1) and theirs (2): deeper ones would make the list a second text.
DEPTH = 2


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    depth: int


def add_page_contents(app: Sphinx, pagename: str, templatename: str, context: dict,
                      doctree: nodes.document | None) -> None:
    """``html-page-context``: ``edition_page_contents``, the page's sections
    (none for a short page, or one that is not a document's)."""
    found = sections(doctree) if doctree is not None and app.builder.name == "html" else []
    context["edition_page_contents"] = found if len(found) >= MIN_SECTIONS else []


def sections(doctree: nodes.document) -> list[Section]:
    """The sections under the page's own, to :data:`DEPTH`, in order."""
    page = doctree.next_node(nodes.section)
    found: list[Section] = []

    def visit(section: nodes.section, depth: int) -> None:
        for child in section.children:
            if isinstance(child, nodes.section) and child["ids"]:
                title = child.next_node(nodes.title)
                found.append(Section(title.astext() if title else child["ids"][0], child["ids"][0], depth))
                if depth < DEPTH:
                    visit(child, depth + 1)

    if page is not None:
        visit(page, 1)
    return found
