"""The edition's names (edition.anchors): one slug pattern, and paragraph
anchors written and read in one place."""

from __future__ import annotations

import pytest

from edition.anchors import (
    Paragraph,
    is_slug,
    paragraph_anchor,
    parse_anchor,
    parse_name,
)


@pytest.mark.parametrize(("text", "ok"), [
    ("furr-beria-reform", True), ("a1", True), ("x", True),
    ("Furr", False), ("a--b", False), ("-a", False), ("a-", False), ("a_b", False), ("", False), (3, False),
])
def test_a_slug_is_lower_case_words_joined_by_single_hyphens(text, ok):
    assert is_slug(text) is ok


def test_an_anchor_is_written_and_read_back():
    assert paragraph_anchor("furr-beria-reform", "35") == "furr-beria-reform-p35"
    for number in ("35", "32+"):
        assert parse_anchor(paragraph_anchor("a-text", number)) == Paragraph("a-text", number)


@pytest.mark.parametrize(("anchor", "found"), [
    ("texts/furr-beria-reform.html#furr-beria-reform-p35", Paragraph("furr-beria-reform", "35")),
    ("#blog-p2", Paragraph("blog", "2")),
    ("blog-h2", None), ("blog-c3", None), ("person-beria", None), ("blog-p", None),
])
def test_a_uri_names_a_paragraph_by_its_fragment(anchor, found):
    assert parse_anchor(anchor) == found


def test_an_editor_names_a_paragraph_by_slug_and_number():
    paragraph = parse_name("  furr-beria-reform   35 ")
    assert paragraph == Paragraph("furr-beria-reform", "35")
    assert paragraph.anchor == "furr-beria-reform-p35"
    assert parse_name("furr-beria-reform") is None and parse_name("furr 3a") is None
