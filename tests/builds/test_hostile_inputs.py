"""Hostile and broken input, end to end through the ``edition`` command.

Every case is a small throw-away project (``make_project``/``project_writer``
of conftest.py) with its own fixture seed, run as ``python -m edition`` in a
subprocess with a timeout.  Each case either builds — and then every
character of the seed is in the output as the seed has it: ``edition verify``
finds every word, in order, and nothing the seed could have made (an element,
an include, an external load) is there — or fails with exit code 1 and
exactly one line on stderr naming the file and the place.  Never a
traceback, never a hang (the timeout), never a silent loss (verify).

test_seeds.py (decoding rules), test_cli.py (single CLI errors) and
test_hostile_build.py (MyST, HTML and reST blocks in the HTML) cover some of
this; this file extends it to more markup, to the EPUB and the PDF, to
encodings and control characters at the command line, to mixed scripts, to a
1.5 MB paragraph, and to broken bibliographies, apparatus and registers.  The
last tests check that the linear-time code which replaced two backtracking
regular expressions (a long paragraph made them run for hours) finds exactly
what those expressions find.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from edition.build import build
from edition.render.escape import _LINE_BREAK_RE, _join_lines
from edition.sources.structure import _MEDIA_MENTION_RE, _media_mentions
from edition.verify.pdf import pdf_text
from loads import epub_files, scan, site_files

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300
SEED = b"A Title\n\nA first paragraph, quoting Freeze pg 409.\n\nA second paragraph.\n"


def edition(root: Path, *args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """The command as users run it; a hang fails the test (TimeoutExpired)."""
    return subprocess.run([sys.executable, "-m", "edition", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(result: subprocess.CompletedProcess, path: Path, place: str = "") -> str:
    """Exit 1 and exactly one stderr line naming the file (and the place)."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"edition: error: {path}"), lines[0]
    if place:
        assert lines[0].startswith(f"edition: error: {path}:{place}: "), lines[0]
    return lines[0]


def builds_and_verifies(root: Path, *formats: str, timeout: float = TIMEOUT) -> str:
    """Build the formats and verify them; returns verify's report."""
    args = [a for fmt in formats for a in ("--format", fmt)]
    built = edition(root, "build", "-q", *args, timeout=timeout)
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    checked = edition(root, "verify", *args, timeout=timeout)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for fmt in formats:
        assert f"edition: {fmt}: " in checked.stdout and "every seed word in order" in checked.stdout
    return checked.stdout


# The edition's own markup around the seed's text in a chapter's main content.
EDITION_MARKUP = ("div.headnote, details.para-cite, [role=doc-footnote], aside.footnote-list, "
                  "hr.footnotes, .footnote-reference, a.para-num, a.headerlink, .editorial")


def main_content(markup: str | bytes, edition_markup: bool = True):
    page = BeautifulSoup(markup, "lxml")
    main = page.find(attrs={"role": "main"})
    if not edition_markup:
        for tag in main.select(EDITION_MARKUP):
            tag.decompose()
    return main


