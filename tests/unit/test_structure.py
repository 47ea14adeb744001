"""Stage 2: structure recognition is lossless and finds what the texts contain."""

from __future__ import annotations

import pytest

from edition.apparatus.entries import ApparatusFile
from edition.errors import ApparatusError
from edition.sources.seeds import read_all
from edition.sources.structure import Block, BlockKind, Gap, MarkKind, StructureOverride, recognise


@pytest.fixture(scope="module")
def documents(project):
    docs = {}
    for seed in read_all(project.seeds_dir):
        app = ApparatusFile.load(project.apparatus_path(seed.entry.slug))
        docs[seed.entry.slug] = recognise(seed.entry.slug, seed.text, app.structure_overrides(seed.text))
    return docs, {s.entry.slug: s.text for s in read_all(project.seeds_dir)}


def test_every_seed_is_reconstructed_from_the_model(documents):
    docs, texts = documents
    for slug, doc in docs.items():
        # The pieces tile the seed: contiguous, no overlap, nothing left over.
        pos = 0
        for piece in doc.pieces:
            assert piece.start == pos, (slug, piece)
            assert piece.end > piece.start
            pos = piece.end
        assert pos == len(texts[slug])
        # What the model leaves out of the blocks is recorded layout, nothing else.
        for piece in doc.pieces:
            if isinstance(piece, Gap):
                assert piece.raw.strip(" \t\n\r\u00a0") == "", (slug, piece.raw)
        assert doc.reconstruct() == texts[slug]


def test_crlf_and_indentation_survive_reconstruction():
    text = "Title\r\n\r\n\u00a0 \u00a0 1. First numbered.\r\n\r\n  Quoted line.\r\n\r\n2. Two.\r\n\r\n3. Three.\r\n"
    doc = recognise("x", text)
    assert doc.reconstruct() == text
    assert [b.kind for b in doc.blocks][:3] == [BlockKind.TITLE, BlockKind.PARAGRAPH, BlockKind.BLOCK_QUOTE]
    assert doc.blocks[1].text == "1. First numbered."
    assert doc.blocks[1].indent == "\u00a0 \u00a0 "


def kinds(doc, kind):
    return [b for b in doc.blocks if b.kind is kind]


def test_furr_keeps_the_sources_paragraph_numbers_and_quotations(documents):
    doc = documents[0]["furr-beria-reform"]
    assert doc.blocks[0].kind is BlockKind.TITLE
    assert doc.blocks[0].text == "Beria's Moves towards Democratic Reform"
    paragraphs = kinds(doc, BlockKind.PARAGRAPH)
    assert [p.source_number for p in paragraphs] == [str(n) for n in range(32, 43)]
    quotes = kinds(doc, BlockKind.BLOCK_QUOTE)
    # Indented quotations (33, 38) and quotations introduced on their own line (32, 34…).
    assert {q.paragraph for q in quotes} == {"32", "33", "34", "35", "36", "38", "40", "41"}
    assert quotes[0].text.startswith("When he [Beria] made his presentation")
    sergo = [q for q in quotes if q.paragraph == "38"]
    assert len(sergo) == 3 and all(q.indent for q in sergo)
    assert doc.blocks[-1].kind is BlockKind.HEADING
    assert doc.blocks[-1].text == "Deaths of Stalin and Beria . . . and Others?"


def test_blog_headings_comments_captions_and_boilerplate(documents):
    doc = documents[0]["blog-genuine-desire"]
    assert [h.text for h in kinds(doc, BlockKind.HEADING)] == [
        "Setting the Stage",
        "Stalin’s Death and The Struggle for Power",
        "Beria’s\u00a0Push for Reform",
        "The Adversaries Plot and Beria’s Execution",
        "A Missed Opportunity or Another Play for Power",
    ]
    comments = kinds(doc, BlockKind.COMMENT)
    assert [c.source_number for c in comments] == ["1", "2", "3", "4", "5"]
    assert comments[0].text.startswith("1. First, good job")
    (heading,) = kinds(doc, BlockKind.COMMENTS_HEADING)
    assert heading.text.startswith("8 thoughts on")
    (caption,) = kinds(doc, BlockKind.IMAGE_CAPTION)
    assert caption.text.startswith("1393349996-sans-titre-4 the big three")
    boiler = kinds(doc, BlockKind.BOILERPLATE)
    assert boiler[0].text == "Featured Image –"
    assert boiler[1].text == "Leave a Reply" and boiler[-1].text == "Connecting to %s"
    mentions = [doc.text[m.start:m.end] for b in doc.blocks for m in b.marks
                if m.kind is MarkKind.MEDIA_MENTION]
    assert mentions == [
        "Below is a video of Beria’s Speech at the funeral.",
        "The Following Video show footage of Malenkov’s speech.",
    ]
    # The editor's override: a closing line, not a heading.
    closing = next(b for b in doc.blocks if b.text == "All other sources are in-text citations")
    assert closing.kind is BlockKind.PARAGRAPH


