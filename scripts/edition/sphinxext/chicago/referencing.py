"""The editor's citations: a sphinxcontrib-bibtex referencing style.

``{cite:p}`knight1993beria``` gives "(Knight 1993)"; a page is the role's
post-text, after the key (``{cite:p}`knight1993beria{45}```): "(Knight 1993,
45)", a range in Chicago's form (``{120-121}``: "120–21"); a pre-text before it (``{cite:p}`{see}knight1993beria```): "(see
Knight 1993)"; several works "(Knight 1993; Taubman 2003)" (Chicago 15.21–
15.30). ``{cite:t}`` gives "Knight (1993)", ``{cite:author}`` "Knight",
``{cite:year}`` "1993", ``{cite:empty}`` nothing (the sources' own
citations, linked by :mod:`edition.sphinxext.citations`).

The names and the year are the entry's :class:`~.citation.Citation`, made by
the formatting style with the whole reference list in view; with another
formatting style the citation is made from the one entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from pybtex.richtext import Text
from pybtex.style.template import Node, node
from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, BracketStyle, GroupReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, pre_text, reference

from . import citation as cited
from . import fields

_RANGE = re.compile(r"\b\d+\s*(?:-{1,3}|–|—)\s*\d+\b")


def _citation(data: dict) -> cited.Citation:
    known = getattr(data["formatted_entry"], "citation", None)
    return known or cited.citations([data["entry"]])[data["entry"].key]


@node
def cited_names(children, data, full=False):
    """"Knight", "Gorlizki and Khlevniuk", "Brent et al." (all with ``full``)."""
    found = _citation(data)
    return Text(found.full_author if full else found.author)


@node
def cited_year(children, data):
    return Text(_citation(data).year)


@node
def pages(children, data):
    """The post-text (a page, a range, "chap. 3"), its ranges of page
    numbers in Chicago form: ``{120-121}`` and ``{120--121}`` give "120–21"."""
    return Text(_RANGE.sub(lambda found: fields.page_range(found.group(0)), data["reference_info"].post_text))


def _parentheses() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


def _and() -> BracketStyle:
    """Textual citations in a row: "Knight (1993) and Taubman (2003)"."""
    return BracketStyle(left="(", right=")", sep=", ", sep2=" and ", last_sep=", and ")


@dataclass
class Parenthetical(BaseReferenceStyle):
    """``p`` "(Knight 1993, 45)"; ``alp`` without the parentheses; ``s``: every author."""

    bracket: BracketStyle = field(default_factory=_parentheses)

    def role_names(self) -> Iterable[str]:
        return [f"{alt}p{full}" for alt in ("", "al") for full in ("", "s")]

    def outer(self, role_name: str, children: list) -> Node:
        return self.bracket.outer(children, brackets="al" not in role_name)

    def inner(self, role_name: str) -> Node:
        # The link covers the author and year; a page follows after a comma (Chicago 15.22).
        return join2(sep1=" ", sep2=", ")[
            pre_text,
            reference[join(sep=" ")[cited_names(full="s" in role_name), cited_year]],
            pages,
        ]


@dataclass
class Textual(BaseReferenceStyle):
    """``t`` "Knight (1993, 45)"; ``ct`` capitalised; ``s``: every author."""

    bracket: BracketStyle = field(default_factory=_and)

    def role_names(self) -> Iterable[str]:
        return [f"{cap}t{full}" for cap in ("", "c") for full in ("", "s")]

    def outer(self, role_name: str, children: list) -> Node:
        return self.bracket.outer(children, brackets=False, capfirst="c" in role_name)

    def inner(self, role_name: str) -> Node:
        return join(sep=" ")[
            cited_names(full="s" in role_name),
            join[self.bracket.left,
                 join2(sep1=" ", sep2=", ")[pre_text, reference[cited_year], pages],
                 self.bracket.right],
        ]


@dataclass
class Author(BaseReferenceStyle):
    """``author`` "Knight"; ``authorpar`` "(Knight)"; ``cauthor`` capitalised."""

    bracket: BracketStyle = field(default_factory=_and)

    def role_names(self) -> Iterable[str]:
        return [f"{cap}author{par}{full}" for par in ("par", "") for cap in (("", "c") if not par else ("",))
                for full in ("", "s")]

    def outer(self, role_name: str, children: list) -> Node:
        return self.bracket.outer(children, brackets="par" in role_name, capfirst="c" in role_name)

    def inner(self, role_name: str) -> Node:
        return reference[cited_names(full="s" in role_name)]


@dataclass
class Year(BaseReferenceStyle):
    """``year`` "1993"; ``yearpar`` "(1993)"."""

    bracket: BracketStyle = field(default_factory=_parentheses)

    def role_names(self) -> Iterable[str]:
        return ["year", "yearpar"]

    def outer(self, role_name: str, children: list) -> Node:
        return self.bracket.outer(children, brackets="par" in role_name)

    def inner(self, role_name: str) -> Node:
        return reference[cited_year]


@dataclass
class ChicagoReferenceStyle(GroupReferenceStyle):
    """Every citation role of sphinxcontrib-bibtex, in Chicago author–date form."""

    def __post_init__(self) -> None:
        self.styles.extend([
            Parenthetical(),
            Textual(),
            Author(),
            Year(),
            # ``label``: the entry's label is its citation ("Knight 1993").
            ExtraLabelReferenceStyle(bracket=_parentheses()),
            ExtraEmptyReferenceStyle(),
        ])
        super().__post_init__()
