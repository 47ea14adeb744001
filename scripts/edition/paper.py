"""The PDF's settings: the paper sizes ``edition_pdf_paper`` may name, with
their margins, and the variants ``edition_pdf_variant`` may name.

Read by the PDF builder (``sphinxext/pdf/``), the command line and the
benchmark's Pandoc baseline (``tooling/baseline.py``), none of which should
pay for importing Sphinx to know them.
"""

DEFAULT_PAPER = "a5"
PAPER_SIZES = {"a5": "A5", "a4": "A4", "letter": "letter", "6x9": "6in 9in"}
# Margins (top, outer, bottom, inner) per paper: about 65 characters a line
# at the type size print.css sets for the paper (10 pt; 11.5 pt on A4/Letter).
PAPER_MARGINS = {
    "a5": ("17mm", "16mm", "20mm", "20mm"),
    "6x9": ("17mm", "17mm", "20mm", "21mm"),
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


# Written beside the reading PDF: an archival PDF/A-3b, or a tagged, accessible PDF/UA-1.
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")
