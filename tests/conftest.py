"""Shared fixtures: the real project, small throw-away projects built from
fixture seeds (for hostile input, broken apparatus and the like), and the
Sphinx test roots of the extension's behaviour tests (``roots/test-*``).

The tiers: ``unit/`` (a stage at a time, no Sphinx), ``sphinx/`` (the
extension on small test roots), ``compat/`` (the changes to other projects'
code against the stock code), ``builds/`` (whole projects and the edition,
built)."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest

from edition.project import Project

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = "sphinx.testing.fixtures"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot="x")`` finds ``test-x``."""
    return Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def edition(tmp_path_factory, project) -> Project:
    """The real edition, built once per session in all three formats and as TEI."""
    from edition.build import build
    from edition.project import ALL_FORMATS

    built = Project(project.root, build_root=tmp_path_factory.mktemp("edition-build"))
    build(built, ALL_FORMATS, quiet=True)
    return built


def write_project(base: Path, seeds: dict[str, bytes], apparatus: dict[str, str] | None = None,
                  refs_bib: str | None = None, files: dict[str, str] | None = None) -> Project:
    """A minimal edition project under ``base`` with the given seeds (slug → bytes),
    the real book configuration, optional apparatus files (slug → TOML) and
    other files of book/ (e.g. persons.toml; path → text)."""
    (base / "seeds").mkdir(parents=True)
    (base / "book" / "apparatus").mkdir(parents=True)
    catalog = []
    for slug, data in seeds.items():
        (base / "seeds" / f"{slug}.txt").write_bytes(data)
        catalog.append(textwrap.dedent(f"""\
            [[text]]
            slug = "{slug}"
            title = "Fixture {slug}"
            author = "unknown"
            date = "2026"
            publication = "a test fixture"
            source = "tests/conftest.py"
            rights = "none"
            received_as = "{slug}.txt"
            sha256 = "{hashlib.sha256(data).hexdigest()}"
            """))
    (base / "seeds" / "catalog.toml").write_text("\n".join(catalog), encoding="utf-8")
    for slug, toml in (apparatus or {}).items():
        (base / "book" / "apparatus" / f"{slug}.toml").write_text(toml, encoding="utf-8")
    if refs_bib is None:
        shutil.copy(ROOT / "refs.bib", base / "refs.bib")
    else:
        (base / "refs.bib").write_text(refs_bib, encoding="utf-8")
    shutil.copy(ROOT / "book" / "conf.py", base / "book" / "conf.py")
    shutil.copy(ROOT / "book" / "bibliography.md", base / "book" / "bibliography.md")
    for name, text in (files or {}).items():
        (base / "book" / name).write_text(text, encoding="utf-8")
    toc = "generated/rights\n" + "\n".join(f"texts/{slug}" for slug in seeds)
    if "persons.toml" in (files or {}):
        toc += "\ngenerated/persons"
    if "glossary.toml" in (files or {}):
        toc += "\ngenerated/glossary"
    (base / "book" / "index.md").write_text(
        f"# Fixture book\n\n```{{toctree}}\n{toc}\nbibliography\n```\n", encoding="utf-8"
    )
    return Project(base)


@pytest.fixture(scope="session")
def project_writer():
    """:func:`write_project`, for fixtures of a wider scope than a test."""
    return write_project


@pytest.fixture
def make_project(tmp_path):
    def make(seeds, apparatus=None, refs_bib=None, files=None):
        return write_project(tmp_path / "project", seeds, apparatus, refs_bib, files)
    return make


def note_and_call_pages(reader, note_ids: set[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The page index of each note (its named destination) and of its call
    (the first link to it), read from a PDF (a pypdf reader)."""
    notes = {name: reader.get_destination_page_number(dest)
             for name, dest in reader.named_destinations.items() if name in note_ids}
    calls: dict[str, int] = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            target = str(annot.get("/Dest") or (annot.get("/A") or {}).get("/D"))
            if target in note_ids:
                calls.setdefault(target, index)
    return notes, calls


def pdf_running_text(path: Path) -> str:
    """A PDF's running text in reading order, without what is set smaller
    (notes at the foot of the page, note calls, paragraph numbers, folios),
    so that a paragraph broken across pages reads on."""
    import pdfplumber

    with pdfplumber.open(path) as doc:
        return "\n".join(
            page.filter(lambda o: o.get("object_type") != "char" or o["size"] >= 9.4).extract_text()
            for page in doc.pages)


@pytest.fixture(scope="session")
def running_text():
    return pdf_running_text


@pytest.fixture(scope="session")
def note_pages():
    """:func:`note_and_call_pages`, for tests."""
    return note_and_call_pages
