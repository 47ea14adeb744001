"""The builder speaks the book's language and names no book: the words
tables, the settings read from conf.py, register pages from the registers'
own [page], and generated pages that go when their source goes."""

from __future__ import annotations

import pytest

from edition.errors import EditionError
from edition.render import chapters
from edition.settings import read_book
from edition.words import _table, languages, words_for

SEED = b"A Title\n\nA first paragraph about Anna Smith.\n\nA second paragraph.\n"
PERSON = ('[[person]]\nid = "smith"\nname = "Anna Smith"\nsort = "Smith, Anna"\n'
          'description = "A person."\nspellings = ["Anna Smith"]\n')
EVENT = '[[event]]\ndate = "{date}"\ndisplay = "{date}"\ntext = "Something happens."\n'


def test_every_language_has_every_word_and_every_placeholder():
    """Each table of its own, not merged with English: a word it lacks would
    be printed in English."""
    from string import Formatter

    english = _table("en")
    for code in languages():
        own = _table(code)
        assert set(own) == set(english), (code, set(english) ^ set(own))
        for key, text in own.items():
            fields = {f for _, f, _, _ in Formatter().parse(text) if f}
            assert fields == {f for _, f, _, _ in Formatter().parse(english[key]) if f}, (code, key)
        assert words_for(code).language == code


def test_a_language_without_a_table_is_english_and_regions_are_their_language():
    assert words_for("sw").language == "en" and words_for("sw")("contents") == "Contents"
    assert words_for("de_AT")("contents") == "Inhalt" and words_for("fr-CA")("notes") == "Notes"
    assert words_for("en").list(["a", "b", "c"]) == "a, b and c"
    assert words_for("de")("note-name.editor", mark="b") == "Anmerkung des Herausgebers b"


def test_settings_come_from_conf_py(make_project):
    proj = make_project({"one": SEED})
    conf = proj.book_dir / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace('language = "en"', 'language = "fr"'), "utf-8")
    book = read_book(proj)
    assert book.language == "fr" and book.words("contents") == "Table des matières"
    assert book.editor == "the Beria 1953 Edition Project" and "CC BY 4.0" in book.config.licence


def test_a_wrong_setting_names_conf_py(make_project):
    proj = make_project({"one": SEED})
    conf = proj.book_dir / "conf.py"
    conf.write_text(conf.read_text("utf-8") + "\nedition_book_face = {'family': 'X'}\n", "utf-8")
    with pytest.raises(EditionError, match=r"conf\.py: edition_book_face = .*needs at least 'family' and 'regular'"):
        read_book(proj)
    conf.write_text("project = (\n", "utf-8")
    with pytest.raises(EditionError, match=r"conf\.py:line 1: not valid Python"):
        read_book(proj)


def test_rights_page_names_the_books_editor_and_licence(make_project):
    proj = make_project({"one": SEED})
    conf = proj.book_dir / "conf.py"
    text = conf.read_text("utf-8").replace('edition_editor = "the Beria 1953 Edition Project"',
                                           'edition_editor = "Jane Roe"')
    conf.write_text(text, "utf-8")
    page = chapters.prepare(proj).pages[proj.generated_dir / "rights.md"]
    assert "the work of Jane Roe." in page and "Beria" not in page and "three" not in page


def test_register_pages_take_their_page_table_else_the_words(make_project):
    proj = make_project({"one": SEED}, files={"persons.toml": PERSON})
    page = chapters.prepare(proj).pages[proj.generated_dir / "persons.md"]
    assert "# Persons" in page and words_for("en")("persons.intro") in page
    (proj.book_dir / "persons.toml").write_text(
        '[page]\ntitle = "People"\nintro = "Who is who in the *letters*."\n\n' + PERSON, "utf-8")
    page = chapters.prepare(proj).pages[proj.generated_dir / "persons.md"]
    assert "# People" in page and r"Who is who in the \*letters\*." in page


@pytest.mark.parametrize("dates, title", [(("1950-01-02", "1953"), "Chronology, 1950–1953"),
                                          (("1953-03", "1953-06-26"), "Chronology, 1953")])
def test_the_chronologys_title_spans_its_events(make_project, dates, title):
    proj = make_project({"one": SEED}, files={"chronology.toml": "\n".join(EVENT.format(date=d) for d in dates)})
    page = chapters.prepare(proj).pages[proj.generated_dir / "chronology.md"]
    assert f"# {title}\n" in page


def test_a_page_whose_source_is_gone_is_stale_then_removed(make_project):
    proj = make_project({"one": SEED, "two": SEED.replace(b"first", b"other")},
                        files={"persons.toml": PERSON})
    chapters.write(chapters.prepare(proj))
    persons, two = proj.generated_dir / "persons.md", proj.chapter_path("two")
    assert persons.exists() and two.exists()
    (proj.book_dir / "persons.toml").write_text("# emptied\n", "utf-8")
    catalog = proj.catalog_path.read_text("utf-8")
    proj.catalog_path.write_text(catalog[:catalog.index('[[text]]\nslug = "two"')], "utf-8")
    edition = chapters.prepare(proj)
    assert {persons, two} <= set(chapters.stale(edition))
    chapters.write(edition)
    assert not persons.exists() and not two.exists()
    assert chapters.stale(chapters.prepare(proj)) == []


def test_an_installed_builder_carries_its_data_files():
    """`pip install` of the repository installs every file of the package that
    is not Python (words, the new project's template, themes, stylesheets):
    each is found by a pattern of package-data, as setuptools finds them."""
    import glob
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    covered = set()
    for package, patterns in config["tool"]["setuptools"]["package-data"].items():
        folder = root / "scripts" / package.replace(".", "/")
        for pattern in patterns:
            covered |= {(folder / p).resolve() for p in glob.glob(pattern, root_dir=folder, recursive=True)
                        if (folder / p).is_file()}
    package = root / "scripts" / "edition"
    data = {p.resolve() for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts}
    assert any(p.name == "conf.py.tmpl" for p in data) and any(p.name == "de.toml" for p in data)
    assert sorted(str(p.relative_to(package)) for p in data - covered) == []
