"""Stage 3: the standoff apparatus resolves against the seed, or fails clearly."""

from __future__ import annotations

import pytest

from edition.apparatus.entries import ApparatusFile
from edition.errors import ApparatusError
from edition.sources.structure import recognise

SEED = (
    "A Title\n\n"
    "    1. Freeze pg 409 says so. Then (Freeze pg 409) again.\n\n"
    "    2. Another numbered paragraph, citing Freeze pg 410.\n\n"
    "    3. A third paragraph: Freeze pg 409.\n\n"
    "Leave a Reply\n\nConnecting to %s\n"
)


def resolve(tmp_path, toml, keys=("freeze2009",)):
    path = tmp_path / "x.toml"
    path.write_text(toml, encoding="utf-8")
    app_file = ApparatusFile.load(path)
    doc = recognise("x", SEED, app_file.structure_overrides(SEED))
    return doc, app_file.resolve(doc, keys)


def test_note_anchor_with_paragraph_disambiguator(tmp_path):
    doc, app = resolve(tmp_path, '[[note]]\nid = "n"\nanchor = "Freeze pg 409"\nparagraph = 3\ntext = "A note."\n')
    (note,) = app.notes
    assert SEED[:note.call].endswith("third paragraph: Freeze pg 409")


def test_note_anchor_with_occurrence(tmp_path):
    _, app = resolve(tmp_path, '[[note]]\nid = "n"\nanchor = "Freeze pg 409"\noccurrence = 2\ntext = "A note."\n')
    assert SEED[:app.notes[0].call].endswith("Then (Freeze pg 409")


def test_citation_all_occurrences_with_key_and_pages(tmp_path):
    _, app = resolve(tmp_path, '[[citation]]\nid = "c"\nanchor = "Freeze pg 409"\noccurrence = "all"\nkey = "freeze2009"\npages = "409"\n')
    (citation,) = app.citations
    assert citation.key == "freeze2009" and citation.pages == "409"
    assert [SEED[s.start:s.end] for s in citation.spans] == ["Freeze pg 409"] * 3


def test_missing_anchor_names_file_entry_and_text(tmp_path):
    with pytest.raises(ApparatusError) as err:
        resolve(tmp_path, '[[note]]\nid = "drifted"\nanchor = "Freeze page 409"\ntext = "x"\n')
    message = str(err.value)
    assert "x.toml" in message and "id='drifted'" in message and "'Freeze page 409'" in message
    assert "is not in the seed" in message


def test_ambiguous_anchor_lists_the_places(tmp_path):
    with pytest.raises(ApparatusError) as err:
        resolve(tmp_path, '[[note]]\nid = "amb"\nanchor = "Freeze pg 409"\ntext = "x"\n')
    message = str(err.value)
    assert "x.toml" in message and "id='amb'" in message
    assert "ambiguous: it occurs 3 times (at 3:8, 3:37, 7:27)" in message
    assert "paragraph = N or occurrence = N" in message


def test_unknown_bibliography_key(tmp_path):
    with pytest.raises(ApparatusError, match=r"id='c'.*unknown bibliography key 'nosuch'"):
        resolve(tmp_path, '[[citation]]\nid = "c"\nanchor = "Freeze pg 410"\nkey = "nosuch"\n')


def test_anchor_in_wrong_paragraph(tmp_path):
    with pytest.raises(ApparatusError, match="is not in paragraph 1"):
        resolve(tmp_path, '[[note]]\nid = "n"\nanchor = "Freeze pg 410"\nparagraph = 1\ntext = "x"\n')


def test_omission_through_takes_a_run_of_blocks(tmp_path):
    _, app = resolve(tmp_path, '[[omission]]\nid = "form"\nanchor = "Leave a Reply"\nthrough = "Connecting to %s"\nreason = "form"\n')
    assert [b.text for b in app.omissions[0].blocks] == ["Leave a Reply", "Connecting to %s"]


