"""``edition add FILE``: a text into the edition, ready to annotate.

Copies the file byte for byte into ``seeds/<slug>.txt``, appends its
``[[text]]`` entry (with its sha256) to the catalogue, adds its chapter to
the contents (the toctree of ``book/index.md`` that lists ``texts/``),
writes an apparatus file to fill in, and generates the chapters, which runs
every check. If any step fails, the project is left as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..anchors import is_slug
from ..errors import CatalogError, EditionError
from ..project import TEXTS_FOLDER, Project
from ..render import chapters
from ..render.escape import escape_text
from ..schema import is_date
from ..settings import read_book
from ..sources.catalog import load_catalog
from ..sources.seeds import decode_seed
from .new import is_line, slugify

APPARATUS_STUB = """\
# The apparatus of {title}: the editor's entries on the text.
# The kinds of entry ([[note]], [[emendation]], [[regularisation]], [[sic]],
# [[omission]], [[citation]], [[structure]], [[mention]], [[term]],
# [[source-note]]) and their fields are described in the builder's
# documentation; each needs an `id` and, but for [[source-note]] and
# [[regularisation]] (a list of `anchors`), an `anchor` quoting the text exactly.
"""
TOCTREE_RE = re.compile(r"^(?P<fence>`{3,}|~{3,})\{toctree\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                        re.M | re.S)


@dataclass
class Added:
    """What ``edition add`` did, and what the catalogue holds only as a default."""

    slug: str
    seed: Path
    apparatus: Path
    chapter: Path
    defaults: list[str] = field(default_factory=list)
    first_line: str = ""    # set as the chapter's heading


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string (the escapes JSON writes, TOML reads).
    return json.dumps(value, ensure_ascii=False)


def _title_of(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def add_text(project: Project, file: Path, *, slug: str | None = None, title: str | None = None,
             date: str, author: str | None = None, publication: str | None = None,
             source: str | None = None, rights: str | None = None, short: str | None = None,
             date_display: str | None = None) -> Added:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise EditionError(file, f"cannot be read: {exc.strerror}") from None
    text = decode_seed(file, data)
    first_line = _title_of(text)
    try:
        file.name.encode("utf-8")
    except UnicodeEncodeError:
        raise EditionError(file, "the file's name is not valid UTF-8", hint="rename the file") from None
    for option, given in (("slug", slug), ("title", title), ("author", author), ("date", date),
                          ("publication", publication), ("source", source), ("rights", rights),
                          ("short", short), ("date-display", date_display)):
        if given is not None and not is_line(given):
            raise EditionError(file, f"--{option} must be a line of text",
                               hint="give the value as plain text, or leave the option out")
    if slug is None:
        slug = slugify(file.stem, fallback="")
        if not slug:
            raise EditionError(file, "its name makes no slug (no Latin letter or digit)",
                               hint="give one with --slug")
    if not is_slug(slug):
        raise EditionError(file, f"slug {slug!r} is not lower-case-with-hyphens",
                           hint="give one with --slug")
    if any(e.slug == slug for e in load_catalog(project.seeds_dir, allow_empty=True)):
        raise CatalogError(project.catalog_path, f"a text {slug!r} is already catalogued",
                           hint="give another with --slug")
    if not is_date(date):
        raise EditionError(file, f"--date {date!r} is not a date as YYYY, YYYY-MM or YYYY-MM-DD")
    defaults = []
    words = read_book(project).words

    def value(name: str, given: str | None, default: str) -> str:
        if given:
            return given
        defaults.append(name)
        return default

    fields = {
        "slug": slug,
        "title": value("title", title, first_line),
        "author": value("author", author, "unknown"),
        "date": date,
        "publication": value("publication", publication, words("add.not-recorded")),
        "source": value("source", source, words("add.source", name=escape_text(file.name, line_start=False))),
        "rights": value("rights", rights, words("add.not-recorded")),
        "received_as": file.name,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if short:
        fields["short"] = short
    if date_display:
        fields["date_display"] = date_display
    entry = "\n[[text]]\n" + "".join(f"{k} = {_toml_string(v)}\n" for k, v in fields.items())
    seed = project.seeds_dir / f"{slug}.txt"
    apparatus = project.apparatus_path(slug)
    index = project.book_dir / "index.md"
    if seed.exists():
        raise EditionError(seed, "already exists", hint="give another slug with --slug")
    catalog_before = project.catalog_path.read_bytes()
    index_before = index.read_bytes()
    made: list[Path] = []
    try:
        shutil.copyfile(file, seed)
        made.append(seed)
        project.catalog_path.write_bytes(catalog_before.rstrip(b"\n") + b"\n" + entry.encode("utf-8"))
        caption = words("texts")
        index.write_text(_with_chapter(index, index_before.decode("utf-8"), slug, caption), encoding="utf-8")
        if not apparatus.exists():
            apparatus.parent.mkdir(parents=True, exist_ok=True)
            apparatus.write_text(APPARATUS_STUB.format(title=fields["title"]), encoding="utf-8")
            made.append(apparatus)
        chapters.write(chapters.prepare(project))
    except BaseException:
        project.catalog_path.write_bytes(catalog_before)
        index.write_bytes(index_before)
        for path in made:
            path.unlink(missing_ok=True)
        raise
    return Added(slug, seed, apparatus, project.chapter_path(slug), defaults, first_line)


def _with_chapter(index: Path, text: str, slug: str, caption: str) -> str:
    """``index.md`` with ``texts/<slug>`` after the last entry of the toctree
    that lists the texts (where none does yet: the toctree of that caption)."""
    entry = f"{TEXTS_FOLDER}/{slug}"
    names_a_text = re.compile(rf"(?:^|<){re.escape(TEXTS_FOLDER)}/")   # "texts/x", "Title <texts/x>"
    for match in reversed(list(TOCTREE_RE.finditer(text))):
        body = match["body"]
        lines = body.splitlines(keepends=True)
        texts = [i for i, line in enumerate(lines) if names_a_text.search(line.strip())]
        if not texts:
            continue
        if any(re.search(r"[*?\[]", lines[i]) for i in texts):
            return text   # a glob ("texts/*") lists the new text already
        lines.insert(texts[-1] + 1, entry + "\n")
        return text[:match.start("body")] + "".join(lines) + text[match.end("body"):]
    for match in TOCTREE_RE.finditer(text):
        body = match["body"]
        if re.search(rf"^:caption:[ \t]*{re.escape(caption)}[ \t]*$", body, re.M):
            return text[:match.end("body")] + entry + "\n" + text[match.end("body"):]
    raise EditionError(index, f"no toctree lists the texts ({TEXTS_FOLDER}/…) or has the caption {caption!r}",
                       hint=f"add a toctree with the line {entry}")
