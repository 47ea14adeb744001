"""The edition as TEI P5: valid against tei_all, both readings equal to the
sources, and the apparatus, registers and printed pages as a TEI reader
(TEI Publisher, EVT, an XSLT of one's own) finds them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from edition.build import build
from edition.build.staging import BuildError
from edition.project import Project
from edition.schemas import TEI_ALL, validate_tei
from edition.verify import verify

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

pytestmark = pytest.mark.docbuild


@pytest.fixture(scope="module")
def tei_path(edition) -> Path:
    (path,) = (edition.build_dir / "tei").glob("*.xml")
    return path


@pytest.fixture(scope="module")
def tei(tei_path):
    return etree.parse(str(tei_path)).getroot()


def text_of(tei, slug: str):
    (text,) = tei.iterfind(f".//t:text[@n='{slug}']", NS)
    return text


def test_the_tei_is_valid_tei_p5(tei_path):
    """jing, against TEI P5 tei_all (4.3.0, kept in the repository), finds nothing."""
    assert "TEI Edition: Version\u00a04.3.0." in TEI_ALL.read_text("utf-8")[:2000]
    assert validate_tei(tei_path) == []


def test_an_invalid_tei_is_reported_with_the_validators_message(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(f'<TEI xmlns="{TEI}"><text><body><p><div/></p></body></text></TEI>', encoding="utf-8")
    problems = validate_tei(bad)
    assert problems and all(re.match(r"\d+:\d+: error: ", p) for p in problems)
    assert any("teiHeader" in p or "div" in p for p in problems)


def test_an_invalid_tei_fails_the_build_and_keeps_the_last_good(edition, tmp_path, monkeypatch):
    """The validator's message fails the build; the TEI built before stays."""
    from edition.sphinxext.tei import document

    project = Project(edition.root, build_root=tmp_path / "build")
    build(project, ("tei",), quiet=True)
    (good,) = (project.build_dir / "tei").glob("*.xml")
    before = good.read_bytes()
    monkeypatch.setattr(document, "validate_tei", lambda path: ["3:14: error: element \"div\" not allowed here"])
    with pytest.raises(BuildError):
        build(project, ("tei",), quiet=True)
    assert good.read_bytes() == before


def test_both_readings_are_the_sources_word_for_word(edition):
    """The critical reading (corr, reg; omissions as […]) and the diplomatic
    (sic, orig; the omitted text restored) give every word of every source,
    in order, as the other formats do."""
    report = verify(edition, formats=("tei",))
    assert report.differences == []
    assert report.texts == {"tei": 3, "tei (diplomatic)": 3}
    assert report.counts["tei"] > 4000 and report.counts["tei (diplomatic)"] > report.counts["tei"]


def test_paragraphs_carry_the_sites_anchors_and_numbers(tei, edition):
    """Each numbered paragraph's xml:id is its anchor on the site, its n the
    number printed beside it (Furr's own section numbers in his text)."""
    for slug in ("dunayevskaya-beria-purge", "furr-beria-reform", "blog-genuine-desire"):
        page = (edition.build_dir / "html" / "texts" / f"{slug}.html").read_text("utf-8")
        site = re.findall(rf'<p class="numbered[^"]*"[^>]* id="({slug}-p\d+)"', page)
        paragraphs = text_of(tei, slug).iterfind(".//t:p[@n]", NS)
        ids = [p.get(XML_ID) for p in paragraphs]
        assert ids == site and len(ids) > 5
    furr = [p.get("n") for p in text_of(tei, "furr-beria-reform").iterfind(".//t:p[@n]", NS)]
    assert furr[0] == "32" and furr[-1] == "42"


def test_notes_say_whose_they_are(tei):
    text = text_of(tei, "dunayevskaya-beria-purge")
    notes = list(text.iter(f"{{{TEI}}}note"))
    voices = {note.get("resp") for note in notes}
    assert voices == {"#editor", "#author", "#transcriber"}
    assert all(note.get("type") == "editorial" for note in notes if note.get("resp") == "#editor")
    (transcriber,) = [n for n in notes if n.get("resp") == "#transcriber" and n.get("n") == "1"]
    assert "".join(transcriber.itertext()).startswith("Koje-do was a small island")
    header_ids = {e.get(XML_ID) for e in tei.find("t:teiHeader", NS).iter() if e.get(XML_ID)}
    assert {"editor", "author", "transcriber"} <= header_ids


