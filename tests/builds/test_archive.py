"""The archival PDF (PDF/A-3b) carries the files the edition is made from:
the source texts and their catalogue, the book's settings, the apparatus,
the registers and refs.bib (relationship Source), and the edition's TEI
(Data). What it carries is byte for byte the repository's, and is enough
to make the edition's chapters again."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.archive import carried
from edition.build import build
from edition.project import Project
from edition.render import chapters
from edition.schemas import validate_tei
from edition.settings import read_book

pytestmark = pytest.mark.docbuild


@pytest.fixture(scope="module")
def archival(project, tmp_path_factory) -> Path:
    built = Project(project.root, build_root=tmp_path_factory.mktemp("archival"))
    build(built, ("pdf",), quiet=True, pdf_variant="pdf/a-3b")
    return built.build_dir / "pdf" / "beria-1953.pdfa-3b.pdf"


@pytest.fixture(scope="module")
def attached(archival) -> dict[str, tuple[bytes, str]]:
    """Each associated file of the archival PDF: its bytes and relationship."""
    from pypdf import PdfReader

    reader = PdfReader(archival)
    relationships = {str(spec.get_object()["/F"]): str(spec.get_object()["/AFRelationship"])
                     for spec in reader.trailer["/Root"]["/AF"]}
    return {name: (data[0], relationships[name]) for name, data in reader.attachments.items()}


def test_the_archival_pdf_carries_the_sources_byte_for_byte(attached, project):
    book = read_book(project)
    sources = carried(project, book.words)
    names = [c.name for c in sources]
    assert names[:3] == ["seeds/dunayevskaya-beria-purge.txt", "seeds/furr-beria-reform.txt",
                         "seeds/blog-genuine-desire.txt"]
    assert {"seeds/catalog.toml", "book/conf.py", "refs.bib", "book/persons.toml", "book/glossary.toml",
            "book/chronology.toml", "book/apparatus/furr-beria-reform.toml"} <= set(names)
    for source in sources:
        data, relationship = attached[source.name]
        assert data == (project.root / source.name).read_bytes(), source.name
        assert relationship == "/Source"


def test_the_archival_pdf_carries_the_valid_tei_as_data(attached, tmp_path):
    data, relationship = attached["beria-1953.xml"]
    assert relationship == "/Data"
    tei = tmp_path / "beria-1953.xml"
    tei.write_bytes(data)
    assert validate_tei(tei) == []
    assert b'<pb ed="pdf" n="1"/>' in data   # with the printed pages of the PDF that carries it


def test_the_carried_files_alone_make_the_chapters_again(attached, project, tmp_path):
    """Written out under their names, the files the PDF carries are a
    project whose chapters and generated pages are the edition's own."""
    for name, (data, _) in attached.items():
        if name.endswith(".xml"):
            continue
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    again = chapters.prepare(Project(tmp_path))
    made = {path.relative_to(tmp_path).as_posix(): text for path, text in again.pages.items()}
    assert {"book/texts/dunayevskaya-beria-purge.md", "book/generated/persons.md"} <= set(made)
    for name, text in made.items():
        assert text == (project.root / name).read_text("utf-8"), name
