"""Verify, reading HTML and EPUB pages: a chapter's words and its source notes' words.

**Actual**, per format: the words of the chapter's main content without the
edition's own additions — the headnote, note calls, paragraph numbers,
permalinks, citation widgets, the textual notes, editorial marks (``[sic]``, ``[image not
preserved]``, an editor's bracketed comment in a source note) and the notes'
bodies (the source's notes are read from their own note, without label and
voice).
"""

from __future__ import annotations

import re

from .expected import words

# The edition's additions inside a chapter's HTML/EPUB main content.  None
# of these can come from a seed (seed text is escaped), so taking them out
# cannot hide a loss: seed words inside one of them would be reported lost.
HTML_ADDITIONS = ", ".join([
    '[role="doc-footnote"]', "aside.footnote-list", "aside.footnote",   # notes (foot, side)
    "hr.footnotes",
    '[role="doc-noteref"]', ".footnote-reference",                      # note calls
    "div.headnote",                                                     # the catalogue's headnote
    "section.textual-notes",                                            # the textual notes
    ".para-num", ".headerlink", "details.para-cite",                    # numbers, permalinks, citing
    ".editorial",                                                       # [sic], [image not preserved]
    "script", "style", "template", "noscript", "button", "nav",          # page furniture
])
NOTE_PARTS = ", ".join(["span.label", ".sidenote-mark", ".note-voice", ".editorial",
                        ".footnote-reference", '[role="doc-noteref"]', "button"])
BLOCK_TAGS = ["p", "div", "section", "aside", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
              "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "pre", "br", "hr",
              "figure", "figcaption", "header", "footer", "nav", "main", "article",
              "details", "summary"]
SOURCE_NOTE_ID_RE = re.compile(r"^(?:au|tr)-(\d+)$")


def html_streams(markup: str | bytes) -> tuple[list[str], dict[str, list[str]]] | None:
    """The words of a chapter page's main content and of each of the source's
    notes (number → words), without the edition's additions; None if the page
    has no main content."""
    import warnings

    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # XHTML read with the HTML parser, on purpose
        soup = BeautifulSoup(markup, "lxml")
    main = soup.find(attrs={"role": "main"})
    if main is None:
        return None
    notes: dict[str, list[str]] = {}
    for aside in main.select('[role="doc-footnote"], aside.footnote'):
        number = next((m.group(1) for i in (aside.get("id") or "").split()
                       if (m := SOURCE_NOTE_ID_RE.match(i))), None)
        if number is None:
            continue
        for part in aside.select(NOTE_PARTS):
            part.decompose()
        notes[number] = _text_words(aside)
    for tag in main.select(HTML_ADDITIONS):
        tag.decompose()
    return _text_words(main), notes


def _text_words(tag) -> list[str]:
    # Block elements separate words; inline elements do not.
    for block in tag.find_all(BLOCK_TAGS):
        block.insert_before(" ")
        block.append(" ")
    return words(tag.get_text())

