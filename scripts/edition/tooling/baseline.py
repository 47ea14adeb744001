"""The benchmark's like-for-like baseline: this edition made by Pandoc + WeasyPrint.

The plain baseline (``bench.pandoc``) hands Pandoc the three seeds as they
are: twelve unstyled pages without a note. This one hands it the book the
edition's own build reads, so that both tools set the same words:

- the book's MyST files in the order of its contents (``book/index.md``'s
  toctrees: front matter, the three generated chapters with every editorial
  note, back matter), each turned into Pandoc's Markdown by
  :func:`pandoc_markdown` — MyST's roles, labels and directives into what
  Pandoc has (spans, fenced divs, definition lists, ``[@key]`` citations);
- citations and the bibliography by Pandoc's citeproc from the same
  ``refs.bib``;
- HTML as a site of one page per chapter (``chunkedhtml``), EPUB with the
  book face embedded, and the PDF set by WeasyPrint with the edition's own
  print stylesheet, fonts and paper, notes at the foot of their pages (a Lua
  filter turns Pandoc's notes into the floated spans ``print.css`` styles).

What Pandoc's book still lacks, and the edition has: the registers and
contents with page numbers, links from references to paragraphs, persons and
terms, the diplomatic reading of each correction, the glyph check, a search
page. It is a closer measure of the same work, not the same output.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from ..anchors import parse_names, run_text, runs
from ..fonts.faces import DEFAULT_BOOK_FACE, font_faces, with_book_family
from ..paper import page_rules
from ..sources.catalog import load_catalog

PRINT_CSS = Path(__file__).parent.parent / "sphinxext" / "pdf" / "print.css"

TOCTREE_RE = re.compile(r"^```\{toctree\}\n(.*?)^```$", re.S | re.M)
LABEL_RE = re.compile(r"^\([^)\s]+\)=\n", re.M)
SECTION_RE = re.compile(r"^\(([^)\s]+)\)=\n+#+ (.+)$", re.M)   # a label and the heading it names
COMMENT_RE = re.compile(r"^%.*\n", re.M)
NOTE_LABEL_RE = re.compile(r"\[\^([^\]\s]+)\]")
ROLE_RE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
DIRECTIVE_RE = re.compile(r"^(`{3,})\{([a-z]+)\}[ \t]*([^\n]*)\n(.*?)^\1[ \t]*$\n?", re.S | re.M)

# The EPUB's type: the embedded book face (Pandoc's own stylesheet names none).
EPUB_CSS = """\
body { font-family: "Charis SIL", serif; line-height: 1.4; }
h1, h2, h3 { font-weight: normal; }
blockquote { margin: 1em 2em; }
"""

NOTES_LUA = """\
-- Pandoc's notes as the spans the edition's print.css floats to the page foot.
local number = 0
function Note(note)
  number = number + 1
  local label = tostring(number)
  return {
    pandoc.Superscript(pandoc.Str(label)),
    pandoc.Span(pandoc.utils.blocks_to_inlines(note.content, {pandoc.Space()}),
                pandoc.Attr("", {"footnote"}, {{"data-label", label}})),
  }
end
"""


def book_files(book: Path) -> list[Path]:
    """The book's MyST files in the order of its contents."""
    index = book / "index.md"
    files = [index]
    for block in TOCTREE_RE.findall(index.read_text("utf-8")):
        for line in block.splitlines():
            if line.strip() and not line.startswith(":"):
                files.append(book / f"{line.strip()}.md")
    return files


def _role(match: re.Match, texts: dict[str, str], sections: dict[str, str]) -> str:
    role, text = match.groups()
    if role.startswith("cite"):
        keys = [k.strip() for k in text.split(",") if k.strip()]
        if role == "cite:empty":      # the citation's words are already in the text
            return ""
        if role == "cite:t":
            return "; ".join(f"@{k}" for k in keys)
        return "[" + "; ".join(f"@{k}" for k in keys) + "]"
    if role == "para":                # {para}`slug 35` → Dunayevskaya ¶35, as roles.py has it
        paragraphs = parse_names(text) or []
        spans = runs([int(p.number) for p in paragraphs])
        shown = ", ".join(run_text(a, b) for a, b in spans)
        slug = paragraphs[0].slug if paragraphs else text
        mark = "¶¶" if len(paragraphs) > 1 else "¶"
        return f"{texts.get(slug, slug)} {mark}{shown}"
    # {term}, {ref}: their words (a bare {ref}: its section's title), without the link
    title = re.match(r"(.*?)\s*<[^>]*>$", text, re.S)
    if title:
        return title.group(1)
    return sections.get(text, text) if role == "ref" else text


def _glossary(body: str) -> str:
    """A Sphinx glossary (terms, each followed by its indented definition;
    ``:sorted:`` sorts them as Sphinx does) as a Pandoc definition list."""
    entries: list[tuple[str, list[str]]] = []
    options = []
    for line in body.splitlines():
        if not entries and line.startswith(":"):
            options.append(line.strip())
        elif line.strip() and line[0].isspace() and entries:
            entries[-1][1].append(line.strip())
        elif line.strip():
            entries.append((line.strip(), []))
    if ":sorted:" in options:
        entries.sort(key=lambda entry: unicodedata.normalize("NFD", entry[0].lower()))
    return "".join(f"\n{term}\n\n:   {' '.join(definition)}\n" for term, definition in entries) + "\n"