def test_readings_are_choices_and_omissions_gaps(tei):
    duna = text_of(tei, "dunayevskaya-beria-purge")
    emendation = [c for c in duna.iterfind(".//t:choice", NS) if c.find("t:corr", NS) is not None]
    assert any(c.findtext("t:sic", namespaces=NS) == "counter-spies, The counter-spies"
               and c.findtext("t:corr", namespaces=NS) == "counter-spies. The counter-spies" for c in emendation)
    regularised = [c for c in duna.iterfind(".//t:choice", NS) if c.find("t:reg", NS) is not None]
    assert any(c.findtext("t:orig", namespaces=NS) == "Revolution-not alone"
               and c.findtext("t:reg", namespaces=NS) == "Revolution—not alone" for c in regularised)
    standing = [s for s in duna.iterfind(".//t:sic", NS) if s.getparent().tag != f"{{{TEI}}}choice"]
    assert standing   # a [sic]: the reading kept, marked
    blog = text_of(tei, "blog-genuine-desire")
    gaps = blog.findall(".//t:gap", NS)
    assert gaps and all(g.get("reason") == "omitted" and g.findtext("t:desc", namespaces=NS) for g in gaps)
    # Beside each, the editor's note saying why.
    assert all(g.getnext() is not None and g.getnext().get("resp") == "#editor" for g in gaps)


def test_names_terms_and_citations_point_into_the_registers(tei):
    """Every persName, term and citation points at an entry of the header:
    listPerson (the site's person-… ids), the glossary's taxonomy (term-…),
    the works cited under their refs.bib keys."""
    ids = {e.get(XML_ID): e for e in tei.iter() if e.get(XML_ID)}
    group = tei.find("t:text/t:group", NS)
    persons = [p.get("ref")[1:] for p in group.iter(f"{{{TEI}}}persName")]
    assert len(persons) > 100 and all(ids[p].tag == f"{{{TEI}}}person" for p in persons)
    terms = [t.get("ref")[1:] for t in group.iter(f"{{{TEI}}}term")]
    assert len(terms) > 20 and all(ids[t].tag == f"{{{TEI}}}category" for t in terms)
    cited = [r.get("target")[1:] for b in tei.iter(f"{{{TEI}}}bibl") for r in b.iterfind("t:ref", NS)
             if b.getparent().tag != f"{{{TEI}}}listBibl"]
    assert len(cited) > 20
    assert all(ids[key].tag == f"{{{TEI}}}bibl" and ids[key].getparent().get("type") == "works-cited"
               for key in cited)
    assert "knight1993beria" in ids and "person-beria" in ids
    witnesses = tei.findall(".//t:sourceDesc/t:listBibl[@type='witnesses']/t:bibl", NS)
    assert [w.get("corresp") for w in witnesses] == [
        "#text-dunayevskaya-beria-purge", "#text-furr-beria-reform", "#text-blog-genuine-desire"]


def test_the_printed_pages_are_page_breaks(tei, edition):
    """Each page of the PDF that begins in a text is a pb ed="pdf" under its
    folio, in order, before the words the page begins with."""
    from pypdf import PdfReader

    folios = list(PdfReader(edition.build_dir / "pdf" / "beria-1953.pdf").page_labels)
    breaks = [pb.get("n") for pb in tei.iter(f"{{{TEI}}}pb")]
    assert all(pb.get("ed") == "pdf" for pb in tei.iter(f"{{{TEI}}}pb"))
    assert len(breaks) > 15 and breaks == sorted(breaks, key=folios.index)
    assert breaks[0] == "1"   # the first text opens page 1
    (first,) = [pb for pb in tei.iter(f"{{{TEI}}}pb") if pb.get("n") == "1"]
    assert first.getparent().tag == f"{{{TEI}}}head" and first.tail == "The Beria Purge"
