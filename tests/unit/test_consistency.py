"""What a reader would check in the editor's matter (registers, notes,
introduction, note on the text, chronology, glossary, title page): one
spelling per name, one soft-sign character, and no builder's vocabulary.

The texts' own spellings are not the editor's: a quotation in the editor's
matter of words that stand in a source ("Lavrenti P. Beria", "Ubiystvo") is
left out of the scan, and so are the register fields that hold the sources'
strings (``spellings``, ``exclude``) and the apparatus' anchors and
readings. The colophon, which describes how the book was made, may name
files and commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from edition.sources.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"

# The soft sign (ь) is printed as the typographic apostrophe; the note on the
# text says so.
SOFT_SIGN = "\u2019"

# Per person of the register: spellings of the same name that the book does
# not use (the book's form first, as the register has it). The book writes the
# usual English form of a name in the running text (Joseph Stalin, Leon
# Trotsky, Mikoyan) and Library of Congress transliteration otherwise
# (Lavrentii, Georgii, Viacheslav, Iurii); the LC form of a name with an
# English one belongs to the register's `transliteration` field.
VARIANTS: dict[str, tuple[str, list[str]]] = {
    "stalin": ("Joseph", [r"Iosif", r"Josef", r"Iosef"]),
    "beria": ("Lavrentii", [r"Lavrenti(?!i)", r"Lavrenty", r"Lavrentiy", r"Beriya"]),
    "sergo-beria": ("Lavrent’evich", [r"Lavrentyevich", r"Lavrentievich", r"Lavrentevich"]),
    "malenkov": ("Georgii", [r"Georgy", r"Georgiy", r"Georgi(?![ia])", r"Maximilianovich"]),
    "molotov": ("Viacheslav", [r"Vyacheslav", r"Vjacheslav"]),
    "mukhin": ("Iurii Ignat’evich", [r"Yuri", r"Yury", r"Yurii", r"Jurij", r"Ignatyevich",
                                    r"Ignatievich", r"Ignatevich"]),
    "khrushchev": ("Khrushchev", [r"Khrushchov", r"Krushchev", r"Kruschev", r"Khruschev",
                                  r"Sergeyevich"]),
    "zhdanov": ("Andrei", [r"Andrey"]),
    "zverev": ("Arsenii", [r"Arseny", r"Arseniy", r"Grigoryevich", r"Grigorievich"]),
    "trotsky": ("Trotsky", [r"Trotskii", r"Trotskiy", r"Trotski(?!i)"]),
    "dunayevskaya": ("Dunayevskaya", [r"Dunaevskaya", r"Dunaevskaia", r"Dunayevskaia"]),
    "rakosi": ("Rákosi", [r"Rakosi"]),
    "lenin": ("Il’ich", [r"Ilyich", r"Ilich", r"Ilych"]),
    "romm": ("Il’ich", [r"Ilyich", r"Ilich"]),
    "mikoyan": ("Mikoyan", [r"Mikojan", r"Mikoyán"]),
}

# Names of others the editor's matter names, and places and parties: one form.
OTHER_VARIANTS: list[tuple[str, list[str]]] = [
    ("Semen Ignat’ev", [r"Semyon", r"Ignatiev", r"Ignatyev", r"Ignatev\b"]),
    ("Nikolai", [r"Nikolay"]),
    ("Tukhachevskii", [r"Tukhachevsky"]),
    ("Geoje", [r"Geojedo", r"Geoje-do", r"Kojedo"]),
    ("Hungarian Working People’s Party", [r"Hungarian Workers['’] Party"]),
    ("Ubiistvo", [r"Ubiystvo"]),
]

# The builder's words a reader should not meet outside the colophon.
TOOL_WORDS = [
    r"\bseeds?\b",
    r"\.txt\b",
    r"\.toml\b",
    r"\.bib\b",
    r"\bedition (?:build|generate|check|add|new|verify|watch)\b",
    r"--diplomatic",
    r"#[a-z0-9-]+-p\d+",
    r"`[^`]*(?:/|\.)[^`]*`(?!`)",          # a file name or path as a code span
]


def _seed_texts() -> list[str]:
    return [" ".join((ROOT / "seeds" / e.seed_name).read_text("utf-8").split())
            for e in load_catalog(ROOT / "seeds")]


SEEDS = _seed_texts()
QUOTED = re.compile(r"“([^”]*)”|‘([^’]*)’|\"([^\"]*)\"")


def _without_source_quotations(text: str) -> str:
    """The text with every quotation of a source's own words blanked out."""
    def blank(m: re.Match) -> str:
        inner = " ".join(next(g for g in m.groups() if g is not None).split())
        return " " if inner and any(inner in seed for seed in SEEDS) else m.group(0)
    return QUOTED.sub(blank, text)


ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")