def test_dunayevskaya_headers_notes_and_note_calls(documents):
    doc = documents[0]["dunayevskaya-beria-purge"]
    assert kinds(doc, BlockKind.TITLE)[0].text == "The Beria Purge"
    assert kinds(doc, BlockKind.BYLINE)[0].text == "Raya Dunayevskaya 1953"
    assert [h.text.split(":")[0] for h in kinds(doc, BlockKind.SOURCE_HEADER)] == [
        "Source", "First published", "Transcribed"]
    notes = kinds(doc, BlockKind.NOTE_BODY)
    assert [n.source_number for n in notes] == ["1", "2"]
    assert notes[0].text.endswith("– Transcribers Note.")
    calls = [(m.label, doc.text[m.start:m.end]) for b in doc.blocks for m in b.marks
             if m.kind is MarkKind.NOTE_REF]
    assert calls == [("1", "[1]"), ("2", "[2]")]
    # The edition numbers unnumbered texts' paragraphs itself.
    paragraphs = kinds(doc, BlockKind.PARAGRAPH)
    assert [p.paragraph for p in paragraphs] == [str(n) for n in range(1, len(paragraphs) + 1)]


def test_no_block_is_empty(documents):
    for doc in documents[0].values():
        assert all(isinstance(b, Block) and b.text.strip() for b in doc.blocks)


def test_list_items_and_introduced_quotations():
    text = ("A Title\n\nThe reasons were these:\n\nA quotation introduced on its own line.\n\n"
            "A paragraph before a list that is long enough to be a paragraph, not a heading at all.\n\n"
            "  - an indented item\n\n  2) a numbered item\n")
    doc = recognise("x", text)
    assert [b.kind for b in doc.blocks] == [
        BlockKind.TITLE, BlockKind.PARAGRAPH, BlockKind.BLOCK_QUOTE, BlockKind.PARAGRAPH,
        BlockKind.LIST_ITEM, BlockKind.LIST_ITEM,
    ]
    assert doc.reconstruct() == text


def test_registry_mentions_are_whole_words_longest_first_and_respect_exclusions():
    from edition.apparatus.registers import Person, find_mentions

    beria = Person("beria", "L. P. Beria", "Beria", "x", ("Lavrenti P. Beria", "Beria"),
                   exclude=("Sergo Beria",))
    sergo = Person("sergo", "Sergo Beria", "Beria, Sergo", "x", ("Sergo Beria",))
    text = "Lavrenti P. Beria and Sergo Beria met Berias and Beria’s son."
    found = [(text[m.start:m.end], m.entry_id) for m in find_mentions(text, [beria, sergo])]
    assert found == [("Lavrenti P. Beria", "beria"), ("Sergo Beria", "sergo"), ("Beria", "beria")]


# -- lists -----------------------------------------------------------------------------------

INTRO = "A Title\n\nThe reasons were these, and there were three of them:\n\n"
OUTRO = "\n\nA closing paragraph, long enough to be a paragraph and not a heading.\n"


