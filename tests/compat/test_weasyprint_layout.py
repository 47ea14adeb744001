"""WeasyPrint's layout made linear (sphinxext/layout.py): each change is in
place on the pinned WeasyPrint and lays out exactly what WeasyPrint's own code
lays out."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

# A book in miniature with what the changes touch: margin boxes from @page
# rules (a :first page without them), running strings, page counters, page
# references forward (the contents), back (an index at the end) and within a
# chapter, a reference that also shows its own page's number, notes floated
# to the page foot, and a fixed box that every page repeats.
BOOK = """<html><head><style>
@page { size: A6; margin: 18mm 12mm;
  @top-center { content: string(chapter); font-size: 8pt }
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt } }
@page :first { @top-center { content: none } }
h1 { string-set: chapter content(); break-before: page; font-size: 14pt }
.note { float: footnote; font-size: 7pt }
a.ref::after { content: " p. " target-counter(attr(href), page) }
a.here::after { content: " p. " target-counter(attr(href), page) " on p. " counter(page) }
.stamp { position: fixed; top: -12mm; right: 0; font-size: 6pt }
</style></head><body>
<div class="stamp">Proof</div>
<nav>%s</nav>
%s
<h1 id="index">Index</h1>
%s
</body></html>"""

LAY_OUT = r"""
import json, sys
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import FootnoteAreaBox
import weasyprint.layout.block as block_layout
import weasyprint.layout.page as page_layout
notes_laid_out = []
switch = block_layout.block_level_layout_switch
def counting_switch(context, box, bottom_space, skip_stack, containing_block, *args):
    if isinstance(containing_block, FootnoteAreaBox):
        notes_laid_out.append(box.element_tag)
    return switch(context, box, bottom_space, skip_stack, containing_block, *args)
block_layout.block_level_layout_switch = counting_switch
if sys.argv[1] == "linear":
    from edition.sphinxext.layout import linear_layout
    assert all(linear_layout().values())
made = []
remake_page = page_layout.remake_page
def counting_remake_page(index, *args):
    made.append(index)
    return remake_page(index, *args)
page_layout.remake_page = counting_remake_page
document = HTML(string=sys.stdin.read()).render()
print(json.dumps({"made": made, "notes laid out": len(notes_laid_out), "pages": [
    [[type(box).__name__, round(box.position_x, 3), round(box.position_y, 3),
      getattr(box, "text", None)] for box in page._page_box.descendants()]
    for page in document.pages]}))
