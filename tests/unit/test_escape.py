"""Seed text can never become markup: escaped text parses back to itself."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from hypothesis import given, settings
from hypothesis import strategies as st
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.docutils_ import Parser

from edition.render.escape import escape_text

# The same MyST extensions as book/conf.py.
CONFIG = MdParserConfig(enable_extensions={"attrs_inline"})


def parse(source: str) -> nodes.document:
    settings_ = get_default_settings(Parser)
    settings_.report_level = 5
    settings_.myst_enable_extensions = ["attrs_inline"]
    document = new_document("<seed>", settings_)
    Parser().parse(source, document)
    return document


def only_text(document: nodes.document) -> str:
    """The text of a document that must be one plain paragraph."""
    children = [c for c in document.children if not isinstance(c, nodes.system_message)]
    assert len(children) == 1 and isinstance(children[0], nodes.paragraph), document.pformat()
    para = children[0]
    assert all(isinstance(c, nodes.Text) for c in para.children), para.pformat()
    return para.astext()


HOSTILE = [
    "```{include} /etc/passwd\n```",
    "<script>alert(1)</script>",
    "A note[^1] and [^1]: its body",
    "*stars* and _under_ and **bold**",
    "$x$ and $$y$$",
    "(label)=",
    "---\ntitle: front matter\n---",
    "# heading",
    "{{ substitution }} and {role}`content`",
    "1. a list item",
    "1) another",
    "- bullet",
    "+++ block break",
    "% a comment",
    "> a quote",
    ":::{note}\nbody\n:::",
    "[link](http://example.com) and <http://example.com>",
    "&amp; &#x41; &copy;",
    "| a | table |\n|---|---|",
    "~~strike~~ ^sup^ H~2~O",
    "\\*backslash\\",
    "    indented code",
    "=== setext",
    "![image](x.png)",
    "{eval-rst}`.. raw:: html`",
    "<!-- comment -->",
    "trailing backslash\\",
    "§1.1 section ref",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_literally(text):
    expected = " ".join(line.strip() for line in text.split("\n"))
    assert only_text(parse(escape_text(text))) == expected


_printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u0085"),
    min_size=1, max_size=60,
).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=300, deadline=None)
@given(_printable)
def test_any_text_round_trips(text):
    assert only_text(parse(escape_text(text))) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#*_[]()<>{}`$&|~^!:%=+-.\\1 a")), min_size=1, max_size=30)
       .filter(lambda s: s.strip() == s and s.strip()))
def test_punctuation_soup_round_trips(text):
    assert only_text(parse(escape_text(text))) == text
