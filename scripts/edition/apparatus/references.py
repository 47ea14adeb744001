"""Every reference the editor writes resolves, before Sphinx runs.

Where the editor writes MyST — the apparatus notes (``[[note]] text``), the
glossary's definitions, the persons' descriptions and identifications, the
catalogue's publication, source and rights (inline MyST, one line: see
:func:`edition.schema.inline_myst`), the chronology's events and the hand-written pages of
the book (every ``.md`` under ``book/`` but the generated ``texts/`` and
``generated/``: ``index.md``, the front and back matter, the bibliography's
page) — each role of :data:`ROLES` must name something that exists:

``{cite}``, ``{cite:p}``, ``{cite:t}``… (and ``{footcite…}``)
    every key (``{cite:p}`a,{pre}b{post}```) an entry of ``refs.bib``, as
    written (sphinxcontrib-bibtex compares keys as written);
``{term}``
    a headword of the glossary (``book/glossary.toml``, or a ``{glossary}``
    directive of a hand-written page), compared as Sphinx compares them:
    whitespace collapsed, without regard to case; ``{term}`text <headword>```
    names the headword after the text;
``{para}``
    ``"<slug> <N>"``: a text of the catalogue and one of its paragraphs;
``{ref}``
    a label of the book: ``(label)=`` or ``:name:`` in a page, generated or
    hand-written (``person-<id>``, ``persons``, ``glossary``, ``chronology``,
    ``rights``, ``<slug>-p<N>``…), or one of Sphinx's own (``genindex``…).

Other roles (``{doc}``, ``{numref}``…) are left to Sphinx.  What is wrong is an
error of the file's own kind naming the file and the entry (a hand-written
page: its line).  Registers that are missing are empty: a ``{term}`` in a book
without a glossary is an error like any other.

The fields that are printed as written (an emendation's reading, an
omission's reason) are not MyST: a role there would be printed as its
markup, so any role in them is an error too (:data:`PLAIN_FIELDS`).  The
reasons of emendations, sics and regularisations are inline MyST, checked
like notes.

The fields that name things outside MyST — a citation's ``key``, the
registers' and events' ``refs``, the events' ``paragraphs``, a mention's
``person`` — are checked where they are read (:mod:`.entries`,
:mod:`.registers`, :mod:`.chronology`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..anchors import parse_names
from ..errors import ApparatusError, CatalogError, EditionError
from ..schema import read_toml
from ..sources.catalog import INLINE_MYST as CATALOG_MYST
from ..sources.catalog import TEXT, CatalogEntry
from .chronology import EVENT, ChronologyError
from .registers import INLINE_MYST, RegistryError

if TYPE_CHECKING:
    from ..project import Project
    from .entries import Apparatus
    from .registers import Registry


class MatterError(EditionError):
    """A hand-written page of the book (``index.md``, the front or back
    matter) refers to something that does not exist."""


@dataclass(frozen=True)
class Use:
    """A role in MyST text: ``{name}`text```, on ``line`` (1-based) of the text."""

    role: str
    text: str
    line: int = 1


@dataclass
class Targets:
    """Everything a reference may name."""

    project: Project
    keys: set[str]                                # refs.bib, as written
    terms: set[str]                               # headwords, normalised (:func:`_term_name`)
    paragraphs: Mapping[str, set[str]]            # slug → its paragraphs' numbers
    persons: set[str]                             # ids of book/persons.toml
    label_sources: list[str] = field(default_factory=list)   # generated MyST, scanned when needed
    labels: set[str] = field(default_factory=set)             # normalised (:func:`_label_name`)
    _scanned: bool = field(default=False, init=False)

    def has_label(self, name: str) -> bool:
        if not self._scanned:
            # Only a {ref} needs them; a chapter may be megabytes long.
            for text in self.label_sources:
                self.labels.update(_label_name(m) for m in LABEL_RE.findall(text))
            self._scanned = True
        return name in self.labels

    def rel(self, path: Path) -> str:
        """``book/glossary.toml``: a file of the project as the messages name it."""
        try:
            return path.relative_to(self.project.root).as_posix()
        except ValueError:
            return str(path)


# A problem: (message, hint), or None where the reference resolves.
Problem = tuple[str, str] | None


# -- The roles -----------------------------------------------------------------------

# sphinx.util.docutils.ReferenceRole: "title <target>".
EXPLICIT_TITLE_RE = re.compile(r"^(.+?)\s*(?<!\x00)<(.*?)>$", re.DOTALL)
# sphinxcontrib.bibtex.citation_target: "{pre}key{post}", comma-separated.
CITATION_TARGET_RE = re.compile(
    r"\s*([{](?P<pre>[^{}]+)[}])?\s*(?P<key>[^{}\s,]+)\s*([{](?P<post>[^{}]+)[}])?\s*")
# Sphinx's built-in labels (the std domain's initial data).
SPHINX_LABELS = frozenset({"genindex", "modindex", "search", "py-modindex"})
# "(label)=" opening a line of a page (what MyST's target rule reads).
LABEL_RE = re.compile(r"^[ \t]{0,3}\(([^()\n]+)\)=[ \t]*$", re.MULTILINE)
# Any role (MyST's syntax), for the fields printed as written; and a quick test for MyST text.
ANY_ROLE_RE = re.compile(r"\{([a-zA-Z0-9_\-+:]+)\}`")


def _xref_target(text: str) -> str | None:
    """The target of an XRefRole's text (None where ``!`` turns the reference off)."""
    if text.startswith("!"):
        return None
    explicit = EXPLICIT_TITLE_RE.match(text)
    return explicit.group(2) if explicit else text


