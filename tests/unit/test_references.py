"""Every reference the editor writes resolves before Sphinx runs: ``{cite}``,
``{term}``, ``{para}`` and ``{ref}`` in the apparatus notes, the glossary, the
chronology and the hand-written pages, each broken one an error naming the
file and the entry (a page: its line)."""

from __future__ import annotations

import re

import pytest

from edition.apparatus.chronology import ChronologyError
from edition.apparatus.references import MatterError, matter_pages, scan
from edition.apparatus.registers import RegistryError
from edition.errors import ApparatusError
from edition.render.chapters import prepare

SEEDS = {"one": b"One\n\nA paragraph.\n", "two": b"Two\n\nAnother paragraph.\n"}
PERSONS = '[[person]]\nid = "beria"\nname = "Beria"\nsort = "Beria, L. P."\ndescription = "{desc}"\n'
GLOSSARY = ('[[term]]\nid = "presidium"\nterm = "Presidium"\ndefinition = "{definition}"\n'
            'spellings = ["Presidium"]\n')
CHRONOLOGY = '[[event]]\ndate = "1953-06-26"\ndisplay = "26 June 1953"\ntext = "{text}"\n'
NOTE = '[[note]]\nid = "n"\nanchor = "A paragraph."\ntext = "{text}"\n'
PAGE = "(intro)=\n# Introduction\n\n{text}\n"


