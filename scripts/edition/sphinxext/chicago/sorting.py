"""The reference list's order (Chicago 15.16–15.18): by the first author's
surname and given names, then the other authors (a single author before the
same author with others), then the year, then the title.

A work known by its title is placed by the title (or by the periodical that
stands in the author's place), ignoring an initial article, brackets and
quotation marks; letters are compared without accents or case.
"""

from __future__ import annotations

import re
import unicodedata

from pybtex.database import Entry
from pybtex.style.sorting import BaseSortingStyle

from . import citation, fields, names

_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
# "n.d." after the dated works.
_UNDATED = "~"


def _letters(text: str) -> str:
    """A key of letters, digits and single spaces, without accents or case."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = re.sub(r"[{}\\]", "", bare).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", bare).split())


def title_key(title: str) -> str:
    return _ARTICLE.sub("", _letters(title))


class SortingStyle(BaseSortingStyle):
    def sorting_key(self, entry: Entry) -> tuple:
        _, people = names.author_persons(entry)
        if people:
            who = tuple((_letters(names.surname_key(p)), _letters(names.given_key(p))) for p in people)
        elif citation.is_news(entry):
            who = ((title_key(entry.fields.get("journal") or entry.fields.get("journaltitle", "")), ""),)
        else:
            who = ((title_key(entry.fields.get("title", "")), ""),)
        year = fields.year(entry)
        return who, _UNDATED if year == fields.NO_DATE else year, title_key(entry.fields.get("title", ""))