"""


def _book(chapters: int = 6, paragraphs: int = 7, own_page: bool = True,
          note_refs: bool = True) -> str:
    back = "here" if own_page else "ref"

    def note_ref(c: int, p: int) -> str:   # notes with page references, forward and back
        if note_refs and p == 1:
            return f' See <a class="ref" href="#c{(c + 1) % chapters}">chapter {(c + 1) % chapters}</a>.'
        return ""
    contents = "".join(f'<p><a class="ref" href="#c{c}">Chapter {c}</a></p>' for c in range(chapters))
    body = "".join(
        f'<h1 id="c{c}">Chapter {c}</h1>' + "".join(
            f'<p id="c{c}p{p}">Paragraph {c}.{p}, long enough to fill some lines of an A6 page '
            f'with words.<span class="note">Note {c}.{p}.{note_ref(c, p)}</span> More words follow the call '
            f'so that lines break around it'
            + (f' (<a class="{back}" href="#c{c}p{p - 1}">back to {c}.{p - 1}</a>)'
               if p else '')
            + '.</p>' for p in range(paragraphs))
        for c in range(chapters))
    index = "".join(f'<p>Entry {c}.{p}: <a class="ref" href="#c{c}p{p}">{c}.{p}</a></p>'
                    for c in range(chapters) for p in range(0, paragraphs, 2))
    return BOOK % (contents, body, index)


def _layout(mode: str, book: str) -> dict:
    result = subprocess.run([sys.executable, "-c", LAY_OUT, mode], input=book,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_linear_layout_is_in_place_on_the_pinned_weasyprint():
    from edition.sphinxext.layout import linear_layout

    assert linear_layout() == {"note list": True, "page styles": True, "anchor sets": True,
                               "page references": True, "fixed boxes": True,
                               "note layouts": True}


def test_the_linear_layout_lays_out_what_weasyprint_does():
    """Every box of every page, its place and its text, the same with the
    changes (a process each, as nothing is patched back); and the pages with
    references are made again fewer times."""
    book = _book()
    plain, linear = _layout("plain", book), _layout("linear", book)
    assert len(plain["pages"]) > 8 and linear["pages"] == plain["pages"]
    linear = linear["pages"]
    # What the changes touch is there to compare (A6 is 559 px high, its
    # margins 68 px): the stamp that page 1 fixes, on every other page; the
    # running head on every page but the first; page x of y; the contents'
    # page references, each to its chapter's page; every note.
    def texts(page, top=0, bottom=560):
        return [box[3] for box in page if box[3] and top <= box[2] < bottom]

    assert all("Proof" in texts(page) for page in linear[1:])
    assert not any(t.startswith("Chapter") for t in texts(linear[0], bottom=68))
    assert all(any(t.startswith(("Chapter", "Index")) for t in texts(page, bottom=68))
               for page in linear[1:])
    assert all(f"{number} / {len(linear)}" in texts(page, top=491)
               for number, page in enumerate(linear, 1))
    starts = {t: number for number, page in reversed(list(enumerate(linear[1:], 2)))
              for t in texts(page, top=68, bottom=491) if t.startswith("Chapter")}
    contents = texts(linear[0])
    for chapter in range(6):
        reference = contents[contents.index(f"Chapter {chapter}") + 1]
        assert reference == f" p. {starts[f'Chapter {chapter}']}"
    # Every reference back (within a chapter, and from the index) gives the
    # page its paragraph starts on; those within a chapter also their own.
    where = {}
    for number, page in enumerate(linear, 1):
        for text in texts(page, top=68, bottom=491):
            if found := re.match(r"(?:Paragraph|Entry) (\d\.\d)", text):
                where.setdefault(found[0], number)
    backs = 0
    for number, page in enumerate(linear, 1):
        line = " ".join(texts(page))
        for target, shown, own in re.findall(r"(\d\.\d) +p\. (\d+)(?: +on p\. (\d+))?", line):
            assert int(shown) == where[f"Paragraph {target}"], (number, target)
            assert int(own or number) == number
            backs += 1
    assert backs == 6 * 6 + 6 * 4
    texts = [" ".join(box[3] for box in page if box[3]) for page in linear]
    assert sum(len(re.findall(r"Note \d\.\d\.", text)) for text in texts) == 6 * 7


def test_pages_with_page_references_are_made_again_less_often():
    """WeasyPrint made every page with a page reference three times; now a
    page that refers back to earlier pages (the index) is made once, with
    its numbers, and one that refers forward (the contents) or to its own
    page (a paragraph naming the one before) twice. (A reference that shows
    its own page's number too still has its page made three times.)"""
    book = _book(own_page=False)
    plain, linear = _layout("plain", book), _layout("linear", book)
    assert linear["pages"] == plain["pages"]
    pages = len(linear["pages"])
    index = {number for number, page in enumerate(linear["pages"])
             if any(box[3] and box[3].startswith("Entry") for box in page)}
    again = linear["made"][pages:]
    assert 0 in again and len(again) == len(set(again))   # twice at most
    assert index and not index & set(again)
    assert len(plain["made"]) == 3 * pages > len(linear["made"])
    # A note that did not fit at its page's foot is sent on to the next page,
    # which was not made again: it is there once, not twice.
    notes = re.findall(r"Note \d\.\d\.", " ".join(box[3] for page in linear["pages"]
                                                 for box in page if box[3]))
    assert len(notes) == len(set(notes)) == 6 * 7


def test_each_note_is_laid_out_once():
    """WeasyPrint laid a page's notes out again for every note added to it,
    and once more at the end of the page (ten times per note here); now each
    note once, and a second time only where what it is laid out after differs
    (first in its area, or not: the margins it collapses with). The boxes
    are the same. (A note with a page reference is laid out each time: its
    text changes once the page is known; the test above has such notes.)"""
    book = _book(own_page=False, note_refs=False)
    plain, linear = _layout("plain", book), _layout("linear", book)
    assert linear["pages"] == plain["pages"]
    notes = 6 * 7
    assert notes <= linear["notes laid out"] < 1.25 * notes
    assert plain["notes laid out"] > 5 * notes


def test_weasyprints_note_list_answers_membership_by_identity_and_keeps_its_order():
    """sphinxext.layout._FootnoteList, WeasyPrint's list of notes still to place:
    membership in constant time must mean what ``in`` meant on the plain list
    (these boxes compare by identity), through every operation layout uses."""
    from edition.sphinxext.layout import _FootnoteList

    class Box:   # like WeasyPrint's boxes: no __eq__, hashable by identity
        pass

    a, b, c = Box(), Box(), Box()
    notes = _FootnoteList()
    for box in (a, b):
        notes.append(box)
    assert a in notes and b in notes and c not in notes and None not in notes
    copy = notes.copy()
    assert type(copy) is _FootnoteList and list(copy) == [a, b]
    notes.remove(a)
    assert a not in notes and list(notes) == [b] and a in copy   # the copy is its own
    notes.append(c)
    notes.insert(0, a)
    assert list(notes) == [a, b, c] and all(x in notes for x in (a, b, c))
    assert notes.pop() is c and c not in notes
    notes.append(b)   # twice, as a list may hold it
    notes.remove(b)
    assert b in notes and list(notes) == [a, b]
    with pytest.raises(ValueError):
        notes.remove(c)
    notes.clear()
    assert not notes and a not in notes
    with pytest.raises(TypeError):
        notes[0:0] = [a]   # an operation it does not index is refused, not silently wrong


def test_weasyprint_layouts_get_the_indexed_note_list(tmp_path):
    """The PDF build's WeasyPrint keeps its notes in the indexed list (the
    plain list made a book's layout quadratic in its notes), and notes are
    still placed: each on its call's page."""
    from weasyprint import HTML
    from weasyprint.layout import LayoutContext

    from edition.sphinxext.layout import _FootnoteList, index_footnotes

    assert index_footnotes()
    seen = []
    original = LayoutContext.layout_footnote

    def layout_footnote(self, footnote):
        seen.append(type(self.footnotes))
        return original(self, footnote)

    LayoutContext.layout_footnote = layout_footnote
    try:
        html = "".join(f"<p>Paragraph {i}<span style='float: footnote'>Note {i}.</span></p>"
                       for i in range(60))
        document = HTML(string=f"<style>@page {{ size: A6 }}</style>{html}").render()
    finally:
        LayoutContext.layout_footnote = original
    assert len(seen) == 60 and set(seen) == {_FootnoteList}
    for page in document.pages:
        text = " ".join(box.text for box in page._page_box.descendants() if hasattr(box, "text"))
        calls = {int(w) for w in re.findall(r"Paragraph (\d+)", text)}
        notes = {int(w) for w in re.findall(r"Note (\d+)\.", text)}
        assert calls and calls == notes



def test_the_collector_is_paced_while_weasyprint_lays_out_and_restored_after(tmp_path, monkeypatch):
    import gc

    from weasyprint import HTML

    from edition.sphinxext.layout import LAYOUT_GC_THRESHOLDS
    from edition.sphinxext.pdf.render import render_pdf

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


def test_code_without_its_source_is_left_as_it_is():
    """A WeasyPrint installed without its .py files: nothing is changed (the
    layout is only slower), nothing fails."""
    import types

    from edition.sphinxext.layout import _source_is, rewrite_function

    module = types.ModuleType("no_source")
    exec("def f():\n    return 'a'\n", vars(module))   # no file behind it
    assert rewrite_function(module, "f", [("'a'", "'b'")]) is False
    assert module.f() == "a"
    assert _source_is(module.f, "0" * 64) is False