def toml(text: str) -> str:
    """A role as a TOML basic string's content."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def build(make_project, note="A note.", definition="A body.", event="Arrested.",
          page="Some words.", desc="A man.", registers=True, extra=None):
    files = {"chronology.toml": CHRONOLOGY.format(text=toml(event))}
    if registers:
        files["persons.toml"] = PERSONS.format(desc=toml(desc))
        files["glossary.toml"] = GLOSSARY.format(definition=toml(definition))
    proj = make_project(SEEDS, {"one": NOTE.format(text=toml(note))}, files=files)
    (proj.book_dir / "front").mkdir()
    (proj.book_dir / "front" / "intro.md").write_text(PAGE.format(text=page), encoding="utf-8")
    for name, text in (extra or {}).items():
        (proj.book_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (proj.book_dir / name).write_text(text, encoding="utf-8")
    return proj


# Each place: the argument of build() that puts a text there, the error, and
# where the message says it is ("file:entry: " or "file:line: ").
PLACES = {
    "note": ("note", ApparatusError, r"apparatus/one\.toml:\[\[note\]\] id='n': "),
    "glossary": ("definition", RegistryError, r"glossary\.toml:\[\[term\]\] id='presidium': "),
    "chronology": ("event", ChronologyError, r"chronology\.toml:\[\[event\]\] #1 \(26 June 1953\): "),
    "front matter": ("page", MatterError, r"front/intro\.md:4: "),
}
BROKEN = {
    "cite": ("{cite}`nosuch2001`", r"\{cite\} names no entry 'nosuch2001' of refs\.bib"),
    "cite:p, second key": ("{cite:p}`knight1993beria, nosuch2001`",
                           r"\{cite:p\} names no entry 'nosuch2001' of refs\.bib"),
    "cite:t, pre and post": ("{cite:t}`{see}nosuch2001{p. 3}`",
                             r"\{cite:t\} names no entry 'nosuch2001' of refs\.bib"),
    "cite:ps, title": ("{cite:ps}`Them <nosuch2001>`", r"\{cite:ps\} names no entry 'nosuch2001'"),
    "cite, malformed": ("{cite:p}`a b`", r"\{cite:p\}`a b` is not a list of keys"),
    "term": ("{term}`Politburo`", r"\{term\} names no term 'Politburo' of book/glossary\.toml"),
    "term, explicit": ("{term}`the body <Politburo>`", r"\{term\} names no term 'Politburo'"),
    "para, paragraph": ("{para}`two 7`", r"\{para\}: two has no paragraph '7'"),
    "para, text": ("{para}`three 1`", r"\{para\} names no text 'three'"),
    "para, form": ("{para}`two`", r"\{para\} wants 'slug N' \(or 'slug N, M, K-L'\), not 'two'"),
    "person": ("{ref}`person-stalin`", r"\{ref\} names no person 'stalin' of book/persons\.toml"),
    "person, explicit": ("{ref}`Stalin <person-stalin>`", r"\{ref\} names no person 'stalin'"),
    "ref": ("{ref}`no-such-label`", r"\{ref\} names no label 'no-such-label'"),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", BROKEN)
def test_a_broken_reference_names_the_file_and_the_entry(make_project, place, role):
    argument, error, where = PLACES[place]
    text, message = BROKEN[role]
    proj = build(make_project, **{argument: f"See {text} here."})
    with pytest.raises(error, match=where + message) as caught:
        prepare(proj)
    assert str(caught.value).startswith(str(proj.book_dir))


GOOD = (
    "{cite:p}`knight1993beria`, {cite:t}`{see}knight1993beria{p. 3}, gorlizki2004cold`, "
    "{cite:ps}`Knight <knight1993beria>`, {footcite}`brent2003plot`, "
    "{term}`presidium`, {term}`the  body\nof ten <PRESIDIUM>`, {term}`!nothing`, "
    "{para}`two 1`, {ref}`person-beria`, {ref}`Beria <Person-Beria>`, {ref}`persons`, "
    "{ref}`glossary`, {ref}`chronology`, {ref}`rights`, {ref}`one-p1`, {ref}`text-two`, "
    "{ref}`intro`, {ref}`Later <later>`, {ref}`genindex`, {doc}`/nosuch`, "
    "`{cite}`nosuch` in code`, \\{term}`nothing`"
)


def test_references_that_resolve_pass_everywhere(make_project):
    later = "# Later\n\n(later)=\n## A section\n\n```{note}\n:class: aside\n" + GOOD + "\n```\n"
    proj = build(make_project, note=GOOD, definition=GOOD, event=GOOD, page=GOOD,
                 extra={"back/later.md": later})
    prepare(proj)


def test_a_description_is_myst(make_project):
    prepare(build(make_project, desc="Minister {cite:p}`knight1993beria`, see {ref}`persons`."))


def test_a_role_in_a_description_is_checked(make_project):
    proj = build(make_project, desc="Minister {cite:p}`nosuch2001`.")
    with pytest.raises(RegistryError, match=r"persons\.toml:\[\[person\]\] id='beria': "
                       r"\{cite:p\} names no entry 'nosuch2001' of refs\.bib"):
        prepare(proj)


def test_a_role_in_a_reason_is_checked(make_project):
    proj = make_project(SEEDS, {"one": '[[sic]]\nid = "s"\nanchor = "paragraph"\n'
                                       'reason = "As {cite:p}`nosuch2001` has it."\n'})
    with pytest.raises(ApparatusError, match=r"one\.toml:\[\[sic\]\] id='s': "
                       r"\{cite:p\} names no entry 'nosuch2001' of refs\.bib"):
        prepare(proj)


def test_a_role_in_an_omissions_reason_is_an_error(make_project):
    proj = make_project(SEEDS, {"one": '[[omission]]\nid = "o"\nanchor = "paragraph"\n'
                                       'reason = "as {term}`x` has it"\n'})
    with pytest.raises(ApparatusError, match=r"one\.toml:\[\[omission\]\] id='o': \{term\} in the reason"):
        prepare(proj)


def test_without_a_glossary_a_term_is_an_error(make_project):
    proj = build(make_project, registers=False, note="The {term}`Presidium`.")
    with pytest.raises(ApparatusError, match=r"id='n': \{term\} names the term 'Presidium', "
                       r"but the book has no glossary \(add it to book/glossary\.toml\)"):
        prepare(proj)


def test_without_a_register_of_persons_a_person_is_an_error(make_project):
    proj = build(make_project, registers=False, page="{ref}`person-beria`")
    with pytest.raises(MatterError, match=r"intro\.md:4: \{ref\} names no person 'beria'"):
        prepare(proj)


def test_a_glossary_of_a_hand_written_page_defines_terms(make_project):
    glossary = "# Words\n\n```{glossary}\n:sorted:\n\nPolitburo\n   The party's {term}`Politburo` ({cite:p}`knight1993beria`).\n```\n"
    proj = build(make_project, registers=False, note="The {term}`politburo`.",
                 extra={"back/words.md": glossary})
    prepare(proj)


def test_the_generated_pages_and_build_folders_are_not_hand_written(make_project):
    proj = build(make_project, extra={"_build/x.md": "{cite}`nosuch`", ".cache/y.md": "{cite}`nosuch`",
                                      "generated/old.md": "{cite}`nosuch`"})
    names = [p.relative_to(proj.book_dir).as_posix() for p in matter_pages(proj)]
    assert names == ["bibliography.md", "front/intro.md", "index.md"]


def test_lines_of_the_roles_in_a_page():
    text = ("(top)=\n"                                   # 1
            "# A {term}`head`\n"                          # 2
            "\n"
            "- item ``{cite}`quoted` `` then {cite:p}`a`\n"  # 4
            "  and {ref}`spans\n"                         # 5
            "  two lines`\n"
            "\n"
            "```{note}\n"                                  # 8
            ":name: the-note\n"
            "Inside {para}`x 1`.\n"                       # 10
            "```\n"
            "\n"
            "```python\n{term}`code`\n```\n"               # 13-15: code, not read
            "\n"
            "[^f]: A footnote, {term}`f`,\n"               # 17
            "    then {term}`g`.\n")                       # 18
    found = scan(text)
    assert [(u.role, u.text, u.line) for u in found.uses] == [
        ("term", "head", 2), ("cite:p", "a", 4), ("ref", "spans two lines", 5),
        ("para", "x 1", 10), ("term", "f", 17), ("term", "g", 18)]
    assert found.labels == {"top", "the-note"}


def test_the_real_book_resolves(project):
    from edition.apparatus import references

    seen = []
    original = references.problem

    def spy(targets, use):
        seen.append(use.role)
        return original(targets, use)

    references.problem = spy
    try:
        prepare(project)
    finally:
        references.problem = original
    assert {"cite:p", "term", "para", "ref"} <= set(seen)
    assert len(seen) >= sum(len(re.findall(r"\{(?:cite:p|term|para|ref)\}`", p.read_text(encoding="utf-8")))
                            for p in matter_pages(project))