@pytest.mark.parametrize("items", [
    ["1. First reason.", "2. Second reason.", "3. Third reason."],
    ["1) First reason.", "2) Second reason.", "3) Third reason."],
    ["a) First reason.", "b) Second reason.", "c) Third reason."],
    ["- First reason.", "- Second reason.", "- Third reason."],
    ["• First reason.", "• Second reason.", "• Third reason."],
    ["* First reason.", "* Second reason.", "* Third reason."],
])
@pytest.mark.parametrize("between", ["\n", "\n\n", "\r\n\r\n"])
def test_lists_are_items_with_or_without_blank_lines(items, between):
    text = INTRO + between.join(items) + OUTRO
    doc = recognise("x", text)
    assert doc.reconstruct() == text
    assert [b.kind for b in doc.blocks] == [
        BlockKind.TITLE, BlockKind.PARAGRAPH, *[BlockKind.LIST_ITEM] * 3, BlockKind.PARAGRAPH]
    assert [b.text for b in kinds(doc, BlockKind.LIST_ITEM)] == items
    # A list belongs to the paragraph before it, as a quotation does.
    assert [b.paragraph for b in doc.blocks[1:]] == ["1", "1", "1", "1", "2"]


def test_a_list_item_keeps_its_wrapped_lines_and_indentation():
    text = INTRO + "  1. First reason,\n     wrapped.\n  2. Second reason.\n\n  3. Third, apart." + OUTRO
    doc = recognise("x", text)
    assert doc.reconstruct() == text
    items = kinds(doc, BlockKind.LIST_ITEM)
    assert [b.text for b in items] == ["1. First reason,\n     wrapped.", "2. Second reason.", "3. Third, apart."]
    assert all(b.indent == "  " for b in items)


def test_a_line_with_another_marker_continues_the_item():
    text = INTRO + "1. First reason:\n- a detail\n2. Second reason.\n4. Not the next number." + OUTRO
    items = kinds(recognise("x", text), BlockKind.LIST_ITEM)
    assert [b.text for b in items] == ["1. First reason:\n- a detail", "2. Second reason.\n4. Not the next number."]


@pytest.mark.parametrize("text", [
    # A text that numbers its paragraphs from 1, right under its title.
    "A Title\n\n1. A paragraph of the text.\n\n2. Another paragraph.\n\n3. A third paragraph.\n",
    # Numbered paragraphs with quotations between them, not counting from 1 (Furr).
    "A Title\n\n     32. Officially, it was so:\n\nA quotation of some length, in its own block.\n\n"
    "     33. A paragraph.\n\n     34. Another paragraph.\n\n     35. The last one.\n",
    # An unnumbered opening paragraph, then the author's numbered paragraphs:
    # "1." and "2." are not a list, since the numbering goes on in "3.".
    "A Title\n\nAn opening paragraph, long enough to be one, and not a heading at all.\n\n"
    "1. A paragraph.\n\n2. Another one.\n\nA quotation between the paragraphs, set on its own.\n\n"
    "3. A third paragraph.\n",
])
def test_numbered_paragraphs_are_not_lists(text):
    doc = recognise("x", text)
    assert kinds(doc, BlockKind.LIST_ITEM) == []
    numbered = [b for b in kinds(doc, BlockKind.PARAGRAPH) if b.source_number]
    assert len(numbered) >= 3 and all(b.paragraph == b.source_number for b in numbered)


def test_a_list_inside_a_numbered_paragraph():
    text = ("A Title\n\n     32. A numbered paragraph introduces a list:\n\n1. One.\n\n2. Two.\n\n"
            "     33. A paragraph.\n\n     34. Another paragraph.\n")
    doc = recognise("x", text)
    assert [(b.kind, b.paragraph) for b in doc.blocks[1:]] == [
        (BlockKind.PARAGRAPH, "32"), (BlockKind.LIST_ITEM, "32"), (BlockKind.LIST_ITEM, "32"),
        (BlockKind.PARAGRAPH, "33"), (BlockKind.PARAGRAPH, "34")]


def test_a_single_unindented_item_is_not_a_list():
    text = INTRO + "- A dash opens this paragraph, which stands alone and is long enough." + OUTRO
    assert kinds(recognise("x", text), BlockKind.LIST_ITEM) == []


def test_the_real_texts_have_no_lists(documents):
    # Furr's "32."…, the blog's numbered comments and Dunayevskaya's notes are none.
    for doc in documents[0].values():
        assert kinds(doc, BlockKind.LIST_ITEM) == []


