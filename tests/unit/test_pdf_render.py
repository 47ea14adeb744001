"""The PDF's rendering (edition.sphinxext.pdf.render), without Sphinx: the
garbage collector paced while WeasyPrint lays out, and restored after."""

from __future__ import annotations

import pytest


def test_the_collector_is_paced_while_weasyprint_lays_out_and_restored_after(tmp_path, monkeypatch):
    import gc

    from weasyprint import HTML

    from edition.sphinxext.pdf.render import LAYOUT_GC_THRESHOLDS, render_pdf

    seen = []
    render = HTML.render

    def spying_render(self, *args, **kwargs):
        seen.append(gc.get_threshold())
        return render(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", spying_render)
    before = gc.get_threshold()
    page = tmp_path / "print.html"
    page.write_text("<p>A page.</p>", encoding="utf-8")
    render_pdf(page, tmp_path / "book.pdf")
    assert seen == [LAYOUT_GC_THRESHOLDS] != [before]
    assert gc.get_threshold() == before
    assert (tmp_path / "book.pdf").read_bytes().startswith(b"%PDF")


def test_the_collectors_pace_is_restored_when_the_layout_fails(tmp_path, monkeypatch):
    import gc

    from weasyprint import HTML

    from edition.sphinxext.pdf.render import render_pdf

    def failing_render(self, *args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(HTML, "render", failing_render)
    before = gc.get_threshold()
    page = tmp_path / "print.html"
    page.write_text("<p>A page.</p>", encoding="utf-8")
    with pytest.raises(RuntimeError, match="layout failed"):
        render_pdf(page, tmp_path / "book.pdf")
    assert gc.get_threshold() == before
    assert not (tmp_path / "book.pdf").exists()


