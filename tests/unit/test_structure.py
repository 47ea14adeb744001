"""Stage 2: structure recognition is lossless and finds what the texts contain."""

from __future__ import annotations

import pytest

from edition.apparatus.entries import ApparatusFile
from edition.sources.seeds import read_all
from edition.sources.structure import Block, BlockKind, Gap, MarkKind, recognise


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
