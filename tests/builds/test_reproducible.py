"""Reproducible outputs: two clean builds of the same sources with the same
SOURCE_DATE_EPOCH, in different folders, give identical HTML files (the EPUB
and the PDF are compared byte for byte in test_epub.py and test_pdf.py)."""

from __future__ import annotations

from edition.build import build

SEED = "A Title\n\nA paragraph about Beria and the Presidium, with a note.\n\nAnother paragraph.\n"
NOTE = '[[note]]\nid = "n"\nanchor = "with a note."\ntext = "An editorial note."\n'


def test_two_clean_builds_give_identical_html(tmp_path, monkeypatch, project_writer):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    trees = []
    for name in ("first", "second"):
        proj = project_writer(tmp_path / name, {"one": SEED.encode()}, {"one": NOTE})
        build(proj, ("html",), quiet=True)
        root = proj.build_dir / "html"
        trees.append({p.relative_to(root).as_posix(): p.read_bytes()
                      for p in sorted(root.rglob("*")) if p.is_file()})
    assert trees[0].keys() == trees[1].keys()
    differing = [name for name in trees[0] if trees[0][name] != trees[1][name]]
    assert differing == []
