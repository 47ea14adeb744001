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
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from edition.escape import _LINE_BREAK_RE, _join_lines
from edition.structure import _MEDIA_MENTION_RE, _media_mentions
from edition.verify import pdf_text, verify
from test_safe_html import epub_files, scan, site_files

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

ROOT = Path(__file__).resolve().parent.parent
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
    report = builds_and_verifies(proj.root, "html", "epub", "pdf")
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
    for text in (*[p.decode() for p in pages.values()], pdf_text(next((proj.build_dir / "pdf").glob("*.pdf")))):
        assert "root:x:0:" not in text    # nothing was included


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
# The scripts the book's fonts must set (the sources are English and
# Russian; Greek and Hebrew stand in quotations of the literature).
SET_BY_THE_BOOK = ("Cyrillic", "Greek", "Hebrew", "Combining")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, project_writer):
    seed = "Mixed Scripts\n\n" + "\n\n".join(f"{name}: {text}" for name, text in MIXED) + "\n"
    proj = project_writer(tmp_path_factory.mktemp("mixed") / "project", {"mixed": seed.encode()})
    built = edition(proj.root, "build", "-q")
    assert built.returncode == 0, built.stderr
    return proj


def test_mixed_scripts_show_every_character_in_html_and_epub(mixed):
    report = verify(mixed, formats=("html", "epub"))
    assert [str(d) for d in report.differences] == []
    pages = {"html": (mixed.build_dir / "html" / "texts" / "mixed.html").read_bytes(),
             "epub": epub_page(mixed.root, "mixed")}
    for fmt, page in pages.items():
        text = unicodedata.normalize("NFC", main_content(page).get_text())
        for name, sample in MIXED:
            for ch in unicodedata.normalize("NFC", sample):
                assert ch in text, (fmt, name, ch, hex(ord(ch)))
    # Hebrew is there; the HTML sets no dir: the browser's bidi algorithm
    # orders the letters, in a left-to-right paragraph.
    body = main_content(pages["html"])
    hebrew = body.find(string=lambda s: "שלום עולם" in s)
    assert hebrew is not None
    directions = [p.get("dir") for p in hebrew.parents if p.get("dir")]
    print(f"\nHebrew paragraph: dir={directions or 'none (Unicode bidi algorithm only)'}")


def test_mixed_scripts_in_the_pdf_are_set_or_reported(mixed):
    """Every character of the scripts the book's fonts cover is in the PDF's
    text; any other character the PDF does not show (a font without the
    glyph draws an empty box) is reported by verify, never lost silently."""
    (pdf,) = (mixed.build_dir / "pdf").glob("*.pdf")
    text = unicodedata.normalize("NFC", pdf_text(pdf))
    report = verify(mixed, formats=("pdf",))
    reported = {ch for d in report.differences for w in d.expected for ch in w}
    missing = []
    for name, sample in MIXED:
        for ch in unicodedata.normalize("NFC", sample):
            if ch.isspace() or unicodedata.category(ch) == "Cf" or 0xFE00 <= ord(ch) <= 0xFE0F:
                continue   # never drawn (joiners, variation selectors)
            if ch not in text:
                missing.append((name, ch))
                assert ch in reported, (name, ch, hex(ord(ch)))
            if name in SET_BY_THE_BOOK and unicodedata.category(ch).startswith("L"):
                assert ch in text, (name, ch)
    print("\nPDF: not shown, and reported by verify:",
          " ".join(f"{name}:{ch}(U+{ord(ch):04X})" for name, ch in missing) or "none")
    print("\n".join(str(d) for d in report.differences))


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


REFS = (ROOT / "refs.bib").read_text("utf-8")
BAD_BIBLIOGRAPHIES = {
    # name: (refs.bib text or bytes or None for a missing file, place, message)
    "unclosed-entry": ("@book{broken,\n  title = {Unclosed\n", "2", "syntax error"),
    "no-key": ("@book{,\n title={X}, year=2000}\n", "1", "syntax error"),
    "no-comma": ("@book{a,\n title={X} year=2000}\n", "2", "syntax error"),
    "not-bibtex": ("this is not bibtex at all\n", "", "no entries"),
    "empty": ("", "", "no entries"),
    "latin-1": ((REFS + "\n@book{x,\n title={Caf\xe9}, year=2000}\n").encode("latin-1", "replace"),
                "byte", "not valid UTF-8"),
    "missing": (None, "", "the bibliography is missing"),
    "duplicate-key": (REFS + "\n@book{freeze2009,\n title={X}, year=2000}\n", "",
                      "repeated bibliography entry: freeze2009"),
}


@pytest.mark.parametrize("case", list(BAD_BIBLIOGRAPHIES))
def test_a_broken_bibliography_is_one_line(make_project, case):
    bib, place, message = BAD_BIBLIOGRAPHIES[case]
    proj = make_project({"one": SEED})
    if bib is None:
        proj.refs_bib.unlink()
    elif isinstance(bib, bytes):
        proj.refs_bib.write_bytes(bib)
    else:
        proj.refs_bib.write_text(bib, encoding="utf-8")
    line = one_line_error(edition(proj.root, "build", "--format", "html"), proj.refs_bib)
    assert message in line
    if place:
        assert line.startswith(f"edition: error: {proj.refs_bib}:{place}"), line


PERSONS = ('[[person]]\nid = "beria"\nname = "Lavrentii Beria"\nsort = "Beria, Lavrentii"\n'
           'description = "Minister."\nspellings = ["Beria"]\n')
BAD_APPARATUS = {
    # name: (apparatus TOML, place, message)
    "unknown-citation-key": ('[[citation]]\nid = "c"\nanchor = "Freeze pg 409"\nkey = "nosuchkey2000"\n',
                             "[[citation]] id='c'", "unknown bibliography key 'nosuchkey2000'"),
    "drifted-emendation": ('[[emendation]]\nid = "e"\nanchor = "frist paragraph"\nreading = "first"\nreason = "x"\n',
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
