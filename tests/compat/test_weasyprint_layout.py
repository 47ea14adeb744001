"""The changes to WeasyPrint's layout (edition.compat.weasyprint) lay out
exactly what WeasyPrint's own code lays out; and where one cannot be made
(a name removed, a source changed: another release), the stock code runs
and the PDF is the same bytes as stock WeasyPrint's."""

from __future__ import annotations

import json
import re
import subprocess
import sys

# A book in miniature with what the changes touch: margin boxes from @page
# rules (a :first page without them), running strings, page counters, page
# references forward (the contents), back (an index at the end) and within a
# chapter, a reference that also shows its own page's number, notes floated
# to the page foot, and a fixed box that every page repeats.
BOOK = """<html><head><meta name="dcterms.created" content="2020-01-01T00:00:00Z">
<meta name="dcterms.modified" content="2020-01-01T00:00:00Z"><style>
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
if sys.argv[1] == "speedups":
    from edition.compat import apply, weasyprint
    made = apply(weasyprint.SPEEDUPS)
    assert not made.skipped, made.skipped
document = HTML(string=sys.stdin.read()).render()
print(json.dumps({"pages": [
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


def test_the_speedups_lay_out_what_weasyprint_does():
    """Every box of every page, its place and its text, the same with the
    speed-ups as without (a process each)."""
    book = _book()
    plain, linear = _layout("stock", book), _layout("speedups", book)
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


# In a process of its own: for each name a change looks up, the name removed
# while the changes are planned, then its source changed (an equivalent
# wrapper), as a new release would have them. The change is skipped and none
# of its parts made; the others are made; the PDF is the same bytes as
# without that change.
TAMPER = r"""
import json, sys
from weasyprint import HTML
from edition import compat
from edition.compat import guard, pybtex, weasyprint as changes_to_weasyprint

book, rule_book = sys.stdin.read().split("\f")
render = lambda text=book: HTML(string=text).write_pdf(pdf_identifier=True)
stock, rule_stock = render(), render(rule_book)
changes = [*changes_to_weasyprint.TYPESETTING, *changes_to_weasyprint.SPEEDUPS, *pybtex.SPEEDUPS]
made = compat.apply(changes)
assert not made.skipped, made.skipped
everything, rule_everything = render(), render(rule_book)
compat.revert(made)

# What each change looks up.
looked_up = {}
for module in (changes_to_weasyprint, pybtex):
    def recording(name, *path, _look_up=guard.look_up):
        found = _look_up(name, *path)
        if path:
            looked_up.setdefault(current, []).append((name, path))
        return found
    module.look_up = recording
guard.forget()   # each change planned anew, its lookups recorded
for current in changes:
    current = current.name
    compat.revert(compat.apply([compat.CHANGES[current]]))
for module in (changes_to_weasyprint, pybtex):
    module.look_up = guard.look_up

cases = []
for change in changes:
    for name, path in dict.fromkeys(looked_up[change.name]):
        owner = guard.look_up(name, *path[:-1])
        attribute = path[-1]
        stock_value = getattr(owner, attribute)
        if isinstance(stock_value, type):
            tampered = type(stock_value.__name__, (stock_value,), {})
        elif callable(stock_value):
            def tampered(*args, _stock=stock_value, **kwargs):
                return _stock(*args, **kwargs)
        else:
            continue
        for how in ("removed", "changed"):
            if how == "removed":
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, tampered)
            made = compat.apply(changes)
            setattr(owner, attribute, stock_value if how == "removed" else tampered)
            parts_stock = all(
                getattr(guard.look_up(n, *p[:-1]), p[-1]) is (tampered if (n, p) == (name, path)
                                                            and how == "changed" else
                                                            guard.look_up(n, *p))
                for n, p in looked_up[change.name])
            # (Removed or changed, the same changes are made: one render tells.)
            same = None
            if how == "changed" and change.speedup:
                same = render() == everything
            elif how == "changed":   # the typesetting rule skipped: stock WeasyPrint's layout
                same = render(rule_book) == rule_stock
            compat.revert(made)
            setattr(owner, attribute, stock_value)
            cases.append({"change": change.name, "name": ".".join((name, *path)), "how": how,
                          "skipped": made.skipped.get(change.name, ""), "parts stock": parts_stock,
                          "others": sorted(made.applied), "same": same})
print(json.dumps({"cases": cases, "the rule changes its book": rule_stock != rule_everything}))
"""


# A book whose one paragraph starts on the last line of a page that holds a
# note: stock WeasyPrint sends the note on to fit the paragraph's second line.
RULE_BOOK = ("<html><head><style>@page { size: A6; margin: 15mm 12mm } "
             ".note { float: footnote; font-size: 7pt } p { margin: 0 }</style></head><body>"
             '<p>word0 word1 word2 word3 word4 call<span class="note">A note that takes two lines of '
             "the page foot, long enough to wrap once or twice here.</span> more.</p>"
             + "".join(f"<p>Filler paragraph {j} with enough words to make a few lines of text on this "
                       "small page.</p>" for j in range(5))
             + "<p>Last paragraph that runs over several lines, so that it can be broken by the page "
               "bottom at some line of it, here and there.</p></body></html>")


def test_a_release_without_a_name_or_with_changed_code_runs_the_stock_code():
    book = _book(chapters=2, paragraphs=5)
    result = subprocess.run([sys.executable, "-c", TAMPER], input=book + "\f" + RULE_BOOK,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    cases = found["cases"]
    names = {case["change"] for case in cases}
    assert names == {"weasyprint.notes-with-their-calls", "weasyprint.page-styles",
                     "weasyprint.page-references", "weasyprint.notes-laid-out-once",
                     "pybtex.plugin-lookups"}
    for case in cases:
        assert case["skipped"] and case["parts stock"], case
        assert case["same"] is not False, case
        assert case["change"] not in case["others"] and len(case["others"]) >= 3, case
    assert sum(case["same"] is True for case in cases) == len(cases) // 2
    assert found["the rule changes its book"]   # so that its cases show the stock layout
