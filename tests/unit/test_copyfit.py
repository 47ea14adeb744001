"""The copy-fitting file: paragraphs named by their words, read and written
back, checked, and turned into the stylesheet the PDF's build applies."""

import pytest

from edition import copyfit
from edition.errors import EditionError


def test_a_paragraph_is_named_by_its_words_and_repeats_are_numbered():
    seen: dict[str, int] = {}
    first = copyfit.paragraph_key("Discussed in  Blog ¶4\n(p. 19).", seen)
    again = copyfit.paragraph_key("Discussed in Blog ¶4 (p. 19).", seen)
    other = copyfit.paragraph_key("Discussed in Blog ¶5 (p. 19).", seen)
    assert again == f"{first}-2"            # the same words, spaced otherwise: the same name, numbered
    assert other != first and "-" not in other
    assert copyfit.paragraph_key("Discussed in Blog ¶4 (p. 19).", {}) == first   # in any build


def test_the_file_is_written_and_read_back(tmp_path):
    path = tmp_path / copyfit.FILE_NAME
    tables = {"critical.a5": {"abc": copyfit.Fit(0.009, "Stalin’s “last” work", "27"),
                              "def": copyfit.Fit(-0.006, 'A "quoted" word', "xiii"),
                              "ghi": copyfit.Fit(0.0, "Discussed in", "26", 1.29),
                              "jkl": copyfit.Fit(0.003, "Both", "26", 2.5)},
              "diplomatic.a5": {}}
    copyfit.write(path, tables)
    assert copyfit.read(path) == {"critical.a5": tables["critical.a5"]}
    assert "[critical.a5]" in path.read_text(encoding="utf-8")
    assert copyfit.read(tmp_path / "none.toml") == {}


@pytest.mark.parametrize("text", ['[critical.a5]\nabc = { tracking = 0.5 }\n',
                                  '[critical.a5]\nabc = { tracking = 0 }\n',
                                  '[critical.a5]\nabc = { begins = "x" }\n',
                                  '[critical.a5]\nabc = { space = -2 }\n',
                                  '[critical.a5]\nabc = { space = "2pt" }\n',
                                  '[critical.a5\n'])
def test_a_bad_file_is_one_error_naming_it(tmp_path, text):
    path = tmp_path / copyfit.FILE_NAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as error:
        copyfit.read(path)
    assert str(path) in str(error.value) and "edition copyfit" in str(error.value)


def test_the_stylesheet_tracks_each_paragraph_stretches_each_gap_and_leaves_the_notes_alone():
    css = copyfit.stylesheet({"abc": copyfit.Fit(0.009, ""), "def": copyfit.Fit(-0.003, ""),
                              "ghi": copyfit.Fit(0.0, "", "", 1.29)})
    assert '[data-fit="abc"] { letter-spacing: 0.009em; word-spacing: 0.036em; }' in css
    assert '[data-fit="def"] { letter-spacing: -0.003em; word-spacing: -0.012em; }' in css
    # A stretched gap: padding, which does not collapse into the margin already there.
    assert '[data-fit="ghi"] { padding-top: 1.29pt; }' in css and '"ghi"] { letter' not in css
    assert "[data-fit] span.footnote { letter-spacing: normal; word-spacing: normal; }" in css
    assert "!important" in copyfit.stylesheet({"abc": copyfit.Fit(0.009, "")}, important=True)
    assert copyfit.stylesheet({}) == ""