def _term_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).lower()


def _label_name(name: str) -> str:
    return " ".join(name.lower().split())   # docutils' fully_normalize_name


def _citation_keys(target: str) -> list[str] | None:
    """The keys of a citation's target, or None where sphinxcontrib-bibtex cannot read it."""
    keys, pos = [], 0
    while True:
        match = CITATION_TARGET_RE.match(target, pos)
        if match is None:
            return None
        keys.append(match["key"])
        pos = match.end()
        if pos == len(target):
            return keys
        if target[pos] != ",":
            return None
        pos += 1


def _cite(targets: Targets, role: str, text: str) -> Problem:
    target = _xref_target(text)
    if target is None:
        return None
    keys = _citation_keys(target)
    if keys is None:
        return (f"{{{role}}}`{text}` is not a list of keys",
                "keys separated by commas, each with an optional {pre} and {post} text")
    for key in keys:
        if key not in targets.keys:
            return (f"{{{role}}} names no entry {key!r} of refs.bib",
                    "add the work to refs.bib or correct the key")
    return None


def _term(targets: Targets, role: str, text: str) -> Problem:
    target = _xref_target(text)
    if target is None or _term_name(target) in targets.terms:
        return None
    glossary = targets.rel(targets.project.glossary_path)
    if not targets.terms:
        return f"{{{role}}} names the term {target!r}, but the book has no glossary", f"add it to {glossary}"
    return (f"{{{role}}} names no term {target!r} of {glossary}",
            "write a headword of the glossary (case does not matter), or "
            "{term}`text <headword>` for another form of it")


def _para(targets: Targets, role: str, text: str) -> Problem:
    paragraphs = parse_names(text)
    if paragraphs is None:
        return (f"{{{role}}} wants 'slug N' (or 'slug N, M, K-L'), not {text!r}",
                "a text's slug and paragraph numbers")
    slug = paragraphs[0].slug
    if slug not in targets.paragraphs:
        return f"{{{role}}} names no text {slug!r}", "a slug of seeds/catalog.toml"
    for paragraph in paragraphs:
        if paragraph.number not in targets.paragraphs[slug]:
            return f"{{{role}}}: {slug} has no paragraph {paragraph.number!r}", ""
    return None


def _ref(targets: Targets, role: str, text: str) -> Problem:
    target = _xref_target(text)
    if target is None:
        return None
    name = _term_name(target)   # :ref: lower-cases its target and collapses whitespace
    if name.startswith("person-") and name.removeprefix("person-") in targets.persons:
        return None   # the persons' page has the label (and the ids are lower-case)
    if name in SPHINX_LABELS or targets.has_label(name):
        return None
    if name.startswith("person-"):
        persons = targets.rel(targets.project.persons_path)
        return (f"{{{role}}} names no person {name.removeprefix('person-')!r} of {persons}",
                "person-<id>, with an id of the register")
    return f"{{{role}}} names no label {target!r}", "a (label)= of a page of the book"


# One table: which roles are checked, and how (the first pattern that matches the role's name).
ROLES: tuple[tuple[re.Pattern[str], Callable[[Targets, str, str], Problem]], ...] = (
    (re.compile(r"(?:foot)?cite(?::[a-z]+)?"), _cite),
    (re.compile(r"(?:std:)?term"), _term),
    (re.compile(r"para"), _para),
    (re.compile(r"(?:std:)?ref"), _ref),
)


