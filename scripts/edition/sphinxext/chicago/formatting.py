"""The reference list's entries: a Pybtex formatting style (Chicago 15.9–15.54).

    Knight, Amy. 1993. *Beria: Stalin's First Lieutenant*. Princeton, NJ: Princeton University Press.
    Naumov, V. P., and Iu. Sigachev, comps. 1999. *Lavrentii Beriia. 1953…* [Lavrentii Beria…].
        General editor, A. N. Iakovlev. Rossiia. XX vek. Dokumenty. Moscow: Mezhdunarodnyi fond “Demokratiia.”
    Kramer, Mark. 1999. “The Early Post-Stalin Succession Struggle….” *Journal of Cold War Studies* 1 (1): 3–55.
    Beriia, Lavrentii Pavlovich. 1953. [Speech at the funeral meeting…]. *Pravda*, 10 March 1953.
    *Time*. 1953. “The Man in Charge.” 17 August 1953.
    “Transcript of Conversation….” 1953. Wilson Center Digital Archive…. https://….

Titles keep the capitalisation refs.bib gives them. Each element is a
sentence closed by a period, inside a closing quotation mark (Chicago 6.9).
A required field that is missing (a title, a periodical) is Pybtex's
``FieldIsMissing``, which sphinxcontrib-bibtex reports as its typed warning
``bibtex.missing_field``; anything else missing is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pybtex.database import Entry
from pybtex.richtext import HRef, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, node
from pybtex.textutils import is_terminated

from . import citation as cited
from . import fields, names
from .citation import Citation
from .sorting import SortingStyle


class CitedEntry(FormattedEntry):
    """A reference-list entry that knows its author–date citation, for the
    referencing style (:mod:`.referencing`) to print."""

    def __init__(self, key: str, text: Text, label: str, citation: Citation) -> None:
        super().__init__(key, text, label)
        self.citation = citation


# -- Sentences ------------------------------------------------------------------------------

def end_sentence(text: Text) -> Text:
    """Close an element with a period: none after ".", "?" or "!", and
    inside a closing double quotation mark (“Title.”)."""
    if not text:
        return text
    if text.endswith("”"):
        return Text(end_sentence(text[:-1]), "”")
    return text if is_terminated(text) else text.add_period()


def _formatted(child: Any, data: dict) -> Text:
    return child.format_data(data) if hasattr(child, "format_data") else Text(child)


@node
def sentences(children, data):
    """Chicago's elements, each a sentence, one space apart; empty ones left out."""
    parts = [part for part in (_formatted(child, data) for child in children) if part]
    return Text(" ").join([end_sentence(part) for part in parts])


def _field(entry: Entry, name: str) -> str:
    return entry.fields.get(name, "").strip()


def _latex(entry: Entry, name: str) -> Text:
    return Text.from_latex(_field(entry, name))


def _required(entry: Entry, name: str) -> str:
    if not _field(entry, name):
        raise FieldIsMissing(name, entry)
    return _field(entry, name)


# -- Who and when -----------------------------------------------------------------------------

def _stands_first(entry: Entry) -> str:
    """What begins the entry: "persons", "periodical" or "title"."""
    if names.author_persons(entry)[1]:
        return "persons"
    return "periodical" if cited.is_news(entry) else "title"


@node
def author_place(children, data):
    """"Knight, Amy", "Freeze, Gregory L., ed.", "Naumov, V. P., and Iu.
    Sigachev, comps."; else the periodical or the title (Chicago 15.32, 15.47)."""
    entry = data["entry"]
    field, people = names.author_persons(entry)
    if people:
        listed = names.listed_names(people, invert_first=True)
        if field == "author":
            return listed
        role = names.role(entry, field)
        return Text(listed, ", ", role.plural if len(people) > 1 else role.singular)
    if cited.is_news(entry):
        return cited.periodical(entry)
    return title_text(entry)


@node
def year(children, data):
    """The citation's year, lettered where needed ("1953a")."""
    return Text(data["citation"].year)


# -- Titles -------------------------------------------------------------------------------------