def pandoc_markdown(path: Path, prefix: str, texts: dict[str, str] | None = None,
                    sections: dict[str, str] | None = None) -> str:
    """One MyST file as Pandoc Markdown; its note labels get ``prefix`` (the
    files become one document, and labels repeat from chapter to chapter).
    ``texts``: each text's short title by slug (for ``{para}``);
    ``sections``: each section label's heading (for a bare ``{ref}``)."""
    text = path.read_text("utf-8")
    texts, sections = texts or {}, sections or {}

    def directive(match: re.Match) -> str:
        _fence, name, argument, body = match.groups()
        if name == "container":
            classes = " ".join(f".{c}" for c in argument.split())
            return f"::: {{{classes}}}\n{convert(body)}:::\n"
        if name == "include":
            return convert((path.parent / argument.strip()).read_text("utf-8"))
        if name == "glossary":
            return convert(_glossary(body))
        if name == "bibliography":
            return "::: {#refs}\n:::\n"
        return ""   # toctree (the files are joined in its order), colophon (made by the build)

    def convert(text: str) -> str:
        text = COMMENT_RE.sub("", text)
        text = LABEL_RE.sub("", text)
        text = DIRECTIVE_RE.sub(directive, text)
        return ROLE_RE.sub(lambda m: _role(m, texts, sections), text)

    return NOTE_LABEL_RE.sub(lambda m: f"[^{prefix}-{m.group(1)}]", convert(text))


def print_stylesheet(paper: str = "a5") -> str:
    """The edition's print stylesheet as its PDF build composes it: the
    fonts' @font-face rules, the paper and margins, print.css (not the
    running heads' rules the builder adds: their selectors are its HTML's)."""
    return "\n".join([font_faces(), page_rules(paper), with_book_family(PRINT_CSS.read_text("utf-8"), DEFAULT_BOOK_FACE)])


def book_names(root: Path, files: list[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """The names MyST's roles print: each text's short title by slug (as
    ``book/conf.py`` reads them from the catalogue), each section label's heading."""
    texts = {entry.slug: entry.short or entry.title for entry in load_catalog(root / "seeds")}
    sections = {}
    for path in files:
        sections.update(SECTION_RE.findall(path.read_text("utf-8")))
    return texts, sections


def write_sources(root: Path, dest: Path) -> dict[str, Path]:
    """Write Pandoc's inputs into ``dest``: the book as one Markdown file
    (the title from the metadata, not again from the first page's heading),
    the notes filter, the print stylesheet as a header, the EPUB's
    stylesheet naming the embedded book face; returns their paths."""
    dest.mkdir(parents=True, exist_ok=True)
    files = book_files(root / "book")
    texts, sections = book_names(root, files)
    title = files[0].read_text("utf-8").splitlines()[0].lstrip("# ")
    parts = [f"---\ntitle: {json.dumps(title)}\nnocite: |\n  @*\nlang: en\n---\n"]
    for number, path in enumerate(files):
        text = pandoc_markdown(path, prefix=f"f{number}", texts=texts, sections=sections)
        parts.append(text.replace(f"# {title}\n", "", 1) if number == 0 else text)
    sources = source_paths(dest)
    sources["book"].write_text("\n\n".join(parts), encoding="utf-8")
    sources["notes"].write_text(NOTES_LUA, encoding="utf-8")
    sources["print"].write_text(f"<style>\n{print_stylesheet()}\n</style>\n", encoding="utf-8")
    sources["epub"].write_text(EPUB_CSS, encoding="utf-8")
    return sources


def source_paths(work: Path) -> dict[str, Path]:
    return {"book": work / "book.md", "notes": work / "notes.lua",
            "print": work / "print-head.html", "epub": work / "epub.css"}


def commands(pandoc: str, weasyprint: str, root: Path, work: Path, fmt: str | None,
             book_fonts: list[Path]) -> list[list[str]]:
    """The commands making ``fmt`` (or all three formats) from the sources
    :func:`write_sources` writes into ``work``; run one after the other."""
    sources = source_paths(work)
    common = [pandoc, "-f", "markdown", "--citeproc", "--bibliography", str(root / "refs.bib"),
              str(sources["book"])]
    steps = [[sys.executable, "-c", _WRITE_SOURCES, str(root), str(work)]]
    if fmt in (None, "html"):
        steps.append([*common, "-t", "chunkedhtml", "--toc", "--split-level=1", "-o", str(work / "site")])
    if fmt in (None, "epub"):
        steps.append([*common, "--toc", "--split-level=1",
                      "--css", str(sources["epub"]),
                      *(f"--epub-embed-font={font}" for font in book_fonts),
                      "-o", str(work / "book.epub")])
    if fmt in (None, "pdf"):
        steps.append([*common, "-s", "-t", "html5", "-M", "document-css=false",
                      "--lua-filter", str(sources["notes"]), "-H", str(sources["print"]),
                      "-o", str(work / "print.html")])
        steps.append([weasyprint, str(work / "print.html"), str(work / "book.pdf")])
    return steps


# The first step of every Pandoc run: the sources written, timed with the
# rest (the edition's own build generates its chapters too).
_WRITE_SOURCES = ("import sys; from pathlib import Path; from edition.tooling.baseline import write_sources; "
                  "write_sources(Path(sys.argv[1]), Path(sys.argv[2]))")
