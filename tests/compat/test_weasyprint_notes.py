"""The PDF's typesetting rule for notes (``weasyprint.notes-with-their-calls``),
read from the laid-out boxes: a note too long for the room its call's line
leaves runs on to the foot of the next page, so that the page is filled; a
note too short to be broken moves with its line; the speed-ups lay out the
same boxes."""

from __future__ import annotations

import json
import subprocess
import sys

# Lays the book on stdin out in a process of its own (the changes are made
# for the whole process), and says for each page where its text ends, where
# its note area stands, and the note area's lines, labels and rule.
LAY_OUT = r"""
import json, sys
from weasyprint import HTML
from edition.compat import apply, weasyprint
mode = sys.argv[1]
if mode != "stock":
    made = apply(weasyprint.TYPESETTING + (weasyprint.SPEEDUPS if mode == "speedups" else ()))
    assert not made.skipped, made.skipped
pages = []
for page in HTML(string=sys.stdin.read()).render().pages:
    root = page._page_box.children[0]
    area = next((box for box in page._page_box.children
                 if type(box).__name__ == "FootnoteAreaBox"), None)
    def lines(box):
        return [(round(line.position_y, 2), round(line.position_y + line.height, 2),
                 " ".join(t.text for t in line.descendants() if type(t).__name__ == "TextBox"))
                for line in box.descendants() if type(line).__name__ == "LineBox"]
    pages.append({
        "body": lines(root),
        "notes": lines(area) if area else [],
        "rule": round(area.border_top_width, 2) if area else 0,
        "area": round(area.position_y, 2) if area else None,
        "foot": round(page._page_box.content_box_y() + page._page_box.height, 2),
    })
print(json.dumps(pages))
"""

FILLER = "<p>Filler paragraph {} with enough words to make a few lines of text on this small page.</p>"


def _book(fillers: int, note_words: int) -> str:
    note = " ".join(f"w{i}" for i in range(note_words))
    return ("<html><head><style>@page { size: A6; margin: 15mm 12mm; "
            "@footnote { border-top: 0.5pt solid black; padding-top: 2mm; "
            "box-decoration-break: clone } } "
            ".note { float: footnote; font-size: 7pt; footnote-policy: line } "
            "p { margin: 0; widows: 2; orphans: 2 }</style></head><body>"
            + "".join(FILLER.format(j) for j in range(fillers))
            + f'<p>Words before the call<span class="note">NOTE-START {note} NOTE-END.</span> '
              "and words after the call in this paragraph, so that it runs on for a few lines, "
              "more words here to break it, and yet more words after those.</p>"
            + "".join(f"<p>Later paragraph {j} with enough words for a few lines of text here."
                      f'<span class="note">Short note {j}.</span></p>' for j in range(6))
            + "</body></html>")


def _lay_out(mode: str, book: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-c", LAY_OUT, mode], input=book,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _page_of(pages: list[dict], text: str, part: str) -> int:
    return next(number for number, page in enumerate(pages)
                if any(text in line[2] for line in page[part]))


def _split(pages: list[dict]) -> bool:
    """Whether the long note is cut; with what every layout must show."""
    call = _page_of(pages, "Words before the call", "body")
    start, end = _page_of(pages, "NOTE-START", "notes"), _page_of(pages, "NOTE-END", "notes")
    assert start == call and end in (call, call + 1)   # the note starts on its call's page
    if end == call:
        return False
    page, following = pages[call], pages[call + 1]
    # At least two of its lines on each page (its orphans and widows).
    assert len(page["notes"]) >= 2
    ends = [i for i, line in enumerate(following["notes"]) if "NOTE-END" in line[2]][0]
    assert ends >= 1
    # On the next page it comes first, under the rule, before that page's own notes.
    assert following["rule"] > 0 and "NOTE-START" not in following["notes"][0][2]
    assert all("Short note" not in line[2] for line in following["notes"][:ends + 1])
    # The call's page is filled: its text runs down to the note area, less
    # than a line of text above it; the note's lines stand inside the page.
    leading = page["body"][0][1] - page["body"][0][0]
    assert page["area"] - page["body"][-1][1] < leading
    assert all(line[1] <= page["foot"] + 0.01 for line in page["notes"])
    return True


def test_a_long_note_runs_on_and_the_page_is_filled():
    books = [_book(fillers, note_words=200) for fillers in range(2, 7)]
    laid_out = [_lay_out("rule", book) for book in books]
    assert sum(_split(pages) for pages in laid_out) >= 2
    # Stock WeasyPrint never cuts a note: it moves the call's line (and its
    # note, whole) to the next page.
    for book in books[:3]:
        stock = _lay_out("stock", book)
        assert _page_of(stock, "NOTE-START", "notes") == _page_of(stock, "NOTE-END", "notes")
    # The speed-ups lay out the same boxes.
    assert [_lay_out("speedups", book) for book in books] == laid_out


def test_a_note_too_short_to_break_moves_with_its_line():
    """A note of three lines cannot leave two on each page: it is never
    cut; where it does not fit, its call's line goes on with it."""
    for fillers in range(2, 7):
        pages = _lay_out("rule", _book(fillers, note_words=22))
        call = _page_of(pages, "Words before the call", "body")
        assert _page_of(pages, "NOTE-START", "notes") == call == _page_of(pages, "NOTE-END", "notes")