def title_text(entry: Entry, field: str = "title") -> Text:
    """The title as printed, with its subtitle, and after it the title's
    addition (a translation in brackets, Chicago 14.98)."""
    raw = _required(entry, field)
    text = Text.from_latex(raw)
    if field == "title" and (subtitle := _field(entry, "subtitle")):
        text = Text(text, ": ", Text.from_latex(subtitle))
    dressed = cited.dressed_title(entry, text, raw)
    if addon := _field(entry, f"{field}addon"):
        dressed = Text(dressed, " ", Text.from_latex(addon))
    return dressed


@node
def title(children, data):
    """The title, unless it already stands in the author's place."""
    entry = data["entry"]
    return Text() if _stands_first(entry) == "title" else title_text(entry)


# -- Others who made the work, edition, series --------------------------------------------------

def _contributors(entry: Entry, *, lower: bool = False) -> list[Text]:
    """"Edited by …", "General editor, …", "Translated by …", for the name
    fields not already in the author's place."""
    first_field, _ = names.author_persons(entry)
    out = []
    for field in names.CONTRIBUTOR_FIELDS:
        people = names.persons(entry, field)
        if field == first_field or not people:
            continue
        by = names.role(entry, field).by
        by = by[:1].lower() + by[1:] if lower else by
        out.append(Text(by, " ", names.listed_names(people, invert_first=False)))
    return out


@node
def contributors(children, data):
    parts = _contributors(data["entry"])
    return Text(" ").join([end_sentence(part) for part in parts[:-1]] + parts[-1:])


@node
def edition(children, data):
    return Text(fields.edition(_field(data["entry"], "edition")))


@node
def volume(children, data):
    """"Vol. 2" of a book in volumes (Chicago 14.117)."""
    entry = data["entry"]
    return Text("Vol. ", _latex(entry, "volume")) if _field(entry, "volume") else Text()


@node
def series(children, data):
    """"The Land Warfare Papers, no. 19" (Chicago 14.123)."""
    entry = data["entry"]
    if not _field(entry, "series"):
        return Text()
    text = _latex(entry, "series")
    return Text(text, ", no. ", _latex(entry, "number")) if _field(entry, "number") else text


@node
def imprint(children, data):
    """"Princeton, NJ: Princeton University Press" (Chicago 14.127)."""
    entry = data["entry"]
    place = _field(entry, "address") or _field(entry, "location")
    publisher = _field(entry, "publisher")
    if place and publisher:
        return Text(Text.from_latex(place), ": ", Text.from_latex(publisher))
    return Text.from_latex(place or publisher)


@node
def published_by(children, data):
    """Where a web page or an unpublished work is found: the site, the
    publisher or the organisation (Chicago 15.51)."""
    entry = data["entry"]
    for name in ("howpublished", "organization", "institution", "publisher"):
        if _field(entry, name):
            return _latex(entry, name)
    return Text()


@node
def day(children, data):
    """The full date of an undated-by-issue work ("13 June 1953"); a year
    alone is already in the citation."""
    return Text(fields.full_date(data["entry"]))


# -- Periodicals -------------------------------------------------------------------------------

@node
def in_periodical(children, data):
    """"*Journal of Cold War Studies* 1 (1): 3–55" (Chicago 15.46);
    "*Pravda*, 10 March 1953" (15.47); "*Correspondence* 1, no. 1 (3 October
    1953)"; only the date where the periodical stands in the author's place."""
    entry = data["entry"]
    first = _stands_first(entry) == "periodical"
    if not first and not (_field(entry, "journal") or _field(entry, "journaltitle")):
        raise FieldIsMissing("journal", entry)
    head = Text() if first else cited.periodical(entry)
    dated = cited.is_news(entry) or _field(entry, "volume") or _field(entry, "number")
    date = fields.full_date(entry) if dated else ""
    vol, number = _latex(entry, "volume"), _latex(entry, "number")
    if vol and date:
        issue = Text(vol, ", no. ", number, " (", date, ")") if number else Text(vol, " (", date, ")")
    elif vol:
        issue = Text(vol, " (", number, ")") if number else vol
    elif number:
        issue = Text(", no. ", number, f" ({date})" if date else "")
    else:
        issue = Text(", ", date) if date and head else Text(date)
    text = Text(head, " ", issue) if head and vol else Text(head, issue)
    if pages := _field(entry, "pages"):
        text = Text(text, ": " if (vol or number) else ", ", fields.page_range(pages))
    return text