def problem(targets: Targets, use: Use) -> Problem:
    """What is wrong with one reference, or None (also for a role that is not checked)."""
    for pattern, check in ROLES:
        if pattern.fullmatch(use.role):
            return check(targets, use.role, use.text)
    return None


# -- Finding the roles in MyST ----------------------------------------------------------

# Directives whose content is not MyST.
LITERAL_DIRECTIVES = frozenset({
    "code", "code-block", "sourcecode", "code-cell", "literalinclude", "include", "math",
    "raw", "eval-rst", "toctree", "bibliography", "csv-table", "graphviz", "mermaid",
    "highlight", "literal", "parsed-literal",
})
OPTION_RE = re.compile(r"^:[\w-]+:(?:\s(?P<value>.*))?$")


@cache
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions={"attrs_inline", "colon_fence"}),
                            RendererHTML)


@dataclass
class Scan:
    """What a MyST text holds: its references, and the labels and glossary
    terms it defines."""

    uses: list[Use] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)


@lru_cache(maxsize=4096)
def scan(text: str) -> Scan:
    """The roles of a MyST text (not those in code, nor escaped ones), with their lines.
    Kept for the next time (``edition watch`` prepares the book again and
    again, the pages mostly unchanged): do not change what it gives."""
    found = Scan()
    _scan(text, 0, found)
    return found


def _scan(text: str, offset: int, found: Scan) -> None:
    """``offset``: the lines before ``text`` in its file."""
    for token in _parser().parse(text):
        if token.type == "inline" and token.map:
            _inline(token, offset + token.map[0], found)
        elif token.type == "myst_target":
            found.labels.add(_label_name(token.content))
        elif token.type in ("fence", "colon_fence") and token.map:
            _directive(token, offset + token.map[0] + 1, found)


def _inline(token, offset: int, found: Scan) -> None:
    """The roles of an inline token, each located in its source for its line."""
    source, pos = token.content, 0
    for child in token.children or ():
        if child.type == "code_inline":
            # Step over the code span, so that a role quoted in it is not taken for the next one.
            start = source.find(child.markup, pos)
            end = source.find(child.markup, start + len(child.markup)) if start >= 0 else -1
            if end >= 0:
                pos = end + len(child.markup)
        elif child.type == "myst_role":
            name = child.meta.get("name", "")
            match = re.compile(rf"(?<!\\)\{{{re.escape(name)}\}}(`+)").search(source, pos)
            at = match.start() if match else pos
            if match:
                close = source.find(match.group(1), match.end())
                pos = close + len(match.group(1)) if close >= 0 else match.end()
            found.uses.append(Use(name, child.content, offset + source.count("\n", 0, at) + 1))


def _directive(token, offset: int, found: Scan) -> None:
    """A fenced block: a directive's MyST content is scanned, its ``:name:`` is a label."""
    info = token.info.strip()
    if not (info.startswith("{") and "}" in info):
        return   # code
    name = info[1:info.index("}")]
    lines = token.content.split("\n")
    # The options (":key: value" lines, or a "---" YAML block) open the content.
    i = 0
    if lines and lines[0].strip() == "---":
        i = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), len(lines) - 1) + 1
        for line in lines[:i]:
            if line.strip().startswith("name:"):
                found.labels.add(_label_name(line.split(":", 1)[1]))
    else:
        while i < len(lines) and (option := OPTION_RE.match(lines[i].strip())):
            if lines[i].strip().startswith(":name:") and option["value"]:
                found.labels.add(_label_name(option["value"]))
            i += 1
    if name in LITERAL_DIRECTIVES:
        return
    body = [""] * i + lines[i:]   # options blanked: the lines keep their numbers
    if name == "glossary":
        # Terms open a line; their definitions are indented.
        for j, line in enumerate(body):
            if line.strip() and not line[0].isspace():
                found.terms.add(_term_name(line.split(" : ")[0].strip()))
                body[j] = ""
            else:
                body[j] = line.strip()
    _scan("\n".join(body), offset, found)


# -- Where the references are -------------------------------------------------------------

# The fields printed as written, not read as MyST, of each kind of entry.
PLAIN_FIELDS = {
    "emendation": ("reading",),
    "omission": ("reason",),
}