def epub_page(root: Path, slug: str) -> bytes:
    (epub,) = (root / "build" / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        return z.read(f"texts/{slug}.xhtml")


# -- markup of every kind -------------------------------------------------------------

# test_hostile_build.py's kinds (front matter, footnotes, substitutions), now
# in every format, and more: Jinja, raw HTML (style, frames, SVG, external
# loads), {raw}/{eval-rst}/{include}/{literalinclude} fences, colon and tilde
# fences, setext headings, roles, attributes, references, math, reST, block
# breaks, definition and task lists, autolinks, entities, line breaks.
MARKUP = [
    "---\ntitle: injected front matter\nmyst:\n  substitutions:\n    x: injected\n---",
    "A footnote call[^1] here, and {{ x }} there.",
    "[^1]: an injected footnote body",
    "{{ config.project }} and {% include 'layout.html' %} and {# a Jinja comment #} and {%- raw -%}",
    "<!-- an HTML comment --> <style>body { display: none }</style> <iframe src=\"https://evil.example/\"></iframe>",
    "<svg onload=alert(1)><use href=\"https://evil.example/x.svg#a\"/></svg> <a href=\"javascript:alert(1)\">click</a>",
    "<link rel=stylesheet href=\"//evil.example/x.css\"> <img srcset=\"https://evil.example/x.png 2x\"> "
    "<object data=\"https://evil.example/x\"></object> <script src=\"https://evil.example/x.js\"></script>",
    "<style>@import url(https://evil.example/x.css); @font-face { src: url(//evil.example/f.woff) }</style>",
    "```{raw} html\n<script src=\"https://evil.example/x.js\"></script>\n```",
    "```{eval-rst}\n.. include:: /etc/passwd\n```",
    ":::{include} /etc/passwd\n:::",
    "```{literalinclude} /etc/passwd\n```",
    "~~~python\nprint('fenced')\n~~~",
    "Setext heading\n==============",
    "***",
    "{ref}`x` {doc}`y` {download}`z` {abbr}`a (b)` {sub-ref}`today` {math}`x^2` {cite:p}`freeze2009`",
    "[span]{.class #id key=val onload=alert(1)} and {#anchor} and [^note] and [ref][] and [ref]: https://evil.example",
    "$$\nx^2\n$$ and \\[ x \\] and \\( y \\)",
    ".. raw:: html\n\n   <script>alert(1)</script>\n\n.. |sub| replace:: X",
    "`link <https://evil.example>`_ and :ref:`x` and |sub| and [#]_ and .. [#] note",
    "+++ {\"meta\": 1}",
    "Term\n: definition",
    "- [ ] a task",
    "www.example.com https://example.com <mailto:x@example.com>",
    "&nbsp; &copy; &#0; &#x110000; &bogus; &lt;script&gt;",
    "A backslash at the end\\",
    "Trailing double space  \nand a hard break\\\nthere",
    "<details open><summary>x</summary>y</details>",
    "![img](https://evil.example/x.png \"title\")",
    "<?php echo 1; ?> <![CDATA[ x ]]> <!DOCTYPE html>",
    "---",
    "| a |\n|---|",
    "(target)=",
    "# heading at the end",
]
SEED_MADE = ("script", "style", "iframe", "object", "embed", "svg", "img", "math", "table",
             "details", "link", "code", "pre", "em", "strong", "input", "button", "dl", "ul", "ol")


@pytest.fixture(scope="module")
def markup(tmp_path_factory, project_writer):
    seed = ("\n\n".join(MARKUP) + "\n").encode()
    proj = project_writer(tmp_path_factory.mktemp("markup") / "project", {"markup": seed})
    report = builds_and_verifies(proj.root, "html", "epub", "pdf", "tei")
    return proj, report


def test_markup_of_every_kind_renders_literally_in_every_format(markup):
    proj, report = markup
    print("\n" + report)
    pages = {"html": (proj.build_dir / "html" / "texts" / "markup.html").read_bytes(),
             "epub": epub_page(proj.root, "markup")}
    for fmt, page in pages.items():
        body = main_content(page, edition_markup=False)
        for tag in SEED_MADE:
            assert body.find(tag) is None, (fmt, tag)
        assert not [(t.name, a) for t in body.find_all(True) for a in t.attrs if a.lower().startswith("on")]
        assert body.find(class_="math") is None and body.find(class_="admonition") is None
        assert body.find_all("a") == []   # the edition's links (permalinks, numbers) are out
    tei = next((proj.build_dir / "tei").glob("*.xml")).read_bytes()
    for text in (*[p.decode() for p in pages.values()], pdf_text(next((proj.build_dir / "pdf").glob("*.pdf"))),
                 tei.decode()):
        assert "root:x:0:" not in text    # nothing was included
    # In the TEI, the text of the seed is text: every element of the text is one the edition writes.
    from lxml import etree

    root = etree.fromstring(tei)
    (text,) = root.iterfind(".//{http://www.tei-c.org/ns/1.0}text[@n='markup']")
    made = {etree.QName(e).localname for e in text.iter() if isinstance(e.tag, str)}
    assert made <= {"text", "body", "div", "head", "p", "ab", "lb", "note", "hi", "ref", "bibl", "pb"}, made
    assert all(etree.QName(e).namespace == "http://www.tei-c.org/ns/1.0" for e in text.iter()
               if isinstance(e.tag, str))


def test_markup_in_a_seed_loads_nothing_from_outside(markup):
    proj, _ = markup
    (epub,) = (proj.build_dir / "epub").glob("*.epub")
    for files in (site_files(proj.build_dir / "html"), epub_files(epub)):
        count, found = scan(files)
        assert count and found == []


# -- line ends, scripts, size ------------------------------------------------------------

def test_crlf_line_ends_build_and_read_as_lines(make_project):
    proj = make_project({"crlf": b"A Title\r\n\r\nA first paragraph,\r\nwrapped.\r\n\r\nA second one.\r\n"})
    builds_and_verifies(proj.root, "html")
    body = main_content((proj.build_dir / "html" / "texts" / "crlf.html").read_bytes())
    assert " ".join(body.find(id="crlf-p1").get_text().split()) == "1A first paragraph, wrapped."
    assert body.find(id="crlf-p2") is not None and "\r" not in body.get_text()


MIXED = [
    ("Cyrillic", "Лаврентий Павлович Берия, «Правда», ёлка Ё, Її Ґґ."),
    ("Greek", "Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν θεόν."),
    ("Hebrew", "שָׁלוֹם עוֹלָם and בריה in the middle of a sentence."),
    ("Hebrew paragraph", "שלום עולם, זוהי פסקה שלמה בעברית."),
    ("Combining", "e\u0301 n\u0303 a\u0308 o\u0302\u0323 x\u0336 q\u0307\u0323."),
    ("Emoji", "👩🏽\u200d🔬 🇺🇦 ✊ 😀 ❤\ufe0f 1\ufe0f\u20e3."),
    ("Other", "貝利亞 ベリヤ 베리야 بيريا बेरिया."),
]
# A paragraph wholly in Hebrew, long enough for two lines: set right to
# left, its first word at the right, its full stop at the left end, its year
# in digits read left to right.
RTL_PARAGRAPH = "שלום עולם, זוהי פסקה שלמה בעברית, והיא נכתבת מימין לשמאל עד סופה בשנת 1953 ולא עוד."
# The font each script is set in: the book face, or the first fallback of
# the PDF's font stack (edition/fonts.py) that has it.
SET_IN = {"Cyrillic": "Charis-SIL", "Hebrew paragraph": "Noto-Serif-Hebrew", "Emoji": "Noto-Color-Emoji",
          "Other": ("Noto-Serif-CJK", "Noto-Naskh-Arabic", "Noto-Serif-Devanagari")}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, project_writer):
    seed = ("Mixed Scripts\n\n" + "\n\n".join(f"{name}: {text}" for name, text in MIXED)
            + f"\n\n{RTL_PARAGRAPH}\n")
    proj = project_writer(tmp_path_factory.mktemp("mixed") / "project", {"mixed": seed.encode()})
    report = builds_and_verifies(proj.root, "html", "epub", "pdf", "tei")
    return proj, report