def _printed(text: str) -> str:
    """What a reader sees of MyST source: a role's words (not its target), a
    citation or paragraph reference as a placeholder; no directive fences."""
    def role(m: re.Match) -> str:
        name, body = m.groups()
        if name.startswith("cite"):
            return "[citation]"
        if name == "para":
            return "¶" + body.rsplit(" ", 1)[-1]
        shown = re.match(r"(.*?)\s*<[^<>]*>$", body, re.S)
        return shown.group(1) if shown else "[reference]"
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("```"))
    return ROLE.sub(role, text)


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text("utf-8"))


def editors_matter() -> list[tuple[str, str, str]]:
    """(where, field, text) for every piece of the editor's matter."""
    out: list[tuple[str, str, str]] = []
    for name, tables, fields in (
        ("persons.toml", "person", ("name", "sort", "description", "identification", "transliteration")),
        ("glossary.toml", "term", ("term", "definition")),
        ("chronology.toml", "event", ("display", "text")),
    ):
        data = _toml(BOOK / name)
        for key, value in data.get("page", {}).items():
            out.append((f"{name}:[page]", key, value))
        for entry in data.get(tables, []):
            for field in fields:
                if field in entry:
                    out.append((f"{name}:{entry.get('id', entry.get('date'))}", field, entry[field]))
    for path in sorted((BOOK / "apparatus").glob("*.toml")):
        data = _toml(path)
        for kind, field in (("note", "text"), ("emendation", "reason"), ("sic", "reason"),
                            ("regularisation", "reason"), ("omission", "reason"), ("structure", "reason")):
            for entry in data.get(kind, []):
                if field in entry:
                    out.append((f"{path.name}:{entry['id']}", field, entry[field]))
    for entry in load_catalog(ROOT / "seeds"):
        out.append((f"catalog.toml:{entry.slug}", "headnote", entry.headnote))
    for path in [*sorted((BOOK / "front").glob("*.md")), BOOK / "index.md"]:
        text = path.read_text("utf-8")
        # Not printed: MyST comments and labels.
        text = "\n".join(line for line in text.splitlines()
                         if not line.startswith("%") and not re.fullmatch(r"\(.*\)=", line))
        out.append((path.relative_to(BOOK).as_posix(), "text", text))
    return out


MATTER = editors_matter()