def override(text, anchor, kind, place="[[structure]] id='s'"):
    return StructureOverride(text.index(anchor), BlockKind(kind), "x.toml", place)


def test_an_override_makes_a_block_a_list_or_a_list_a_paragraph():
    text = ("A Title\n\n1. One.\n2. Two.\n\n"
            "- A paragraph that opens with a dash and is long enough to be one.\n")
    assert [b.kind for b in recognise("x", text).blocks][1:] == [
        BlockKind.LIST_ITEM, BlockKind.LIST_ITEM, BlockKind.PARAGRAPH]
    # The editor's word: the first block is a paragraph, items and all…
    doc = recognise("x", text, [override(text, "Two", "paragraph")])
    assert [(b.kind, b.text) for b in doc.blocks][1] == (BlockKind.PARAGRAPH, "1. One.\n2. Two.")
    # …or the last one is a list of one item.
    doc = recognise("x", text, [override(text, "A paragraph", "list-item")])
    assert doc.blocks[-1].kind is BlockKind.LIST_ITEM and doc.reconstruct() == text


@pytest.mark.parametrize(("anchor", "kind", "message"), [
    ("A paragraph", "paragraph", "changes nothing: the block is already 'paragraph'"),
    ("Two", "list-item", "changes nothing: the block is already 'list-item'"),
    ("A Title", "title", "changes nothing"),
    ("Another paragraph", "list-item", "'list-item' cannot apply: the block opens with no list marker"),
    ("Another paragraph", "note-body", "'note-body' cannot apply: the block opens with no note number"),
])
def test_an_override_that_changes_nothing_or_cannot_apply_is_an_error(anchor, kind, message):
    text = "A Title\n\n1. One.\n2. Two.\n\nA paragraph, long enough not to be a heading.\n\nAnother paragraph.\n"
    with pytest.raises(ApparatusError, match=message) as err:
        recognise("x", text, [override(text, anchor, kind)])
    assert str(err.value).startswith("x.toml:[[structure]] id='s': ")


def test_two_overrides_of_one_block_are_an_error():
    text = "A Title\n\nA Heading\n\nA paragraph, long enough not to be a heading.\n"
    with pytest.raises(ApparatusError, match="already made 'paragraph' by \\[\\[structure\\]\\] id='a'"):
        recognise("x", text, [override(text, "A Heading", "paragraph", "[[structure]] id='a'"),
                              override(text, "Heading", "byline", "[[structure]] id='b'")])


def test_an_override_makes_a_numbered_block_a_note_of_the_source_with_its_number():
    text = "A Title\n\nA paragraph, long enough not to be a heading[4].\n\n4. The note, not called last.\n\nAn end.\n"
    doc = recognise("x", text, [override(text, "The note", "note-body")])
    (note,) = kinds(doc, BlockKind.NOTE_BODY)
    assert note.source_number == "4"


def test_dialogue_dashes_are_not_a_list():
    text = ("A Title\n\nShe turned at the door and asked him where he was going.\n\n"
            "– Where are you going?\n– Home, and then to the river.\n\n– Home.\n")
    doc = recognise("x", text)
    assert kinds(doc, BlockKind.LIST_ITEM) == []
    assert all(b.paragraph for b in doc.blocks[1:])


def test_the_turns_of_a_dialogue_on_consecutive_lines_are_paragraphs_of_their_own():
    text = ("A Title\n\n— Tu te souviens de la maison ? dis-je.\n— Je ne l'ai pas oubliée.\n— Et alors ?\n\n"
            "A closing paragraph, long enough to be a paragraph and not a heading,\n"
            "— with one wrapped line that opens with a dash — stays one block.\n")
    doc = recognise("x", text)
    assert [b.text.strip() for b in doc.blocks[1:4]] == [
        "— Tu te souviens de la maison ? dis-je.", "— Je ne l'ai pas oubliée.", "— Et alors ?"]
    assert all(b.kind is BlockKind.PARAGRAPH and b.paragraph for b in doc.blocks[1:4])
    assert doc.blocks[4].text.startswith("A closing paragraph") and len(doc.blocks) == 5
    assert doc.reconstruct() == text
