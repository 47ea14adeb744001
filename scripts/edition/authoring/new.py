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
import tempfile
import unicodedata
from pathlib import Path
from string import Template

from ..errors import EditionError
from ..project import Project
from ..render import chapters
from ..render.escape import escape_text
from ..sources.seeds import CONTROL_RE
from ..words import words_for

TEMPLATE = Path(__file__).parent / "template"
SAMPLE_SEED = Path("seeds") / "sample-letter.txt"
FILLED = ".tmpl"                          # the template's files with ${…} to fill in
RENAMED = {"gitignore": ".gitignore"}     # dotfiles travel without their dot (package data)
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")   # a BCP 47 tag, roughly


def is_line(value: str) -> bool:
    """A value given on the command line is one line of text: not blank, no
    line break, no control character (it becomes TOML, MyST and metadata)."""
    return bool(value.strip()) and "\n" not in value and not CONTROL_RE.search(value)


def slugify(text: str, fallback: str = "edition") -> str:
    """"Letters of 1901: A Selection" → "letters-of-1901-a-selection"; a text
    with no Latin letter or digit: ``fallback``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or fallback


def new_project(dest: Path, *, title: str, editor: str, subtitle: str | None = None,
                language: str = "en") -> Project:
    """Write a new project at ``dest`` (absent or an empty folder) and
    generate its chapters."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise EditionError(dest, "already exists and is not an empty folder",
                           hint="name a new folder")
    for option, value in (("title", title), ("editor", editor), ("subtitle", subtitle or "-")):
        if not is_line(value):
            raise EditionError(dest, f"--{option} must be a line of text", hint=f"give the {option}")
    if not LANGUAGE_RE.match(language):
        raise EditionError(dest, f"--language {language!r} is not a language tag",
                           hint="as en, de, fr, en-GB")
    words = words_for(language)
    subtitle = subtitle or words("new.subtitle")
    values = {
        "title": title, "subtitle": subtitle, "editor": editor, "language": language,
        "edited_by": words("edited-by", editor=editor),
        "front_matter": words("front-matter"), "texts_caption": words("texts"),
        "back_matter": words("back-matter"),
        "licence": words("new.licence"),
        **{page.replace("-", "_"): words(f"new.{page}")
           for page in ("introduction", "note-on-the-text", "bibliography", "colophon")},
        "sample_sha256": hashlib.sha256((TEMPLATE / SAMPLE_SEED).read_bytes()).hexdigest(),
        "basename": slugify(title),
    }
    # As a Python literal for conf.py, as text (never markup) for the Markdown pages.
    values.update({f"{name}_py": repr(values[name])
                   for name in ("title", "subtitle", "editor", "language", "basename", "licence")})
    values.update({f"{name}_md": escape_text(values[name], line_start=False)
                   for name in ("title", "subtitle", "edited_by", "introduction", "note_on_the_text",
                                "bibliography", "colophon")})
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".new-{dest.name}-", dir=dest.parent))
    except OSError as exc:
        raise EditionError(dest.parent, f"cannot make the project here: {exc.strerror}") from None
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