def matter_pages(project: Project) -> list[Path]:
    """The hand-written MyST pages of the book: every ``.md`` under ``book/``
    but the generated ones (and none in a folder whose name starts with ``_``
    or ``.``, such as a build's)."""
    generated = (project.texts_dir, project.generated_dir, project.apparatus_dir)
    pages = []
    for path in sorted(project.book_dir.rglob("*.md")):
        parts = path.relative_to(project.book_dir).parts
        if any(part.startswith(("_", ".")) for part in parts):
            continue
        if any(path.is_relative_to(folder) for folder in generated):
            continue
        pages.append(path)
    return pages


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MatterError(path, f"not valid UTF-8: {exc.reason}", f"byte {exc.start}") from None


def _plain(text: object) -> Iterator[str]:
    """The roles written in a field that is printed as written."""
    if isinstance(text, str):
        yield from ANY_ROLE_RE.findall(text)


def check_references(project: Project, apparatuses: Mapping[str, Apparatus],
                     paragraphs: Mapping[str, set[str]], registry: Registry,
                     generated: Iterable[str], bib_keys: Iterable[str],
                     texts: Iterable[CatalogEntry] = ()) -> None:
    """Every reference of the editor's MyST resolves; raises the error of the
    file it is in (:class:`ApparatusError`, :class:`RegistryError`,
    :class:`ChronologyError`, :class:`MatterError`). ``apparatuses`` and
    ``paragraphs``: each text's (by slug); ``generated``: the MyST of the
    generated pages, whose labels a ``{ref}`` may name; ``texts``: the
    catalogue's (:class:`CatalogError` for theirs)."""
    scans = [(path, scan(_read(path))) for path in matter_pages(project)]
    targets = Targets(
        project, set(bib_keys),
        {_term_name(t.term) for t in registry.terms.values()}.union(*(s.terms for _, s in scans)),
        dict(paragraphs),
        set(registry.persons),
        label_sources=list(generated),
        labels=set().union(*(s.labels for _, s in scans)),
    )

    def check(error: type[EditionError], path: Path, place: str, text: str) -> None:
        if not ANY_ROLE_RE.search(text):
            return   # most notes: no role, no need to parse them
        for use in scan(text).uses:
            found = problem(targets, use)
            if found is not None:
                raise error(path, found[0], place, found[1])

    def plain(error: type[EditionError], path: Path, place: str, kind: str, name: str,
              text: object) -> None:
        for role in _plain(text):
            raise error(path, f"{{{role}}} in the {name} would be printed as written: "
                        f"a {kind}'s {name} is plain text, not MyST", place,
                        "give the reference in a [[note]]")

    for slug, app in apparatuses.items():
        path = project.apparatus_path(slug)
        for note in app.notes:
            check(ApparatusError, path, f"[[note]] id={note.id!r}", note.text)
        for kind, reasoned in (("emendation", app.emendations), ("sic", app.sics),
                               ("regularisation", app.regularisations)):
            for entry in reasoned:
                check(ApparatusError, path, f"[[{kind}]] id={entry.id!r}", entry.reason)
        for kind, entries in (("emendation", app.emendations), ("omission", app.omissions)):
            for entry in entries:
                for name in PLAIN_FIELDS[kind]:
                    plain(ApparatusError, path, f"[[{kind}]] id={entry.id!r}", kind, name,
                          getattr(entry, name))
    for person in registry.persons.values():
        for name in INLINE_MYST["person"]:
            check(RegistryError, project.persons_path, f"[[person]] id={person.id!r}", getattr(person, name))
    for index, text in enumerate(texts, start=1):
        for name in CATALOG_MYST:
            check(CatalogError, project.catalog_path, TEXT.where({"slug": text.slug}, index),
                  getattr(text, name))
    for term in registry.terms.values():
        check(RegistryError, project.glossary_path, f"[[term]] id={term.id!r}", term.definition)
    if project.chronology_path.exists():
        # Read again for the events in the file's order (the chronology has them by date),
        # which the messages count; the file has been validated.
        events = read_toml(project.chronology_path, ChronologyError).get(EVENT.name, [])
        for index, entry in enumerate(events, start=1):
            check(ChronologyError, project.chronology_path, EVENT.where(entry, index),
                  str(entry.get("text", "")))
    for path, found in scans:
        for use in found.uses:
            hit = problem(targets, use)
            if hit is not None:
                raise MatterError(path, hit[0], str(use.line), hit[1])