def test_mixed_scripts_show_every_character_in_html_and_epub(mixed):
    proj, _ = mixed
    pages = {"html": (proj.build_dir / "html" / "texts" / "mixed.html").read_bytes(),
             "epub": epub_page(proj.root, "mixed")}
    for fmt, page in pages.items():
        text = unicodedata.normalize("NFC", main_content(page).get_text())
        for name, sample in [*MIXED, ("RTL", RTL_PARAGRAPH)]:
            for ch in unicodedata.normalize("NFC", sample):
                assert ch in text, (fmt, name, ch, hex(ord(ch)))


def test_mixed_scripts_are_set_in_the_pdf_by_the_fonts_that_have_them(mixed):
    """verify found every word in the PDF (the fixture); every character is
    drawn from a glyph of the book's fonts — none as an empty box (read as
    U+FFFD), none from a font the project does not install — and each script
    in the font the stack gives it; the emoji are drawn (as pictures)."""
    import pdfplumber

    from edition.fonts.faces import MONOSPACE_FACE, font_names, never_drawn

    proj, report = mixed
    print("\n" + report)
    (pdf,) = (proj.build_dir / "pdf").glob("*.pdf")
    text = unicodedata.normalize("NFC", pdf_text(pdf))
    assert "\ufffd" not in text
    for name, sample in [*MIXED, ("RTL", RTL_PARAGRAPH)]:
        for ch in unicodedata.normalize("NFC", sample):
            # (A Hebrew point may be drawn without text of its own: verify allows it.)
            assert never_drawn(ch) or ch in text or unicodedata.category(ch) == "Mn", (name, ch)
    allowed = [n.replace(" ", "-") for n in (*font_names(), MONOSPACE_FACE.family)]
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars if not c["text"].isspace()]
        images = sum(len(page.images) for page in doc.pages)
    fonts = {c["fontname"].partition("+")[2] for c in chars}
    assert all(any(f == n or f.startswith(n + "-") for n in allowed) for f in fonts), fonts
    font_of = {c["text"]: c["fontname"].partition("+")[2] for c in chars}
    for name, fonts in SET_IN.items():
        sample = dict(MIXED)[name]
        letters = [ch for ch in sample if unicodedata.category(ch)[0] in "LS" and not ch.isascii()]
        for ch in letters:
            font = next((f for t, f in font_of.items() if ch in t), None)
            assert font is not None and font.startswith(fonts), (name, ch, font)
    assert images >= 6   # one picture for each emoji