def test_note_in_omitted_text_is_an_error(tmp_path):
    toml = ('[[omission]]\nid = "form"\nanchor = "Leave a Reply"\nthrough = "Connecting to %s"\nreason = "form"\n'
            '[[note]]\nid = "n"\nanchor = "Connecting"\ntext = "x"\n')
    with pytest.raises(ApparatusError, match="lies in text omitted by 'form'"):
        resolve(tmp_path, toml)


@pytest.mark.parametrize(("toml", "message"), [
    ('[[note]]\nid = "n"\nanchor = "A Title"\n', r"\[\[note\]\] id='n': missing text"),
    ('[[note]]\nid = "n"\nanchor = "A"\ntext = "x"\ncolour = "red"\n', "unknown field"),
    ('[[note]]\nid = "N_1"\nanchor = "A"\ntext = "x"\n', "is not lower-case-with-hyphens"),
    ('[[gloss]]\nid = "g"\nanchor = "A"\n', "unknown table"),
    ('[[note]\nid = "n"\n', "not valid TOML"),
    ('[[structure]]\nid = "s"\nanchor = "A Title"\nkind = "poem"\n', "unknown block kind 'poem'"),
    ('[[note]]\nid = "n"\nanchor = "Freeze pg 409"\noccurrence = 9\ntext = "x"\n', "occurs 3 time"),
])
def test_malformed_entries(tmp_path, toml, message):
    with pytest.raises(ApparatusError, match=message):
        resolve(tmp_path, toml)


def test_real_apparatus_files_resolve(project):
    from edition.render.chapters import prepare
    chapters = prepare(project)
    notes = {c.seed.entry.slug: [n.id for n in c.apparatus.notes] for c in chapters}
    assert "plenum-month" in notes["furr-beria-reform"]


def resolve_with_registers(tmp_path, toml):
    path = tmp_path / "x.toml"
    path.write_text(toml, encoding="utf-8")
    app_file = ApparatusFile.load(path)
    doc = recognise("x", SEED, app_file.structure_overrides(SEED))
    return app_file.resolve(doc, ("freeze2009",), person_ids={"beria"}, term_ids={"presidium"})


def test_emendation_sic_mention_and_term_resolve(tmp_path):
    app = resolve_with_registers(tmp_path, (
        '[[emendation]]\nid = "e"\nanchor = "Another"\nreading = "A further"\norigin = "author"\n'
        '[[sic]]\nid = "s"\nanchor = "says so"\nreason = "r"\n'
        '[[mention]]\nid = "m"\nanchor = "third"\nperson = "beria"\n'
        '[[term]]\nid = "t"\nanchor = "numbered"\nterm = "presidium"\n'))
    (em,) = app.emendations
    assert (SEED[em.start:em.end], em.reading, em.origin, em.reason) == ("Another", "A further", "author", "")
    assert SEED[app.sics[0].start:app.sics[0].end] == "says so"
    assert app.mentions[0].person == "beria" and app.terms[0].term == "presidium"


def test_a_regularisation_sets_each_listed_place_right(tmp_path):
    app = resolve_with_registers(tmp_path, (
        '[[regularisation]]\nid = "caps"\nreason = "r"\nfind = "p"\nreplace = "P"\n'
        'anchors = ["third paragraph", "Another numbered paragraph"]\n'))
    (reg,) = app.regularisations
    assert [(p.id, SEED[p.start:p.end], p.reading) for p in reg.places] == [
        ("caps-1", "third paragraph", "third ParagraPh"),
        ("caps-2", "Another numbered paragraph", "Another numbered ParagraPh")]
    # The places in the seed's order, whatever the list's.
    assert [p.id for p in app.changes()] == ["caps-2", "caps-1"]


