"""Seed text never becomes markup: a seed full of MyST, HTML and reST syntax
builds (warnings are errors) and every character shows literally."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from edition.build import build

# Each block is a paragraph of the seed; the first one, a front-matter
# block, is the title.
HOSTILE_BLOCKS = [
    "---\ntitle: injected front matter\n---",
    "```{include} /etc/passwd\n```",
    "<script>alert('x')</script> and <b>bold</b> and <img src=x onerror=alert(1)>",
    "A footnote call[^1] here.",
    "[^1]: an injected footnote body",
    "*stars* and **double** and _under_ and `code`",
    "$x$ and $$y$$ and \\(z\\)",
    "(label)=",
    "# heading",
    "{{ substitution }} and {sub-ref}`wordcount-words`",
    "{eval-rst}`raw` and ```{eval-rst}\n.. raw:: html\n   <i>raw</i>\n```",
    ":::{note}\nan admonition\n:::",
    "| a | table |\n|---|---|\n| 1 | 2 |",
    "[a link](https://example.com) and <https://example.com> and ![img](x.png)",
    ".. include:: /etc/passwd\n.. raw:: html\n   <b>rest</b>",
    "&amp; &lt;b&gt; &#x41;",
    "1. not a list",
    "% not a comment",
    "+++ not a block break",
    "> not a quote",
]


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory, project_writer):
    base = tmp_path_factory.mktemp("hostile")
    seed = "\n\n".join(HOSTILE_BLOCKS) + "\n"
    proj = project_writer(base / "project", {"hostile": seed.encode("utf-8")})
    build(proj, ("html",), quiet=True)
    page = BeautifulSoup((proj.build_dir / "html" / "texts" / "hostile.html").read_text("utf-8"), "lxml")
    body = page.find(attrs={"role": "main"})
    # The edition's own markup around the seed text: the catalogue headnote,
    # heading permalinks and paragraph numbers.
    body.find("div", class_="headnote").decompose()
    for link in body.select("a.headerlink, a.para-num"):
        link.decompose()
    return body


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("block", HOSTILE_BLOCKS)
def test_every_character_shows_literally(hostile_html, block):
    assert normalise(block) in normalise(hostile_html.get_text())


def test_no_element_comes_from_the_seed(hostile_html):
    body = hostile_html
    for tag in ("script", "b", "i", "img", "em", "strong", "code", "table", "math", "iframe"):
        assert body.find(tag) is None, tag
    assert body.find(class_="math") is None
    assert body.find(class_="admonition") is None
    assert body.find("aside") is None           # no footnote was made
    # No target was made: an id "label" may only be the slug of the heading "(label)=".
    for tag in body.find_all(id="label"):
        assert tag.find_next(["h1", "h2"]).get_text() == "(label)="
    # Headings are the recogniser's (a short line is a heading), with the
    # seed's characters as their text.
    for heading in body.find_all(["h1", "h2", "h3", "h4"]):
        assert normalise(heading.get_text()) in [normalise(b) for b in HOSTILE_BLOCKS]
    assert body.find_all("a") == []
    assert "root:x:0:0" not in body.get_text()  # nothing was included