def test_a_right_to_left_paragraph_is_set_right_to_left_in_every_format(mixed):
    """dir="auto" on the paragraph in the HTML and the EPUB (the browser or
    reading system sets it right to left from its first letter); in the
    PDF, which WeasyPrint sets only by an explicit direction, the print HTML
    says dir="rtl", the first word stands at the right end of the first line
    and the full stop at the left end of the last."""
    import pdfplumber

    proj, _ = mixed
    pages = {"html": (proj.build_dir / "html" / "texts" / "mixed.html").read_bytes(),
             "epub": epub_page(proj.root, "mixed")}
    for fmt, page in pages.items():
        paragraph = main_content(page).find(string=lambda s: "מימין לשמאל" in s).find_parent("p")
        assert paragraph.get("dir") == "auto", fmt
        latin = main_content(page).find(string=lambda s: "Cyrillic:" in s).find_parent("p")
        assert latin.get("dir") == "auto", fmt
    print_html = BeautifulSoup(next((proj.build_dir / "pdf").glob("*.html")).read_bytes(), "lxml")
    assert print_html.find(string=lambda s: "מימין לשמאל" in s).find_parent("p").get("dir") == "rtl"
    assert print_html.find(string=lambda s: "Cyrillic:" in s).find_parent("p").get("dir") is None
    (pdf,) = (proj.build_dir / "pdf").glob("*.pdf")
    with pdfplumber.open(pdf) as doc:
        lines = [line for page in doc.pages for line in page.extract_text_lines(return_chars=True)
                 if any(0x5D0 <= ord(c["text"][0]) <= 0x5EA for c in line["chars"])
                 and not any(c["text"].isascii() and c["text"].isalpha() for c in line["chars"])]
    first, last = lines[0]["chars"], lines[-1]["chars"]
    assert len(lines) == 2
    # Read from the right, the first line starts with the paragraph's first word.
    # (The paragraph number, 7 pt in the outer margin, is not the line's.)
    from_the_right = sorted((c for c in first if not c["text"].isspace() and c["size"] > 8), key=lambda c: -c["x1"])
    assert "".join(c["text"] for c in from_the_right[:4]) == "שלום"
    stop = next(c for c in last if c["text"] == ".")
    assert stop["x0"] == min(c["x0"] for c in last if not c["text"].isspace())
    year = "".join(c["text"] for c in sorted(last, key=lambda c: c["x0"]) if c["text"].isdigit())
    assert year == "1953"


# Emoji amid Latin words, glued to them, on every line of a paragraph (not
# only on its first, beside the paragraph number), in the title and a note;
# and other characters of the astral planes that the PDF's fonts have.
EMOJI_SEED = (
    "Emoji 😀 Among Words\n\n"
    "The 😀 cat 👍🏽 sat on the mat. Flags 🇺🇦 and 🏳️\u200d🌈 fly, a ZWJ 👩\u200d🔬 scientist works, "
    "words glued:😀word and word😀 and a👍🏽b, a keycap 1️⃣ and a heart ❤️ beat, ✊ fists and 🐈 cats "
    "again and again 😀 until the line breaks 👍🏽 more than once 🇺🇦 and the emoji 👩\u200d🔬 stand "
    "on every line 🐈 of it, a note call[1] too "
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f.\n\n"   # Scotland's flag (tags)
    "Not emoji: a CJK Extension B ideograph 𠀋, mathematical letters 𝐌𝗎𝚝, a playing card 🂡, Old Italic 𐌀.\n\n"
    "1. A note 😀 with ✊ emoji in it.\n")