def _hits(patterns: list[str], *, skip_transliteration: bool) -> list[str]:
    found = []
    for where, field, text in MATTER:
        if skip_transliteration and field == "transliteration":
            continue
        scanned = _without_source_quotations(_printed(text))
        for pattern in patterns:
            for m in re.finditer(pattern, scanned):
                context = scanned[max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
                found.append(f"{where} ({field}): {m.group(0)!r} in …{context}…")
    return found


def test_the_scan_reads_every_part_of_the_editors_matter():
    places = {where.split(":")[0] for where, _, _ in MATTER}
    assert {"persons.toml", "glossary.toml", "chronology.toml", "front/introduction.md",
            "front/note-on-the-text.md", "index.md"} <= places
    assert {p.name for p in (BOOK / "apparatus").glob("*.toml")} <= places


def test_variant_families_name_people_of_the_register():
    persons = {p["id"]: p for p in _toml(BOOK / "persons.toml")["person"]}
    for pid, (form, _) in VARIANTS.items():
        assert pid in persons, pid
        assert form in persons[pid]["name"] or form in persons[pid]["sort"], (pid, form)


@pytest.mark.parametrize("pid", sorted(VARIANTS))
def test_one_spelling_per_person(pid):
    form, variants = VARIANTS[pid]
    hits = _hits([rf"\b{v}" for v in variants], skip_transliteration=True)
    assert not hits, f"the book writes {form!r}:\n" + "\n".join(hits)


@pytest.mark.parametrize(("form", "variants"), OTHER_VARIANTS, ids=[f for f, _ in OTHER_VARIANTS])
def test_one_spelling_of_other_names(form, variants):
    hits = _hits([rf"\b{v}" for v in variants], skip_transliteration=False)
    assert not hits, f"the book writes {form!r}:\n" + "\n".join(hits)


def test_a_full_name_is_the_registers():
    """Given name, patronymic and surname together are as the register has
    them (its `name`; its `transliteration` only in that field)."""
    persons = _toml(BOOK / "persons.toml")["person"]
    full = {tuple(p["name"].split()) for p in persons if len(p["name"].split()) == 3}
    surnames = {name[2] for name in full}
    hits = []
    for where, field, text in MATTER:
        if field == "transliteration":
            continue
        scanned = _without_source_quotations(_printed(text))
        for m in re.finditer(r"\b([A-Z]\S*) (\S+(?:vich|ich)) ([A-Z][\w’']+)", scanned):
            triple = m.groups()
            if triple[2] in surnames and triple not in full:
                hits.append(f"{where} ({field}): {' '.join(triple)!r}")
    assert not hits, "\n".join(hits)


def test_one_soft_sign():
    """The soft sign is ’ everywhere in the editor's matter: no straight
    apostrophe or prime inside a transliterated word, and no word that the
    book prints with ’ printed elsewhere with '."""
    english = r"(?:s|t|d|m|re|ve|ll)\b"
    patterns = [rf"[A-Za-z]['\u02B9](?!{english})[a-z]", "\u02B9"]
    soft_words = set()
    for _, _, text in MATTER:
        # Inside a word (Ignat’ev) or ending a name (Lazar’, Duel’), not an
        # English contraction or possessive.
        soft_words.update(m.group(0) for m in re.finditer(
            rf"\b\w+{SOFT_SIGN}(?!{english})\w+|\b[A-Z]\w*[^\Ws]{SOFT_SIGN}(?!\w)", text))
    patterns += [re.escape(w.replace(SOFT_SIGN, "'")) + r"(?!\w)" for w in soft_words]
    hits = _hits(patterns, skip_transliteration=False)
    assert not hits, "the soft sign is ’:\n" + "\n".join(hits)


def test_no_tool_words():
    hits = _hits(TOOL_WORDS, skip_transliteration=False)
    assert not hits, "words of the builder in the book:\n" + "\n".join(hits)


def test_the_note_on_the_text_states_the_soft_sign():
    note = (BOOK / "front" / "note-on-the-text.md").read_text("utf-8")
    assert re.search(rf"soft\s+sign[^.]*{SOFT_SIGN}", note), "the note on the text says how the soft sign is printed"


def test_the_scan_sees_a_variant_and_a_tool_word():
    """The scan itself: a planted variant, soft sign and tool word are found,
    a quotation of a source is not."""
    global MATTER
    saved = MATTER
    try:
        MATTER = [("x", "text", "Iosif Vissarionovich Stalin read seeds/x.txt; Ignat'ev; "
                                "“Lavrenti P. Beria” is the source's.")]
        assert _hits([r"\bIosif"], skip_transliteration=True)
        assert _hits(TOOL_WORDS, skip_transliteration=False)
        assert _hits([r"[A-Za-z]'(?!(?:s|t|d|m|re|ve|ll)\b)[a-z]"], skip_transliteration=False)
        assert not _hits([r"\bLavrenti(?!i)"], skip_transliteration=True)
    finally:
        MATTER = saved


# -- Pages ---------------------------------------------------------------------------------

CITE = re.compile(r"\{cite:[a-z]+\}`([^`]*)`")
CITED = re.compile(r"^(?:\{[^{}]*\})?([A-Za-z0-9_-]+)(?:\{([^{}]*)\})?$")


def _citations():
    """(where, key, page) of every work the editor cites ("" where no page):
    by a role, or by a register's or event's ``refs`` (which give no page)."""
    for name, table in (("persons.toml", "person"), ("glossary.toml", "term"), ("chronology.toml", "event")):
        for entry in _toml(BOOK / name).get(table, []):
            for key in entry.get("refs", []):
                yield f"{name}:{entry.get('id', entry.get('date'))}", key, ""
    for where, _, text in MATTER:
        for m in CITE.finditer(text):
            for item in m.group(1).split(","):
                cited = CITED.match(item.strip())
                assert cited is not None, (where, item)
                yield where, cited.group(1), cited.group(2) or ""


def _pageless_list() -> set[str]:
    """The works the note on the text names as cited without a page."""
    note = (BOOK / "front" / "note-on-the-text.md").read_text("utf-8")
    (paragraph,) = [p for p in note.split("\n\n") if "No page is given" in p]
    return set(re.findall(r"\{cite:t\}`([^`]+)`", paragraph))


def test_every_citation_of_a_printed_work_has_a_page_or_is_on_the_documented_list():
    from pybtex.database import parse_file

    entries = parse_file(str(ROOT / "refs.bib")).entries
    printed = {key for key, e in entries.items() if e.type != "online"}
    own = {e.bibkey for e in load_catalog(ROOT / "seeds")}   # the edition's texts: cited by paragraph
    listed = _pageless_list()
    citations = list(_citations())
    assert len(citations) > 100
    missing = sorted({(where, key) for where, key, page in citations
                      if not page and key in printed - own and key not in listed})
    assert not missing
    # The list names printed works the editor does cite without a page, and nothing else.
    assert listed <= printed - own
    assert listed <= {key for where, key, page in citations if not page and "note-on-the-text" not in where}