@pytest.mark.parametrize(("toml", "message"), [
    ('[[mention]]\nid = "m"\nanchor = "third"\nperson = "stalin"\n', "unknown person id 'stalin'"),
    ('[[term]]\nid = "t"\nanchor = "third"\nterm = "plenum"\n', "unknown glossary term 'plenum'"),
    ('[[emendation]]\nid = "e"\nanchor = "third"\nreading = "third"\norigin = "copy"\n', "must differ"),
    ('[[emendation]]\nid = "e"\nanchor = "third"\nreading = "fourth"\n', "missing origin"),
    ('[[emendation]]\nid = "e"\nanchor = "third"\nreading = "fourth"\norigin = "typist"\n',
     "origin must be one of author, copy, author-or-copy"),
    ('[[emendation]]\nid = "e"\nanchor = "third"\nreading = "fourth"\norigin = "copy"\nreason = "# x"\n',
     "would open a block"),
    ('[[regularisation]]\nid = "r"\nreason = "r"\nfind = "-"\nreplace = "—"\nanchors = ["third"]\n',
     "'-' is not in the anchor 'third'"),
    ('[[regularisation]]\nid = "r"\nreason = "r"\nfind = "F"\nreplace = "f"\nanchors = ["Freeze pg 409"]\n',
     "ambiguous"),
    ('[[regularisation]]\nid = "r"\nreason = "r"\nfind = "h"\nreplace = "H"\nanchors = "third"\n',
     "anchors must be a list of quotations"),
    ('[[source-note]]\nid = "v"\nnumber = 1\nvoice = "author"\n', "the source has no note 1"),
    ('[[emendation]]\nid = "e"\nanchor = "Another numbered"\nreading = "x"\norigin = "copy"\n'
     '[[sic]]\nid = "s"\nanchor = "numbered paragraph"\nreason = "r"\n', "entries 'e' and 's' overlap"),
    ('[[citation]]\nid = "c"\nanchor = "Freeze pg 410"\nkey = "freeze2009"\n'
     '[[note]]\nid = "n"\nanchor = "Freeze pg"\nparagraph = 2\ntext = "x"\n', "call would fall inside 'c'"),
])
def test_validation_errors_name_the_entry(tmp_path, toml, message):
    with pytest.raises(ApparatusError, match=message) as err:
        resolve_with_registers(tmp_path, toml)
    assert "x.toml" in str(err.value) and "id=" in str(err.value)


def test_paragraph_reference_to_a_missing_paragraph(make_project):
    from edition.render.chapters import prepare

    proj = make_project(
        {"one": b"One\n\nA paragraph.\n", "two": b"Two\n\nAnother paragraph.\n"},
        {"one": '[[note]]\nid = "n"\nanchor = "A paragraph."\ntext = "Compare {para}`two 7`."\n'})
    with pytest.raises(ApparatusError, match=r"one\.toml:\[\[note\]\] id='n': \{para\}: two has no paragraph '7'"):
        prepare(proj)


@pytest.mark.parametrize(("toml", "message"), [
    ('[[structure]]\nid = "noop"\nanchor = "Another numbered"\nkind = "paragraph"\n',
     "x.toml:[[structure]] id='noop': changes nothing: the block is already 'paragraph' (remove the entry)"),
    ('[[structure]]\nid = "nolist"\nanchor = "Leave a Reply"\nkind = "list-item"\n',
     "x.toml:[[structure]] id='nolist': 'list-item' cannot apply: the block opens with no list marker "
     "(a list item opens with “1.”"),
])
def test_a_structure_entry_that_changes_nothing_or_cannot_apply_is_named(tmp_path, toml, message):
    with pytest.raises(ApparatusError) as err:
        resolve(tmp_path, toml)
    assert message in str(err.value)


def test_a_structure_entry_makes_a_numbered_block_a_list_item(tmp_path):
    doc, _ = resolve(tmp_path, '[[structure]]\nid = "item"\nanchor = "Another numbered"\nkind = "list-item"\n')
    kinds = [b.kind.value for b in doc.blocks]
    assert kinds[1:4] == ["paragraph", "list-item", "paragraph"]


def test_a_textual_note_id_is_one_entrys(tmp_path):
    with pytest.raises(ApparatusError, match="the id 'caps-1' names a sic and a regularisation"):
        resolve_with_registers(tmp_path, (
            '[[regularisation]]\nid = "caps"\nreason = "r"\nfind = "p"\nreplace = "P"\n'
            'anchors = ["third paragraph"]\n'
            '[[sic]]\nid = "caps-1"\nanchor = "says so"\nreason = "r"\n'))