@pytest.fixture(scope="module")
def emoji(tmp_path_factory, project_writer):
    proj = project_writer(tmp_path_factory.mktemp("emoji") / "project", {"emoji": EMOJI_SEED.encode()})
    return proj, builds_and_verifies(proj.root, "pdf")


def test_emoji_among_words_are_read_back_from_the_pdf_in_place(emoji):
    """verify found every word in the PDF, emoji included (the fixture): the
    PDF gives back each emoji sequence's text (a flag's two letters, a skin
    tone, a ZWJ or tag sequence, a keycap), on its line, beside its words,
    and the other astral characters as any character."""
    from edition.fonts.faces import never_drawn

    proj, report = emoji
    print("\n" + report)
    # Every word of the seed but the note's number.
    assert f"edition: pdf: {len(EMOJI_SEED.split()) - 1} words of 1 texts verified" in report
    (pdf,) = (proj.build_dir / "pdf").glob("*.pdf")
    # (Compared without the joiners and variation selectors, which no font draws.)
    text, seed = ("".join(ch for ch in t if not never_drawn(ch) or ch in " \n")
                  for t in (pdf_text(pdf), EMOJI_SEED))
    for word in ("Emoji 😀 Among", "The 😀 cat 👍🏽 sat", "🇺🇦", "🏳🌈", "👩🔬", "glued:😀word", "word😀",
                 "a👍🏽b", "1⃣", "❤", "🏴", "A note 😀 with ✊ emoji", "ideograph 𠀋", "𝐌𝗎𝚝", "card 🂡,",
                 "Italic 𐌀."):
        assert word in seed and word in text, word
    # No line of emoji alone: each stands on the line of the words beside it.
    lines = [line for line in text.splitlines() if any(ord(ch) > 0x2000 for ch in line)]
    assert len(lines) >= 6 and all(any(ch.isascii() and ch.isalpha() for ch in ln) for ln in lines), lines


def test_an_emoji_or_a_word_beside_one_out_of_place_in_the_pdf_is_reported(emoji, tmp_path):
    """The PDF set again from its print HTML with an emoji moved to the end
    of its sentence and a word beside an emoji dropped: verify reports the
    emoji reordered and the word lost, each at its seed place."""
    from weasyprint import HTML

    from edition.errors import line_col
    from edition.project import Project
    from edition.verify import verify

    proj, _ = emoji
    shutil.copytree(proj.build_dir / "pdf", tmp_path / "pdf")
    (pdf,) = (tmp_path / "pdf").glob("*.pdf")
    print_html = pdf.with_suffix(".html")
    page = print_html.read_text("utf-8")
    assert page.count("The 😀 cat 👍🏽 sat on the mat.") == 1 and page.count("✊ fists and") == 1
    page = page.replace("The 😀 cat 👍🏽 sat on the mat.", "The cat 👍🏽 sat on the mat. 😀")
    print_html.write_text(page.replace("✊ fists and", "✊ and"), encoding="utf-8")
    HTML(filename=str(print_html), base_url=str(print_html.parent)).write_pdf(str(pdf))

    found = verify(Project(proj.root, build_root=tmp_path), formats=("pdf",))
    where = {quote: line_col(EMOJI_SEED, EMOJI_SEED.index(quote)) for quote in ("😀 cat", "fists")}
    assert [(d.kind, d.place, d.expected) for d in found.differences] == [
        ("reordered", where["😀 cat"], ("😀",)),
        ("lost", where["fists"], ("fists",)),
    ]


def long_paragraph(size: int) -> str:
    """A seed of one paragraph of ``size`` characters, made to be hard:
    markup characters, register names (a note at each first mention, a span
    at every mention), media words without a full stop (which made a
    backtracking regular expression run for hours), runs of blanks."""
    rng = random.Random(1953)
    words = ["the", "of", "and", "Beria", "Presidium", "Malenkov", "Khrushchev", "MVD", "Stalin",
             "This", "video", "footage", "images", "1953", "“quoted”", "it’s", "—", "{role}`x`",
             "*em*", "<b>", "$x$", "[link](u)", "\\", "&amp;", "|", "~", "#", "[1]", "{{ x }}",
             "ёлка", "\u00a0\u00a0\u00a0", " " * 40]
    parts, length = [], 0
    while length < size:
        word = rng.choice(words)
        parts.append(word)
        length += len(word) + 1
    return "A Long Paragraph\n\n" + " ".join(parts) + "\n"


