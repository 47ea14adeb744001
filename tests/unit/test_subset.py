"""The EPUB's book face cut to the characters the book uses (edition.fonts.subset):
HarfBuzz's subsetter where libharfbuzz-subset is installed (scripts/bootstrap
installs it), fontTools' otherwise; both keep the characters, the small
capitals and the licence, drop hinting and SIL's own table, and give the same
bytes for the same input."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from edition.fonts import subset
from edition.fonts.embed import EXTRA_FEATURES
from edition.fonts.faces import DEFAULT_BOOK_FACE, font_path

SOURCE = font_path(DEFAULT_BOOK_FACE.face())
TEXT = "The Fall of Beria, 1953 — Берия, Маленков; Ёё «quoted» ¶"


def features(font: TTFont, table: str) -> set[str]:
    return {record.FeatureTag for record in font[table].table.FeatureList.FeatureRecord}


@pytest.mark.parametrize("cut", [subset._harfbuzz_subset, subset._fonttools_subset],
                         ids=["harfbuzz", "fonttools"])
def test_a_cut_keeps_the_characters_small_capitals_and_licence(cut):
    if cut is subset._harfbuzz_subset and subset._harfbuzz() is None:
        pytest.fail("libharfbuzz-subset is missing: scripts/bootstrap installs it")
    points = sorted({ord(c) for c in TEXT})
    data = cut(SOURCE, points, EXTRA_FEATURES)
    assert cut(SOURCE, points, EXTRA_FEATURES) == data   # the same bytes again
    font, whole = TTFont(io.BytesIO(data)), TTFont(SOURCE)
    assert set(font.getBestCmap()) == set(points)   # these characters, no others
    assert len(data) < SOURCE.stat().st_size / 4
    assert {"smcp", "c2sc"} <= features(font, "GSUB")
    assert "SIL Open Font License" in font["name"].getDebugName(13)
    # Every standard name record (copyright, licence, designer…) in every
    # language; fontTools drops the feature names (IDs from 256) it prunes.
    names = {(n.nameID, n.platformID, n.langID) for n in font["name"].names}
    assert {(n.nameID, n.platformID, n.langID) for n in whole["name"].names if n.nameID < 256} <= names
    # Dropped: hinting and SIL's own table, which the source has.
    dropped = {"Silt", "fpgm", "prep", "cvt "}
    assert dropped <= set(whole.keys()) and not dropped & set(font.keys())
    # The small capitals of the text's lower-case letters (smcp: a → a.sc)
    # are kept: in the cut font's smcp lookups, each has its substitute.
    cut_cmap, table = font.getBestCmap(), font["GSUB"].table
    mapped = {}
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag == "smcp":
            for index in record.Feature.LookupListIndex:
                for sub in table.LookupList.Lookup[index].SubTable:
                    mapped.update(getattr(getattr(sub, "ExtSubTable", sub), "mapping", None) or {})
    letters = {cut_cmap[ord(c)] for c in TEXT if c.islower()}
    assert len(letters) > 10 and letters <= set(mapped)
    assert {mapped[g] for g in letters} <= set(font.getGlyphOrder()) - letters


def test_harfbuzz_is_the_engine_here_and_names_its_version():
    assert subset.engine().startswith("harfbuzz ")
    assert subset.subset_face(SOURCE, [ord("A")]) == subset._harfbuzz_subset(SOURCE, [ord("A")], ())


def test_a_damaged_font_is_an_error_naming_the_file(tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"not a font" * 10)
    with pytest.raises(subset.SubsetError, match="broken.ttf"):
        subset.subset_face(broken, [ord("A")])
    with pytest.raises(subset.SubsetError, match="missing.ttf"):
        subset.subset_face(tmp_path / "missing.ttf", [ord("A")])
