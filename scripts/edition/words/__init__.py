"""The builder's fixed words, one table per language: ``en.toml``, ``de.toml``, ``fr.toml``.

Every word the builder itself puts into a book (Contents, Notes, Editor, the
headnote's field names, the register pages' titles and default
introductions, the rights page, the colophon…) is looked up here by key, in
the book's ``language`` (conf.py). A table need not be complete: a key it
lacks is taken from English, so a new language can start with a few words.
Sphinx's own words (Search, the HTML sidebar's Contents) come from Sphinx's
catalogues in the same language.

A table is data: ``key = "text"``, with ``{name}`` where a value is filled
in (``"{voice}’s note {mark}"``). To add a language, copy ``en.toml`` to
``<code>.toml`` and translate the values.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Words:
    """The fixed words of one language (with English for what it lacks)."""

    language: str
    table: dict[str, str]

    def __call__(self, key: str, /, **values: Any) -> str:
        text = self.table[key]
        return text.format(**values) if values else text

    def label(self, key: str, /) -> str:
        """A field's name before its value: "Published:", "Publication :"."""
        return self("label", label=self(key))

    def list(self, items: list[str]) -> str:
        """"a, b and c" in this language."""
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self('and')} {items[-1]}"


def _table(code: str) -> dict[str, str]:
    path = HERE / f"{code}.toml"
    if not path.exists():
        return {}
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = str(value)
    return out


def languages() -> list[str]:
    """The languages with a table of their own."""
    return sorted(p.stem for p in HERE.glob("*.toml"))


@functools.lru_cache(maxsize=None)
def words_for(language: str | None) -> Words:
    """The words of ``language`` (``de``, ``de_AT`` and ``de-AT`` are German;
    None or a language without a table: English)."""
    code = (language or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0].lower()
    table = _table(DEFAULT_LANGUAGE)
    if code != DEFAULT_LANGUAGE:
        table = {**table, **_table(code)}
    return Words(code if (HERE / f"{code}.toml").exists() else DEFAULT_LANGUAGE, table)
