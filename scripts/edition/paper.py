"""The PDF's settings: the paper sizes ``edition_pdf_paper`` may name, with
their margins, and the variants ``edition_pdf_variant`` may name.

Read by the PDF builder (``sphinxext/pdf/``), the command line and the
benchmark's Pandoc baseline (``tooling/baseline.py``), none of which should
pay for importing Sphinx to know them.
"""

DEFAULT_PAPER = "a5"
PAPER_SIZES = {"a5": "A5", "a4": "A4", "letter": "letter", "6x9": "6in 9in", "royal": "156mm 234mm"}
# Margins (top, outer, bottom, inner) per paper: about 65 characters a line
# at the type size print.css sets for the paper (10 pt; 11.5 pt on A4/Letter).
PAPER_MARGINS = {
    "a5": ("17mm", "16mm", "20mm", "20mm"),
    "6x9": ("17mm", "17mm", "20mm", "21mm"),
    "royal": ("18mm", "18mm", "21mm", "22mm"),
    "a4": ("24mm", "42mm", "30mm", "33mm"),
    "letter": ("22mm", "45mm", "28mm", "36mm"),
}


def page_rules(paper: str) -> str:
    """The @page rules of ``paper`` (a key of :data:`PAPER_SIZES`): its size,
    and its margins, the inner one at the spine of recto and verso pages."""
    top, outer, bottom, inner = PAPER_MARGINS[paper]
    return (f"@page {{ size: {PAPER_SIZES[paper]}; margin-top: {top}; margin-bottom: {bottom}; }}\n"
            f"@page :left {{ margin-left: {outer}; margin-right: {inner}; }}\n"
            f"@page :right {{ margin-left: {inner}; margin-right: {outer}; }}\n")


# Written beside the reading PDF: an archival PDF/A-3b, a tagged, accessible
# PDF/UA-1, or a PDF/X-4 for a print-on-demand printer.
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1", "pdf/x-4")
PRINT_VARIANT = "pdf/x-4"
# The archival variant carries the files the edition is made from (edition.archive).
ARCHIVAL_VARIANT = "pdf/a-3b"
# The printer's variant: its trims (6×9 in by default), the bleed, and the
# gutter that a thicker book needs (pages → extra inner margin), as
# print-on-demand printers ask for it (a few millimetres per step).
DEFAULT_TRIM = "6x9"
TRIMS = ("6x9", "a5", "royal")
BLEED = "3mm"
GUTTER_STEPS = ((150, "0mm"), (300, "3mm"), (500, "6mm"), (700, "9mm"))
GUTTER_MAX = "12mm"


def gutter(pages: int) -> str:
    """The extra inner margin a book of ``pages`` pages needs in print."""
    return next((extra for most, extra in GUTTER_STEPS if pages <= most), GUTTER_MAX)


def print_rules(trim: str, pages: int, crop_marks: bool = False) -> str:
    """The @page rules of the printer's PDF: the trim, its margins with the
    gutter for ``pages`` pages added at the spine, the bleed, crop marks if asked."""
    top, outer, bottom, inner = PAPER_MARGINS[trim]
    inner = f"calc({inner} + {gutter(pages)})"
    marks = "marks: crop !important;" if crop_marks else ""
    # Given to WeasyPrint beside the print HTML, as a user stylesheet: its
    # declarations are !important to win over the book's own @page rules.
    return (f"@page {{ size: {PAPER_SIZES[trim]} !important; margin-top: {top} !important; "
            f"margin-bottom: {bottom} !important; bleed: {BLEED} !important; {marks} }}\n"
            f"@page :left {{ margin-left: {outer} !important; margin-right: {inner} !important; }}\n"
            f"@page :right {{ margin-left: {inner} !important; margin-right: {outer} !important; }}\n")
