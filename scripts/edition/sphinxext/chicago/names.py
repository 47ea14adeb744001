"""Persons in Chicago form.

The reference list gives the first person surname first ("Gorlizki, Yoram,
and Oleg Khlevniuk"), the citations surnames only ("Gorlizki and
Khlevniuk"); a person who is not an author is named with a role: "ed." or
"comps." in the author's place, "Edited by" or "General editor," after the
title. A role is the field's type as biblatex writes it (``editortype =
{compiler}``, ``editoratype = {general editor}``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Entry, Person
from pybtex.richtext import Symbol, Text
from pybtex.style.names.lastfirst import NameStyle as LastFirstNames
from pybtex.style.names.plain import NameStyle as PlainNames

_INVERTED = LastFirstNames()
_NATURAL = PlainNames()

# The name fields besides author, in Chicago's order after the title.
CONTRIBUTOR_FIELDS = ("editor", "editora", "editorb", "editorc", "translator")

# Chicago 15.9: up to ten authors are listed; of more, the first seven.
MOST_LISTED = 10
LISTED_OF_MORE = 7
# Chicago 15.29: a citation names up to three authors; of four or more, the first.
MOST_CITED = 3


@dataclass(frozen=True)
class Role:
    """What a person who is not the author did, in Chicago's words."""

    singular: str     # after the names in the author's place: "ed."
    plural: str       # "eds."
    by: str           # before the names after the title: "Edited by"


ROLES = {
    "editor": Role("ed.", "eds.", "Edited by"),
    "compiler": Role("comp.", "comps.", "Compiled by"),
    "translator": Role("trans.", "trans.", "Translated by"),
    "general editor": Role("gen. ed.", "gen. eds.", "General editor,"),
}


def role(entry: Entry, field: str) -> Role:
    """The role of a name field: its ``<field>type``, else the field's own name
    (biblatex's convention); a type Chicago has no words for is printed as written."""
    kind = " ".join(entry.fields.get(f"{field}type", "").split()).lower()
    kind = kind or ("editor" if field.startswith("editor") else field)
    return ROLES.get(kind) or Role(kind, kind, f"{kind[:1].upper()}{kind[1:]},")


def persons(entry: Entry, field: str) -> list[Person]:
    """The persons of a name field. Pybtex parses author and editor; the
    other name fields (translator, editora…) are parsed here, the same way."""
    if field in entry.persons:
        return list(entry.persons[field])
    value = entry.fields.get(field, "")
    return [Person(name) for name in split_name_list(value)] if value.strip() else []


def _series(parts: Sequence[Text]) -> Text:
    """"A", "A and B", "A, B, and C": Chicago's serial comma."""
    if len(parts) <= 2:
        return Text(" and ").join(parts)
    return Text(", ").join(parts[:-1]) + Text(", and ", parts[-1])


def listed_names(people: Sequence[Person], *, invert_first: bool) -> Text:
    """The names of the reference list: the first inverted where it stands in
    the author's place ("Brent, Jonathan, and Vladimir P. Naumov")."""
    if not people:
        return Text()
    shown = list(people) if len(people) <= MOST_LISTED else list(people)[:LISTED_OF_MORE]
    parts = [(_INVERTED if index == 0 and invert_first else _NATURAL).format(person, False).format()
             for index, person in enumerate(shown)]
    if len(shown) < len(people):
        return Text(", ").join(parts) + Text(", et\u00a0al.")
    if invert_first and len(parts) == 2:
        # The inverted first name ends in a given name: a comma before "and".
        return Text(parts[0], ", and ", parts[1])
    return _series(parts)


def surname(person: Person) -> Text:
    """"Knight"; "de Gaulle" (particles with the surname)."""
    return Text(Symbol("nbsp")).join([*person.rich_prelast_names, *person.rich_last_names])


def _initial(name: str) -> str:
    """"Lavrent'evich" → "L.", "Jean-Paul" → "J.-P.", "P." stays."""
    name = name.replace("{", "").replace("}", "")
    if name.endswith("."):
        return name
    return "-".join(f"{part[0]}." for part in name.split("-") if part)


def initials(person: Person) -> str:
    """"L. P." for Lavrentii Pavlovich: what tells two authors of one surname
    apart (and what tells one author written two ways, "Vladimir P." and
    "V. P.", to be one)."""
    return " ".join(_initial(name) for name in person.first_names + person.middle_names)


def surname_key(person: Person) -> str:
    return " ".join(person.prelast_names + person.last_names)


def given_key(person: Person) -> str:
    return " ".join(person.first_names + person.middle_names + person.lineage_names)


def cited_names(people: Sequence[Person], *, full: bool, with_initials: frozenset[str]) -> Text:
    """The names of a citation: surnames, with initials where another cited
    person has the same surname (Chicago 15.21); the first and "et al." for
    four or more, unless ``full``."""
    def one(person: Person) -> Text:
        if surname_key(person) in with_initials and initials(person):
            return Text(initials(person), Symbol("nbsp"), surname(person))
        return surname(person)

    if not full and len(people) > MOST_CITED:
        return Text(one(people[0]), " et\u00a0al.")
    return _series([one(person) for person in people])


# Parts of a book: their editor is the book's, never in the author's place.
PARTS = frozenset({"incollection", "inbook", "inproceedings", "inreference"})


def author_persons(entry: Entry) -> tuple[str, list[Person]]:
    """Who stands in the author's place: the authors, else the editors (or
    compilers); ``("", [])`` for a work known by its title."""
    for field in ("author",) if entry.type.lower() in PARTS else ("author", "editor"):
        if people := persons(entry, field):
            return field, people
    return "", []