def test_a_1_5_mb_single_paragraph_builds_in_reasonable_time(make_project):
    seed = long_paragraph(1_500_000).encode()
    files = {name: (ROOT / "book" / name).read_text("utf-8") for name in ("persons.toml", "glossary.toml")}
    proj = make_project({"long": seed}, files=files)
    start = time.monotonic()
    report = builds_and_verifies(proj.root, "html", timeout=600)
    took = time.monotonic() - start
    print(f"\n{len(seed) / 1e6:.2f} MB paragraph: HTML built and verified in {took:.0f} s\n{report}")
    assert took < 600


# -- input that must be refused ------------------------------------------------------------

BAD_SEEDS = {
    # name: (bytes, place, message)
    "empty": (b"", "", "the file is empty"),
    "blank": (b" \n\t\n", "", "the file is empty"),
    "bom-crlf": (b"\xef\xbb\xbfA Title\r\n\r\nA paragraph.\r\n", "byte 0", "byte-order mark"),
    "nul": (b"A Title\n\nA para\x00graph.\n", "3:7", "U+0000"),
    "escape": (b"A Title\n\nA paragraph \x1b[31mred\x1b[0m.\n", "3:13", "U+001B"),
    "delete": (b"A Title\n\nA para\x7fgraph.\n", "3:7", "U+007F"),
    "c1-next-line": ("A Title\n\nA para\u0085graph.\n".encode(), "3:7", "U+0085"),
    "form-feed": (b"A Title\n\x0c\nA paragraph.\n", "2:1", "U+000C"),
    "vertical-tab": (b"A Title\n\nA\x0bparagraph.\n", "3:2", "U+000B"),
    "lone-cr": (b"A Title\r\rA paragraph.\r", "1:8", "U+000D"),
    "latin-1": (b"A Title\n\nAll fine here.\nCaf\xe9 on line four.\n", "byte 27", "byte 0xe9"),
    "windows-1252": (b"A Title\n\nHe said \x93quoted\x94.\n", "byte 17", "byte 0x93"),
    "utf-16": ("A Title\n\nA paragraph.\n".encode("utf-16"), "byte 0", "byte 0xff"),
    "overlong": (b"A Title\n\nA \xc0\xaf paragraph.\n", "byte 11", "byte 0xc0"),
    "surrogate": (b"A Title\n\nA \xed\xa0\x80 paragraph.\n", "byte 11", "byte 0xed"),
}


@pytest.mark.parametrize("case", list(BAD_SEEDS))
def test_a_bad_seed_is_one_line_naming_file_and_place(make_project, case):
    data, place, message = BAD_SEEDS[case]
    proj = make_project({"bad": data})
    line = one_line_error(edition(proj.root, "build", "--format", "html"),
                          proj.seeds_dir / "bad.txt", place)
    assert message in line
    assert not (proj.build_dir / "html").exists()


UNPRINTABLE = {
    # name: (the character, how the error names it)
    "private-use": ("\ue000", "U+E000 (private use)"),
    "script-without-a-font": ("\U00013000", "U+13000 EGYPTIAN HIEROGLYPH A001"),
}


@pytest.mark.parametrize("case", list(UNPRINTABLE))
def test_a_character_the_pdf_cannot_print_is_one_line_naming_its_place(make_project, case):
    """A character none of the PDF's fonts has (it would print as an empty
    box): the build, and the check, stop before anything is built."""
    ch, named = UNPRINTABLE[case]
    proj = make_project({"bad": f"A Title\n\nA first paragraph,\nthen a {ch} in line four.\n".encode()})
    for command in (("build",), ("check",)):
        line = one_line_error(edition(proj.root, *command), proj.seeds_dir / "bad.txt", "4:8")
        assert f"{named} has no glyph in any of the PDF's fonts (Charis SIL, Noto Serif, " in line
    assert not proj.build_dir.exists()


