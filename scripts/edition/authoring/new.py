"""``edition new DIR``: a new edition project, made from ``template/``.

The template is a complete, buildable project in the card's layout (README,
``seeds/`` with its catalogue, ``book/`` with ``conf.py``, the home page, an
introduction and a note on the text, empty registers, ``refs.bib``) with one
sample text whose apparatus shows every kind of entry. A file named
``….tmpl`` is a ``string.Template``: ``${title}`` and the like are filled in
(``${title_py}`` as a Python literal, for ``conf.py``; ``${title_md}`` as
text of a Markdown page) and the suffix is
dropped; every other file, the sample seed among them, is copied byte for
byte.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from pathlib import Path
from string import Template

from ..errors import EditionError
from ..project import Project
from ..render import chapters
from ..render.escape import escape_text
from ..words import words_for

TEMPLATE = Path(__file__).parent / "template"
SAMPLE_SEED = Path("seeds") / "sample-letter.txt"
FILLED = ".tmpl"                          # the template's files with ${…} to fill in
RENAMED = {"gitignore": ".gitignore"}     # dotfiles travel without their dot (package data)


def slugify(text: str) -> str:
    """"Letters of 1901: A Selection" → "letters-of-1901-a-selection"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "edition"


def new_project(dest: Path, *, title: str, editor: str, subtitle: str | None = None,
                language: str = "en") -> Project:
    """Write a new project at ``dest`` (absent or an empty folder) and
    generate its chapters."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise EditionError(dest, "already exists and is not an empty folder",
                           hint="name a new folder")
    words = words_for(language)
    subtitle = subtitle or words("new.subtitle")
    values = {
        "title": title, "subtitle": subtitle, "editor": editor, "language": language,
        "edited_by": words("edited-by", editor=editor),
        "front_matter": words("front-matter"), "texts_caption": words("texts"),
        "back_matter": words("back-matter"),
        "licence": words("new.licence"),
        "sample_sha256": hashlib.sha256((TEMPLATE / SAMPLE_SEED).read_bytes()).hexdigest(),
        "basename": slugify(title),
    }
    # As a Python literal for conf.py, as text (never markup) for the Markdown pages.
    values.update({f"{name}_py": repr(values[name])
                   for name in ("title", "subtitle", "editor", "language", "basename", "licence")})
    values.update({f"{name}_md": escape_text(values[name], line_start=False)
                   for name in ("title", "subtitle", "edited_by")})
    staging = dest.with_name(f".new-{dest.name}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for source in sorted(TEMPLATE.rglob("*")):
            if source.is_dir() or "__pycache__" in source.parts:
                continue
            relative = source.relative_to(TEMPLATE)
            name = RENAMED.get(relative.name, relative.name).removesuffix(FILLED)
            target = staging / relative.with_name(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.name.endswith(FILLED):
                text = Template(source.read_text(encoding="utf-8")).substitute(values)
                target.write_text(text, encoding="utf-8")
            else:
                shutil.copyfile(source, target)
        try:
            chapters.write(chapters.prepare(Project(staging)))
        except EditionError as exc:
            # Named as it will be, not in the folder it was made in.
            exc.path = str(exc.path).replace(str(staging), str(dest), 1)
            raise
        if dest.exists():
            dest.rmdir()
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Project(dest)
