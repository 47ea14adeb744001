"""The PDF builder on a small book (edition.sphinxext.pdf): notes on the
page of their call in one layout, the same bytes with the speed-ups and
without, the diplomatic edition under a name of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

EPOCH = "1700000000"


@pytest.fixture(autouse=True)
def source_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf")
def test_the_notes_stand_on_their_calls_page_in_one_layout(app, note_pages):
    app.build()
    assert app.warning.getvalue() == ""
    rendering = app.builder.renderings["small-book.pdf"]
    assert rendering.passes == 1 and rendering.kept == [] and rendering.astray == []
    reader = PdfReader(app.outdir / "small-book.pdf")
    assert rendering.pages == len(reader.pages)
    notes, calls = note_pages(reader, set(app.builder.note_paragraphs))
    assert len(notes) == 3 and notes == calls
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "The editor's note, which names Author ¶2" in text.replace("\n", " ")
    assert "Editor." not in text   # the editor's letters say whose the note is


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf-fast",
                    confoverrides={"edition_speedups": True})
def test_the_speedups_give_the_same_bytes(app, make_app):
    from edition import compat
    from edition.sphinxext.compat import report

    assert report(app.builder).applied == [c.name for c in (*compat.TYPESETTING, *compat.SPEEDUPS)]
    app.build()
    fast = (app.outdir / "small-book.pdf").read_bytes()
    plain = make_app("pdf", srcdir=app.srcdir, freshenv=True, builddir=app.srcdir / "_plain")
    plain.build()
    assert (plain.outdir / "small-book.pdf").read_bytes() == fast


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf-diplomatic",
                    confoverrides={"edition_reading": "diplomatic"})
def test_the_diplomatic_edition_has_a_name_of_its_own(app):
    app.build()
    assert sorted(p.name for p in app.outdir.glob("*.pdf")) == ["small-book-diplomatic.pdf"]


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf-print",
                    confoverrides={"edition_pdf_variant": "pdf/x-4", "edition_pdf_crop_marks": True})
def test_the_printers_pdf_has_its_trim_bleed_output_intent_and_fonts(app):
    """PDF/X-4 for a print-on-demand printer: 6×9 in trimmed, 3 mm bleed on
    every side, crop marks in the bleed, an output intent, every font embedded."""
    from pypdf import PdfReader

    app.build()
    assert app.warning.getvalue() == ""
    reader = PdfReader(app.outdir / "small-book.pdfx-4.pdf")
    bleed = 3 / 25.4 * 72
    for page in reader.pages:
        trim = [float(v) for v in page["/TrimBox"]]
        media = [float(v) for v in page.mediabox]
        assert round(trim[2] - trim[0], 1) == 432.0 and round(trim[3] - trim[1], 1) == 648.0   # 6×9 in
        assert abs((media[2] - media[0]) - (trim[2] - trim[0]) - 2 * bleed) < 0.5
        box = [float(v) for v in page["/BleedBox"]]
        assert box[0] <= trim[0] and box[2] >= trim[2]
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFX" and "/DestOutputProfile" in intent.get_object()
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "PDF/X-4" in xmp
    # Its cover: back, spine and front on one sheet, the spine the page count
    # times the paper's thickness, the same bleed; the title on the front.
    cover = PdfReader(app.outdir / "small-book.cover.pdf")
    (sheet,) = cover.pages
    spine = len(reader.pages) * 0.0572 / 25.4 * 72
    trim = [float(v) for v in sheet["/TrimBox"]]
    assert abs((trim[2] - trim[0]) - (2 * 432 + spine)) < 0.5 and round(trim[3] - trim[1], 1) == 648.0
    assert "A Small Book" in sheet.extract_text() and "unknown" not in sheet.extract_text()
    # The reading PDF beside it keeps its A5 page and no bleed.
    plain = PdfReader(app.outdir / "small-book.pdf").pages[0]
    assert "/TrimBox" not in plain or [float(v) for v in plain["/TrimBox"]] == [float(v) for v in plain.mediabox]


def test_the_gutter_grows_with_the_page_count():
    from edition.paper import gutter, print_rules

    assert [gutter(n) for n in (60, 151, 301, 501, 900)] == ["0mm", "3mm", "6mm", "9mm", "12mm"]
    assert "calc(21mm + 3mm)" in print_rules("6x9", 200) and "marks: crop" in print_rules("6x9", 10, True)
    assert "bleed: 3mm !important" in print_rules("royal", 10) and "156mm 234mm" in print_rules("royal", 10)


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf-fitted",
                    confoverrides={"edition_pdf_variant": "pdf/x-4"})
def test_the_reading_pdfs_copy_fitting_is_undone_on_the_printers_trim(app):
    """book/copyfit.toml: the reading PDF's table (a5) is in the print HTML;
    the printer's PDF (6×9 in) undoes it, letters and word spaces, and
    applies its own trim's table."""
    from edition import copyfit

    app.build()
    html = (app.outdir / "small-book.html").read_text("utf-8")
    keys = re.findall(r'<p data-fit="([0-9a-f-]+)"', html)
    assert len(keys) >= 3
    (Path(app.srcdir) / copyfit.FILE_NAME).write_text(
        f'[critical.a5]\n"{keys[0]}" = {{ tracking = 0.006, begins = "x" }}\n'
        f'[critical.6x9]\n"{keys[1]}" = {{ tracking = -0.003, begins = "y" }}\n', encoding="utf-8")
    app.build()
    html = (app.outdir / "small-book.html").read_text("utf-8")
    assert f'[data-fit="{keys[0]}"] {{ letter-spacing: 0.006em; word-spacing: 0.024em; }}' in html
    assert keys[1] not in html.split("</style>")[0]
    printer = app.builder._printer_fits()
    assert (f'[data-fit="{keys[0]}"] {{ letter-spacing: normal !important; word-spacing: normal !important; '
            "padding-top: 0 !important; }" in printer)
    assert f'[data-fit="{keys[1]}"] {{ letter-spacing: -0.003em !important; word-spacing: -0.012em !important; }}' \
        in printer