def test_a_character_the_pdf_cannot_print_in_a_note_keeps_the_last_good_output(make_project):
    note = '[[note]]\nid = "n"\nanchor = "second paragraph"\n# not printed: \ue000\ntext = "A note."\n'
    proj = make_project({"one": SEED}, {"one": note})
    build(proj, ("html",), quiet=True)
    page = proj.build_dir / "html" / "texts" / "one.html"
    before, chapter = page.read_bytes(), proj.chapter_path("one").read_text("utf-8")
    proj.apparatus_path("one").write_text(note.replace("A note.", "A note \ue000."), encoding="utf-8")
    line = one_line_error(edition(proj.root, "build"), proj.apparatus_path("one"), "5:16")
    assert "U+E000 (private use) has no glyph" in line
    assert page.read_bytes() == before and proj.chapter_path("one").read_text("utf-8") == chapter
    assert not (proj.build_dir / "pdf").exists()


REFS = (ROOT / "refs.bib").read_text("utf-8")
FREEZE_LINE = REFS[:REFS.index("{freeze2009,")].count("\n") + 1
REPEATED = REFS + "\n@book{freeze2009,\n title={X}, year=2000}\n"
BAD_BIBLIOGRAPHIES = {
    # name: (refs.bib text or bytes or None for a missing file, place, message)
    "unclosed-entry": ("@book{broken,\n  title = {Unclosed\n", "2",
                       "BibTeX syntax error: premature end of file (an entry or a brace opened at or "
                       "before this line is not closed)"),
    "no-key": ("@book{,\n title={X}, year=2000}\n", "1", "BibTeX syntax error: entry key expected"),
    "no-comma": ("@book{a,\n title={X} year=2000}\n", "2", "BibTeX syntax error: '}' expected"),
    "undefined-string": ("@book{a,\n title=nosuchmacro}\n", "2", "BibTeX undefined string: nosuchmacro"),
    "not-bibtex": ("this is not bibtex at all\n", "", "no entries"),
    "empty": ("", "", "no entries"),
    "latin-1": ((REFS + "\n@book{x,\n title={Caf\xe9}, year=2000}\n").encode("latin-1", "replace"),
                "byte", "not valid UTF-8"),
    "missing": (None, "", "the bibliography is missing"),
    "duplicate-key": (REPEATED, str(REPEATED.count("\n") - 1),
                      f"repeated bibliography entry: freeze2009; the first is at line {FREEZE_LINE}"),
    "duplicate-key-in-other-case": (REFS + "\n@book{Freeze2009,\n title={X}}\n", "",
                                    "(keys are compared without regard to case)"),
    "duplicate-field": ("@book{a,\n title={X},\n year={2000},\n title={Y}}\n", "4",
                        "entry with key a has a duplicate title field"),
}


@pytest.mark.parametrize("case", list(BAD_BIBLIOGRAPHIES))
def test_a_broken_bibliography_is_one_line(make_project, case):
    """One line naming refs.bib and the line of the fault (Pybtex's own
    messages say "syntax error: syntax error" and give no line for a
    repeated key)."""
    bib, place, message = BAD_BIBLIOGRAPHIES[case]
    proj = make_project({"one": SEED})
    if bib is None:
        proj.refs_bib.unlink()
    elif isinstance(bib, bytes):
        proj.refs_bib.write_bytes(bib)
    else:
        proj.refs_bib.write_text(bib, encoding="utf-8")
    result = edition(proj.root, "build", "--format", "html")
    line = one_line_error(result, proj.refs_bib, place if place.isdigit() else "")
    assert message in line and "syntax error: syntax error" not in line
    if place == "byte":
        assert line.startswith(f"edition: error: {proj.refs_bib}:byte "), line


PERSONS = ('[[person]]\nid = "beria"\nname = "Lavrentii Beria"\nsort = "Beria, Lavrentii"\n'
           'description = "Minister."\nspellings = ["Beria"]\n')
