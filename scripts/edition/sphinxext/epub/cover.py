"""The EPUB's cover: title, subtitle, authors and byline drawn in the book
face on a plain ground, as a PNG the build makes (Pillow, a dependency of
WeasyPrint); the same lines give the same bytes."""

from __future__ import annotations

from pathlib import Path

from sphinx.errors import SphinxError

from ...fonts.faces import BookFace, FontMissing, font_path

COVER_SIZE = (1600, 2560)  # the 1 : 1.6 that Kindle, Kobo and Apple Books all take
COVER_GROUND = (104, 24, 24)  # oxblood
COVER_INK = (244, 236, 220)  # paper; contrast 11:1 on the ground
COVER_MARGIN = 170


class EpubAssetError(SphinxError):
    category = "EPUB asset missing"


def cover_lines(cover: dict[str, str]) -> list[str]:
    return [cover[key] for key in ("title", "subtitle", "authors", "byline") if cover.get(key)]


def draw_cover(path: Path, lines: list[str], book: BookFace) -> None:
    """Draw the cover into ``path``."""
    from PIL import Image, ImageDraw, ImageFont

    try:
        faces = {key: str(font_path(book.face(weight, style))) for key, weight, style in (
            ("title", "bold", "normal"), ("subtitle", "normal", "italic"), ("text", "normal", "normal"))}
    except FontMissing as exc:
        raise EpubAssetError(f"the book face is missing: {exc}") from None
    width, height = COVER_SIZE
    measure = width - 2 * COVER_MARGIN
    image = Image.new("RGB", COVER_SIZE, COVER_GROUND)
    draw = ImageDraw.Draw(image)
    title, rest = lines[0], lines[1:]
    subtitle = rest.pop(0) if rest else ""
    byline = rest.pop() if rest else ""

    def block(text: str, face: str, size: int, top: int, leading: float = 1.18) -> int:
        font = ImageFont.truetype(face, size)
        for line in wrap(text, lambda t: draw.textlength(t, font=font), measure):
            draw.text((width / 2, top), line, font=font, fill=COVER_INK, anchor="mt")
            top += round(size * leading)
        return top

    top = block(title, faces["title"], 168, 560)
    top += 70
    draw.rectangle((width / 2 - 220, top, width / 2 + 220, top + 6), fill=COVER_INK)
    top += 110
    if subtitle:
        top = block(subtitle, faces["subtitle"], 92, top)
    for line in rest:  # the authors
        top = block(line, faces["text"], 70, top + 90)
    if byline:
        block(byline, faces["text"], 62, height - 420)
    # Two colours and the antialiasing between them: a small palette keeps the
    # file small without changing a pixel a reader could see.
    image = image.quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, format="PNG", optimize=True)


def wrap(text: str, length, measure: float) -> list[str]:
    """Greedy line breaking at spaces within ``measure``."""
    lines: list[str] = []
    for word in text.split():
        if lines and length(f"{lines[-1]} {word}") <= measure:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
