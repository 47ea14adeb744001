"""The printer's cover: one sheet, back, spine and front, beside the
printer's PDF (``pdf/x-4``).

Sized from the trim and the book's page count: the spine is the page count
times the paper's thickness per page (``edition_pdf_page_thickness``, in mm;
0.0572 mm, the white paper print-on-demand printers state per page), with
the same bleed as the book. The front carries the EPUB cover's lines (title,
subtitle, authors, byline), the back the book's description, the spine its
title and editor once it is wide enough to print on (6 mm: printers set no
text on a thinner one). The book face and the EPUB cover's colours.
"""

from __future__ import annotations

import html
from pathlib import Path

from ...fonts.faces import BookFace, font_faces
from ...paper import BLEED, PAPER_SIZES
from ..epub.cover import COVER_GROUND, COVER_INK

SPINE_TEXT_MIN = 6.0   # mm
MM_PER_IN = 25.4


def trim_mm(trim: str) -> tuple[float, float]:
    """The trim's width and height in mm ("6in 9in" → 152.4, 228.6)."""
    sizes = {"A5": "148mm 210mm", "A4": "210mm 297mm", "letter": "8.5in 11in"}
    size = sizes.get(PAPER_SIZES[trim], PAPER_SIZES[trim])
    return tuple(float(v[:-2]) * (MM_PER_IN if v.endswith("in") else 1) for v in size.split())  # type: ignore[return-value]


def spine_mm(pages: int, thickness: float) -> float:
    return round(pages * thickness, 2)


def cover_html(lines: list[str], blurb: str, editor: str, trim: str, pages: int,
               thickness: float, book: BookFace, language: str) -> str:
    """The cover's HTML: one page, back | spine | front."""
    width, height = trim_mm(trim)
    spine = spine_mm(pages, thickness)
    ground = "#%02x%02x%02x" % COVER_GROUND
    ink = "#%02x%02x%02x" % COVER_INK
    title, *rest = lines
    front = "".join(f'<p class="line">{html.escape(line)}</p>' for line in rest)
    on_spine = (f'<p class="spine-text">{html.escape(title)} · {html.escape(editor)}</p>'
                if spine >= SPINE_TEXT_MIN else "")
    return f"""<!DOCTYPE html>
<html lang="{html.escape(language)}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{font_faces(book)}
@page {{ size: {2 * width + spine}mm {height}mm; margin: 0; bleed: {BLEED}; background: {ground}; }}
html {{ font-family: "{book.family}"; color: {ink}; }}
body {{ margin: 0; }}
.panel {{ position: absolute; top: 0; height: {height}mm; box-sizing: border-box; padding: 28mm 16mm; }}
.back {{ left: 0; width: {width}mm; font-size: 10.5pt; line-height: 1.45; }}
.spine {{ left: {width}mm; width: {spine}mm; padding: 0; }}
.front {{ left: {width + spine}mm; width: {width}mm; text-align: center; }}
.front h1 {{ font-size: 30pt; font-weight: bold; margin: 30mm 0 8mm; line-height: 1.15; }}
.front .rule {{ width: 30mm; border-top: 1.2pt solid {ink}; margin: 0 auto 8mm; }}
.front .line {{ font-size: 13pt; margin: 0 0 5mm; }}
.front .line:first-of-type {{ font-style: italic; font-size: 15pt; }}
.spine-text {{ position: absolute; top: 50%; left: 50%; width: {height - 40}mm; margin: 0;
  transform: translate(-50%, -50%) rotate(90deg); text-align: center; font-size: 9pt; white-space: nowrap; }}
</style></head>
<body>
<div class="panel back"><p>{html.escape(blurb)}</p></div>
<div class="panel spine">{on_spine}</div>
<div class="panel front"><h1>{html.escape(title)}</h1><div class="rule"></div>{front}</div>
</body></html>
"""


def render_cover(document: str, path: Path, fonts) -> None:
    """Set the cover's HTML as a PDF/X-4 beside the book's."""
    from weasyprint import HTML

    HTML(string=document, base_url=str(path.parent)).write_pdf(
        str(path), pdf_variant="pdf/x-4", output_intent="srgb", pdf_identifier=True, font_config=fonts)
