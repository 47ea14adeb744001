"""Each work's author–date citation: the names and the year of "(Knight 1993)".

A citation must lead to one entry of the reference list, so the citations
are made for all the list's entries at once (Chicago 15.19–15.21): authors
who share a surname are given their initials ("L. P. Beriia 1953"), and
works of one author and year are lettered in the list's order ("1953a",
"1953b"), in the citation and in the entry alike.

A work without author or editor is cited by what begins its entry: a
newspaper or magazine article by the periodical (*Time* 1953, Chicago
15.47), anything else by its short title, in the title's own dress (italic
for a book, quoted for an article, a chapter or a web page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pybtex.database import Entry
from pybtex.richtext import Tag, Text

from . import fields, names

# Works whose titles are italic (Chicago 8.171, 14.94); the others' are quoted.
ITALIC_TITLES = frozenset({
    "book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings",
    "reference", "mvreference", "manual", "booklet", "report", "techreport", "periodical",
})

# biblatex's entrysubtype of an article in a newspaper or a magazine
# (``entrysubtype = {newspaper}``): it is dated, and without an author
# the periodical stands in the author's place.
NEWS_SUBTYPES = frozenset({"newspaper", "magazine"})


@dataclass(frozen=True)
class Citation:
    """The author–date citation of one work."""

    author: Text          # "Knight", "Gorlizki and Khlevniuk", *Time*, “Genuine Desire”
    full_author: Text     # every author, where ``author`` says "et al."
    year: str             # "1993", "1953a", "n.d."

    @property
    def label(self) -> str:
        """The citation as plain text: a unique name for the entry."""
        return f"{self.author.render_as('text')} {self.year}"


def is_news(entry: Entry) -> bool:
    return entry.type.lower() == "article" and entry.fields.get("entrysubtype", "").lower() in NEWS_SUBTYPES


def is_descriptive(title: str) -> bool:
    """A title the editor supplied in square brackets (Chicago 14.221): set
    in roman, neither italic nor quoted."""
    title = title.strip()
    return title.startswith("[") and title.endswith("]")


def dressed_title(entry: Entry, title: Text, raw: str) -> Text:
    """A title as it is printed: italic, quoted, or in brackets as supplied.
    The caller closes a quoted title's sentence inside the quotation marks."""
    if is_descriptive(raw):
        return title
    if entry.type.lower() in ITALIC_TITLES:
        return Text(Tag("em", title))
    return Text("“", title, "”")


def periodical(entry: Entry) -> Text:
    return Text(Tag("em", Text.from_latex(entry.fields.get("journal") or entry.fields.get("journaltitle", ""))))


def _substitute(entry: Entry) -> Text:
    """What is cited in the author's place of a work without one."""
    if is_news(entry):
        return periodical(entry)
    raw = entry.fields.get("shorttitle") or entry.fields.get("title", "")
    return dressed_title(entry, Text.from_latex(raw), raw)


def _shared_surnames(entries: Iterable[Entry]) -> frozenset[str]:
    """The surnames that two different cited persons have (told apart by
    their initials: "Vladimir P. Naumov" and "V. P. Naumov" are one)."""
    given: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for person in names.author_persons(entry)[1]:
            given[names.surname_key(person)].add(names.initials(person))
    return frozenset(surname for surname, forms in given.items() if len(forms) > 1)


def citations(entries: Iterable[Entry]) -> dict[str, Citation]:
    """The citation of each entry (by key), the entries given in the
    reference list's order (the order their letters 1953a, 1953b follow)."""
    entries = list(entries)
    shared = _shared_surnames(entries)
    plain: dict[str, tuple[Text, Text, str]] = {}
    for entry in entries:
        _, people = names.author_persons(entry)
        if people:
            author = names.cited_names(people, full=False, with_initials=shared)
            full = names.cited_names(people, full=True, with_initials=shared)
        else:
            author = full = _substitute(entry)
        plain[entry.key] = (author, full, fields.year(entry))
    # Works that would be cited alike are lettered a, b… (Chicago 15.19).
    alike: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, (author, _, year) in plain.items():
        alike[(author.render_as("text"), year)].append(key)
    lettered: dict[str, str] = {}
    for keys in alike.values():
        if len(keys) > 1:
            lettered.update({key: chr(ord("a") + index) for index, key in enumerate(keys)})
    return {key: Citation(author, full, year + lettered.get(key, ""))
            for key, (author, full, year) in plain.items()}
