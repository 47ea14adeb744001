"""One validator for the editor's TOML files (edition.schema): every file
names the entry and field of what is wrong, in one line."""

from __future__ import annotations

import pytest

from edition.apparatus.chronology import ChronologyError, load_chronology
from edition.apparatus.entries import ApparatusFile
from edition.apparatus.registers import Registry, RegistryError
from edition.errors import ApparatusError, CatalogError, EditionError
from edition.schema import Table, load
from edition.sources.catalog import load_catalog

NOTES = [Table("note", ("id", "text"), ("anchor",)), Table("sic", ("id", "reason"))]


def write(tmp_path, text: str):
    path = tmp_path / "file.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "message"), [
    ('[[note]]\nid = "n"\n', r"file\.toml:\[\[note\]\] id='n': missing text$"),
    ('[[note]]\nid = "n"\ntext = "  "\n', r"\[\[note\]\] id='n': missing text$"),
    ('[[note]]\ntext = "t"\n', r"\[\[note\]\] #1: missing id$"),
    ('[[note]]\nid = "n"\ntext = "t"\ncolour = "red"\n', r"id='n': unknown field\(s\) colour$"),
    ('[[note]]\nid = "N_1"\ntext = "t"\n', r"id 'N_1' is not lower-case-with-hyphens$"),
    ('[[note]]\nid = 3\ntext = "t"\n', r"\[\[note\]\] #1: id 3 is not lower-case-with-hyphens$"),
    ('[[note]]\nid = "n"\ntext = "t"\n[[sic]]\nid = "n"\nreason = "r"\n',
     r"\[\[sic\]\] id='n': id 'n' is used twice$"),
    ('[[gloss]]\nid = "g"\n', r"unknown table\(s\) gloss \(known: \[\[note\]\], \[\[sic\]\]\)$"),
    ('[note]\nid = "n"\n', r"\[note\] must be an array of tables: write \[\[note\]\]$"),
    ('[[note]\n', r"not valid TOML"),
])
def test_a_bad_entry_is_named_with_what_is_wrong(tmp_path, text, message):
    with pytest.raises(EditionError, match=message) as caught:
        load(write(tmp_path, text), NOTES, EditionError)
    assert "\n" not in str(caught.value)


def test_entries_come_back_in_the_files_order_and_an_absent_table_is_empty(tmp_path):
    path = write(tmp_path, '[[note]]\nid = "b"\ntext = "2"\n\n[[note]]\nid = "a"\ntext = "1"\n')
    tables = load(path, NOTES, EditionError)
    assert [e["id"] for e in tables["note"]] == ["b", "a"] and tables["sic"] == []


def test_bytes_that_are_not_utf8_name_their_offset(tmp_path):
    path = tmp_path / "file.toml"
    path.write_bytes(b'[[note]]\nid = "n"\ntext = "caf\xe9"\n')
    with pytest.raises(EditionError, match=r"file\.toml:byte 29: not valid UTF-8"):
        load(path, NOTES, EditionError)


def test_a_missing_file_is_an_error_unless_it_is_optional(tmp_path):
    with pytest.raises(EditionError, match="the file is missing"):
        load(tmp_path / "none.toml", NOTES, EditionError)
    assert load(tmp_path / "none.toml", NOTES, EditionError, optional=True) == {"note": [], "sic": []}


@pytest.mark.parametrize(("name", "text", "read", "error", "message"), [
    ("catalog.toml", '[[text]]\nslug = "x"\ntitle = "T"\n',
     lambda p: load_catalog(p.parent), CatalogError, r"\[\[text\]\] slug='x': missing author"),
    ("a.toml", '[[note]]\nid = "n"\nanchor = "A"\n',
     ApparatusFile.load, ApparatusError, r"\[\[note\]\] id='n': missing text"),
    ("persons.toml", '[[person]]\nid = "p"\nname = "N"\nsort = "N"\n',
     lambda p: Registry.load(p, p.parent / "none.toml"), RegistryError,
     r"\[\[person\]\] id='p': missing description"),
    ("chronology.toml", '[[event]]\ndate = "1953"\ndisplay = "1953"\n',
     lambda p: load_chronology(p, {}, ()), ChronologyError, r"\[\[event\]\] #1 \(1953\): missing text"),
])
def test_each_editor_file_is_checked_by_the_one_validator(tmp_path, name, text, read, error, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=message):
        read(path)