# -- Chapters ------------------------------------------------------------------------------------

@node
def in_book(children, data):
    """"In *Book Title*, edited by A and B, 45–67" (Chicago 15.36)."""
    entry = data["entry"]
    book = Text(Tag("em", Text.from_latex(_required(entry, "booktitle"))))
    parts = [Text("In ", book), *_contributors(entry, lower=True)]
    if pages := _field(entry, "pages"):
        parts.append(Text(fields.page_range(pages)))
    return Text(", ").join(parts)


@node
def thesis(children, data):
    """"PhD diss., University" (Chicago 15.44)."""
    entry = data["entry"]
    kind = _field(entry, "type") or ("Master’s thesis" if entry.type.lower() == "mastersthesis"
                                      else "PhD diss.")
    school = _field(entry, "school") or _field(entry, "institution")
    return Text(Text.from_latex(kind), ", ", Text.from_latex(school)) if school else Text.from_latex(kind)


# -- Notes and addresses -----------------------------------------------------------------------

@node
def note(children, data):
    entry = data["entry"]
    parts = [_latex(entry, name) for name in ("note", "addendum") if _field(entry, name)]
    return Text(" ").join([end_sentence(part) for part in parts[:-1]] + parts[-1:])


@node
def accessed(children, data):
    """"Accessed 12 May 2025" before the address of an online source (Chicago 15.50)."""
    entry = data["entry"]
    when = fields.full_date(entry, "urldate")
    return Text("Accessed ", when) if when and (_field(entry, "url") or _field(entry, "doi")) else Text()


@node
def address(children, data):
    """The DOI as a URL, else the URL (Chicago 14.8)."""
    entry = data["entry"]
    doi = _field(entry, "doi")
    url = f"https://doi.org/{doi}" if doi and not doi.startswith("http") else doi or _field(entry, "url")
    return Text(HRef(url, url)) if url else Text()


# -- The entries ---------------------------------------------------------------------------------

ENDING = [note, accessed, address]

BOOK = sentences[author_place, year, title, contributors, edition, volume, series, imprint, *ENDING]
ARTICLE = sentences[author_place, year, title, in_periodical, contributors, *ENDING]
CHAPTER = sentences[author_place, year, title, in_book, edition, series, imprint, *ENDING]
THESIS = sentences[author_place, year, title, thesis, *ENDING]
# Web pages, unpublished documents and anything else.
OTHER = sentences[author_place, year, title, contributors, published_by, day, *ENDING]

TEMPLATES = {
    "article": ARTICLE,
    "incollection": CHAPTER, "inbook": CHAPTER, "inproceedings": CHAPTER, "inreference": CHAPTER,
    "thesis": THESIS, "phdthesis": THESIS, "mastersthesis": THESIS,
    **{kind: BOOK for kind in cited.ITALIC_TITLES},
}


class Style(BaseStyle):
    """Chicago author–date reference-list entries, in the list's order."""

    default_sorting_style = SortingStyle   # Pybtex takes a plugin class as well as its name

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._citations: dict[str, Citation] = {}
        # BaseStyle takes its labels from a label style, one entry at a time;
        # an author–date citation needs every entry of the list (initials for
        # a shared surname, 1953a and 1953b), so the style makes its own.
        self.format_labels = self.citation_labels

    def citation_labels(self, sorted_entries: Iterable[Entry]) -> list[str]:
        """Each entry's citation as its label ("Knight 1993"); the entries'
        citations are kept for :meth:`format_entry`."""
        sorted_entries = list(sorted_entries)
        self._citations = cited.citations(sorted_entries)
        return [self._citations[entry.key].label for entry in sorted_entries]

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> CitedEntry:
        citation = self._citations.get(entry.key) or cited.citations([entry])[entry.key]
        template = TEMPLATES.get(entry.type.lower(), OTHER)
        text = template.format_data({"entry": entry, "style": self, "bib_data": bib_data,
                                     "citation": citation})
        return CitedEntry(entry.key, text, label, citation)
