"""The editor's fields of the generated matter are inline MyST, like the notes:
a person's description and identification, a text's publication, source and
rights print a title of a work in italics (``*Pravda*``) and check their roles;
a value that could open a block is refused, naming the file and the entry."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from myst_parser.parsers.docutils_ import Parser

from edition.apparatus.registers import RegistryError
from edition.errors import CatalogError
from edition.render.chapters import prepare

SEEDS = {"one": b"One\n\nBeria spoke.\n"}
PERSON = ('[[person]]\nid = "beria"\nname = "Beria"\nsort = "Beria, L. P."\n'
          'spellings = ["Beria"]\ndescription = "{desc}"\nidentification = "{ident}"\n')


def toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def project(make_project, desc="A man.", ident="A man", publication=None):
    proj = make_project(SEEDS, files={"persons.toml": PERSON.format(desc=toml(desc), ident=toml(ident))})
    if publication is not None:
        text = proj.catalog_path.read_text(encoding="utf-8")
        proj.catalog_path.write_text(text.replace('publication = "a test fixture"',
                                                  f'publication = "{toml(publication)}"'), encoding="utf-8")
    return proj


def emphasised(myst: str) -> list[str]:
    settings = get_default_settings(Parser)
    settings.report_level = 5
    settings.myst_enable_extensions = ["attrs_inline"]
    document = new_document("<page>", settings)
    Parser().parse(myst, document)
    return [node.astext() for node in document.findall(nodes.emphasis)]


def test_a_title_in_a_description_is_emphasis_on_the_persons_page(make_project):
    proj = project(make_project, desc="Editor of *Pravda*.", ident="Editor of *Pravda*")
    edition = prepare(proj)
    page = edition.pages[proj.generated_dir / "persons.md"]
    assert "Editor of *Pravda*." in page
    assert "Pravda" in emphasised(page)
    # And in the note at the first mention, from the identification.
    assert "Pravda" in emphasised(edition.pages[proj.chapter_path("one")])


def test_a_title_in_the_publication_is_emphasis_on_the_rights_page_and_in_the_headnote(make_project):
    proj = project(make_project, publication="*Correspondence*, 3 October 1953")
    edition = prepare(proj)
    assert "Correspondence" in emphasised(edition.pages[proj.generated_dir / "rights.md"])
    assert "Correspondence" in emphasised(edition.pages[proj.chapter_path("one")])


BLOCKS = {
    "heading": "# Editor",
    "fence": "```{include} /etc/passwd",
    "list item": "- editor",
    "line break": "Editor\n\n# of Pravda",
    "quotation": "> editor",
    "target": "(person-x)=",
}


@pytest.mark.parametrize("field", ["description", "identification"])
@pytest.mark.parametrize("value", BLOCKS.values(), ids=BLOCKS.keys())
def test_a_person_field_that_opens_a_block_is_refused(make_project, field, value):
    proj = project(make_project, **{"desc" if field == "description" else "ident": value})
    with pytest.raises(RegistryError, match=rf"persons\.toml:\[\[person\]\] id='beria': the {field} "
                       r"(has a line break|starts with .* which would open a block)") as caught:
        prepare(proj)
    assert str(caught.value).startswith(str(proj.book_dir))


@pytest.mark.parametrize("value", BLOCKS.values(), ids=BLOCKS.keys())
def test_a_catalogue_field_that_opens_a_block_is_refused(make_project, value):
    proj = project(make_project, publication=value)
    with pytest.raises(CatalogError, match=r"catalog\.toml:\[\[text\]\] slug='one': the publication "
                       r"(has a line break|starts with .* which would open a block)"):
        prepare(proj)


def test_a_role_in_the_catalogue_is_checked(make_project):
    proj = project(make_project, publication="As {cite:t}`nosuch2001` has it")
    with pytest.raises(CatalogError, match=r"catalog\.toml:\[\[text\]\] slug='one': "
                       r"\{cite:t\} names no entry 'nosuch2001' of refs\.bib"):
        prepare(proj)


def test_each_text_has_the_editors_headnote_after_its_source_details():
    """The catalogue's headnote: who wrote the text, when, for whom, where it
    stands; set in the headnote, after the rows of source details."""
    from pathlib import Path

    from edition.project import Project

    for chapter in prepare(Project(Path(__file__).resolve().parents[2])):
        headnote = chapter.myst.split("```{container} headnote\n", 1)[1].split("\n```", 1)[0]
        rows, paragraph = headnote.rsplit("\n\n", 1)
        assert "**Rights:**" in rows and paragraph == chapter.seed.entry.headnote and len(paragraph) > 200