BAD_APPARATUS = {
    # name: (apparatus TOML, place, message)
    "unknown-citation-key": ('[[citation]]\nid = "c"\nanchor = "Freeze pg 409"\nkey = "nosuchkey2000"\n',
                             "[[citation]] id='c'", "unknown bibliography key 'nosuchkey2000'"),
    "drifted-emendation": ('[[emendation]]\nid = "e"\nanchor = "frist paragraph"\nreading = "first"\norigin = "copy"\n',
                           "[[emendation]] id='e'", "anchor 'frist paragraph' is not in the seed"),
    "drifted-citation": ('[[citation]]\nid = "c"\nanchor = "Freeze pg 490"\nkey = "freeze2009"\n',
                         "[[citation]] id='c'", "anchor 'Freeze pg 490' is not in the seed"),
    "drifted-sic": ('[[sic]]\nid = "s"\nanchor = "secnod"\nreason = "x"\n',
                    "[[sic]] id='s'", "anchor 'secnod' is not in the seed"),
    "drifted-omission-end": ('[[omission]]\nid = "o"\nanchor = "A first paragraph"\nthrough = "A secnd"\n'
                             'reason = "x"\n', "[[omission]] id='o'", "'A secnd' is not in the seed"),
    "anchor-across-blocks": ('[[note]]\nid = "n"\nanchor = "409.\\n\\nA second"\ntext = "x"\n',
                             "[[note]] id='n'", "is not in the seed"),
    "ambiguous-anchor": ('[[note]]\nid = "n"\nanchor = "paragraph"\ntext = "x"\n',
                         "[[note]] id='n'", "is ambiguous: it occurs 2 times (at 3:9, 5:10)"),
    "unknown-person": ('[[mention]]\nid = "m"\nanchor = "second paragraph"\nperson = "nobody"\n',
                       "[[mention]] id='m'", "unknown person id 'nobody'"),
    "unknown-term": ('[[term]]\nid = "t"\nanchor = "second paragraph"\nterm = "noterm"\n',
                     "[[term]] id='t'", "unknown glossary term 'noterm'"),
    "unknown-paragraph": ('[[note]]\nid = "n"\nanchor = "second paragraph"\ntext = "See {para}`one 9`."\n',
                          "[[note]] id='n'", "one has no paragraph '9'"),
    "broken-toml": ('[[note]\nid = "n"\n', "", "not valid TOML"),
}


@pytest.mark.parametrize("case", list(BAD_APPARATUS))
def test_a_broken_apparatus_is_one_line_naming_the_entry(make_project, case):
    toml, place, message = BAD_APPARATUS[case]
    proj = make_project({"one": SEED}, {"one": toml}, files={"persons.toml": PERSONS})
    line = one_line_error(edition(proj.root, "build", "--format", "html"), proj.apparatus_path("one"), place)
    assert message in line


BAD_REGISTERS = {
    "unknown-bibliography-key": (PERSONS + 'refs = ["nokey"]\n', "[[person]] id='beria'",
                                 "unknown bibliography key 'nokey'"),
    "broken-toml": ("[[person]\n", "", "not valid TOML"),
    "markup-in-a-spelling": (PERSONS.replace('["Beria"]', '["Beria`"]'), "[[person]] id='beria'",
                             "contains markup characters"),
}


@pytest.mark.parametrize("case", list(BAD_REGISTERS))
def test_a_broken_register_is_one_line(make_project, case):
    toml, place, message = BAD_REGISTERS[case]
    proj = make_project({"one": SEED}, files={"persons.toml": toml})
    line = one_line_error(edition(proj.root, "build", "--format", "html"),
                          proj.book_dir / "persons.toml", place)
    assert message in line


# -- the builder's linear-time paths agree with what they replace -----------------------

MEDIA_TOKENS = st.sampled_from(["This", "this", "THIS", "Here", "The following", "Below", "Above",
                                "video", "videos", "footage", "images", "photographs", "pictures",
                                "videox", "xThis", ".", "!", "?", " ", "a", "-", "\n", "ſ"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(MEDIA_TOKENS, max_size=25), st.integers(0, 5), st.integers(0, 5))
def test_media_mentions_match_the_regular_expression(parts, lo, cut):
    text = "".join(p if p in ".!? \n-" else p + " " for p in parts)
    lo = min(lo, len(text))
    hi = max(lo, len(text) - cut)
    assert list(_media_mentions(text, lo, hi)) == [
        (m.start(), m.end()) for m in _MEDIA_MENTION_RE.finditer(text, lo, hi)]


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=" \t\r\nab\u00a0", max_size=40))
def test_line_joining_matches_the_regular_expression(text):
    assert _join_lines(text) == _LINE_BREAK_RE.sub(" ", text)
