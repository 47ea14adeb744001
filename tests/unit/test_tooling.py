"""The benchmark's like-for-like baseline (edition/baseline.py): the book the
edition builds, turned into Pandoc's Markdown with every word, note and
citation kept and no MyST syntax left for Pandoc to print as text."""

from __future__ import annotations

import re
import subprocess

import pytest

from edition.tooling.baseline import (
    book_files,
    book_names,
    commands,
    pandoc_markdown,
    print_stylesheet,
    write_sources,
)

# Any MyST role (`{name}` before a backtick), directive fence or label left over.
LEFT_OVER = re.compile(r"\{[A-Za-z][\w:.-]*\}`|^```|^\([^)\s]+\)=$", re.M)

MYST = """% Generated: a MyST comment.

(text-one)=
# A Title

```{container} headnote
**Author:** Somebody
```

(one-p1)=
1\\. A paragraph naming [Beria]{.person .person-beria}[^ed-person-beria], a
{term}`plenum <Plenum (of the Central Committee)>` and {ref}`Persons <person-beria>`,
citing {cite:p}`freeze2009,naumov1999beriia` and {cite:t}`furr2005struggle`, with the
source's own words [Freeze 409]{.bibcite .bibkey-freeze2009}{cite:empty}`freeze2009`;
see {para}`one 35` and {ref}`one-notes`.

(one-notes)=
## The Notes

```{glossary}
:sorted:

Plenum
   A meeting of the whole
   Central Committee.

Kolkhoz
   A collective farm.
```

[^ed-person-beria]: **Lavrentii Pavlovich Beria** (1899–1953). See {ref}`Persons <person-beria>`.
"""


def test_myst_becomes_pandoc_markdown_with_every_word_kept(tmp_path):
    source = tmp_path / "one.md"
    source.write_text(MYST, encoding="utf-8")
    text = pandoc_markdown(source, prefix="f1", texts={"one": "One"}, sections={"one-notes": "The Notes"})
    assert "Generated" not in text and "(text-one)=" not in text and "(one-p1)=" not in text
    assert not LEFT_OVER.search(text)
    assert "::: {.headnote}\n**Author:** Somebody\n:::" in text
    assert "[Beria]{.person .person-beria}[^f1-ed-person-beria]" in text
    assert "[^f1-ed-person-beria]: **Lavrentii Pavlovich Beria** (1899–1953). See Persons." in text
    assert "a\nplenum and Persons," in text
    assert "citing [@freeze2009; @naumov1999beriia] and @furr2005struggle" in text
    assert "[Freeze 409]{.bibcite .bibkey-freeze2009};" in text   # the words, once
    assert "see One ¶35 and The Notes." in text      # as the edition prints them
    assert "\nKolkhoz\n\n:   A collective farm.\n\nPlenum\n\n:   A meeting of the whole Central Committee.\n" in text


def test_the_whole_book_converts_with_every_note_defined_once(project):
    files = book_files(project.book_dir)
    assert files[0].name == "index.md" and len(files) == 12
    assert [f.stem for f in files if f.parent.name == "texts"] == [
        "dunayevskaya-beria-purge", "furr-beria-reform", "blog-genuine-desire"]
    texts, sections = book_names(project.root, files)
    assert texts["dunayevskaya-beria-purge"] == "Dunayevskaya" and sections["rights"] == "Sources and rights"
    calls, definitions = [], []
    for number, path in enumerate(files):
        text = pandoc_markdown(path, prefix=f"f{number}", texts=texts, sections=sections)
        assert not LEFT_OVER.search(text), path
        definitions += re.findall(r"^\[\^([^\]]+)\]:", text, re.M)
        calls += re.findall(r"\[\^([^\]]+)\](?!:)", text)
    assert len(definitions) == len(set(definitions)) == len(set(calls)) > 50
    assert set(calls) == set(definitions)


def test_pandocs_pdf_gets_the_editions_page_design(project, tmp_path):
    css = print_stylesheet()
    assert "@page { size: A5;" in css and 'font-family: "Charis SIL"' in css
    assert "span.footnote {\n  float: footnote;" in css
    steps = commands("pandoc", "weasyprint", project.root, tmp_path, "pdf", [])
    assert steps[-1] == ["weasyprint", str(tmp_path / "print.html"), str(tmp_path / "book.pdf")]
    assert "--lua-filter" in steps[-2] and "--citeproc" in steps[-2]


def test_pandoc_sets_the_same_book_with_every_note_at_its_page_foot(project, tmp_path):
    pypandoc = pytest.importorskip("pypandoc", reason="Pandoc comes with the bench extra")
    write_sources(project.root, tmp_path)
    steps = commands(pypandoc.get_pandoc_path(), "weasyprint", project.root, tmp_path, "pdf", [])
    result = subprocess.run(steps[-2], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    html = (tmp_path / "print.html").read_text("utf-8")
    notes = re.findall(r'<span\s+class="footnote"\s+data-label="(\d+)">', html)
    assert len(notes) > 50 and notes == [str(n) for n in range(1, len(notes) + 1)]
    assert "Charis SIL" in html and "size: A5" in html
    assert 'id="refs"' in html and "Naumov" in html      # citeproc's bibliography


def test_the_benchmark_alternates_which_build_comes_first_in_a_round(monkeypatch, tmp_path):
    """Rounds interleave ours and Pandoc's; every other round starts with
    Pandoc's, so that a build's place in its round is not always the same
    (the floor always follows ours: it lays out ours' print HTML)."""
    from edition.tooling import bench

    calls = []
    measure = bench.Measure(1.0, 1.0)
    monkeypatch.setattr(bench, "ours_once", lambda *a: calls.append("ours") or measure)
    monkeypatch.setattr(bench, "pandoc_once",
                        lambda *a, same_book: calls.append("book" if same_book else "seeds") or measure)
    monkeypatch.setattr(bench, "render_alone", lambda *a: calls.append("floor") or measure)
    compared = bench.compare(tmp_path, None, 4, tmp_path)
    assert calls == ["ours", "book", "seeds", "floor", "book", "seeds", "ours", "floor"] * 2
    assert compared.ratio == 1.0 and compared.floor_ratio == 1.0


def test_the_benchmarks_note_edit_works_on_any_book_and_undoes(tmp_path):
    from edition.authoring.new import new_project
    from edition.tooling.bench import NOTE_EDIT, _edit_note

    project = new_project(tmp_path / "book", title="Any Book", subtitle="S", editor="E")
    path = project.apparatus_path("sample-letter")
    before = path.read_bytes()
    _edit_note(project.root)
    assert f'text = "{NOTE_EDIT}The archivist' in path.read_text("utf-8")
    _edit_note(project.root, undo=True)
    assert path.read_bytes() == before
