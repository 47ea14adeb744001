"""A synthetic corpus for benchmarks and scale tests: N texts of realistic structure.

``make_corpus(dest, n)`` writes a complete edition project (seeds with their
catalogue and fixity, apparatus files, the book's configuration) whose texts
look like the real ones: a title, source header lines, numbered paragraphs
(about 1,800 words a text, some 10 PDF pages with the matter around them),
block quotations, citations of refs.bib works, editorial notes and source
notes.  The words come from a fixed vocabulary and a seeded generator, so the
corpus for a given N is always the same.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

VOCABULARY = (
    "the plenum committee presidium council ministers reform party state security "
    "amnesty prisoners labour camps economy agriculture peasants workers bureaucracy "
    "power struggle succession decree resolution report speech minister secretary "
    "arrest trial archive document transcript evidence historian memoir account "
    "Moscow Kremlin Georgia Ukraine Germany Berlin Korea Hungary republic nationality "
    "and of to in that was which were had by for with on as not but from his their "
    "it this be at an or all would could should have been into after before when "
    "leadership policy question problem decision meeting member members order plan"
).split()
CITED = ("knight1993beria", "taubman2003khrushchev", "gorlizki2004cold", "naumov1999beriia")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(9, 24))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def make_text(rng: random.Random, index: int) -> tuple[str, list[str], list[str]]:
    """(seed text, apparatus entries, citation anchors) of text number ``index``."""
    lines = [f"Synthetic Text {index}: On the Question of Reform", "",
             f"Source: Synthetic Archive, file {index};",
             "Transcribed: by the benchmark.", ""]
    entries: list[str] = []
    for number in range(1, 19):
        body = _paragraph(rng, rng.randint(4, 7))
        cite = f"(Archive {index}-{number} p. {rng.randint(10, 400)})"
        lines += [f"     {number}. {body} {cite}", ""]
        entries.append(
            f'[[citation]]\nid = "c{number}"\nanchor = "{cite[1:-1]}"\n'
            f'key = "{CITED[number % len(CITED)]}"\n')
        if number % 3 == 0:
            lines += [_paragraph(rng, rng.randint(2, 4)), ""]   # a quotation introduced by the paragraph
        if number % 2 == 0:
            anchor = body.split(".")[0] + "."
            entries.append(
                f'[[note]]\nid = "n{number}"\nanchor = "{anchor}"\nparagraph = {number}\n'
                f'text = "An editorial note on paragraph {number}, citing {{cite:p}}`{CITED[0]}`."\n')
    return "\n".join(lines) + "\n", entries, []


def make_corpus(dest: Path, n: int, *, template: Path, seed: int = 1953) -> Path:
    """Write an edition project of ``n`` synthetic texts under ``dest``.

    ``template`` is a real project root whose book/conf.py and refs.bib are reused."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "seeds").mkdir(parents=True)
    (dest / "book" / "apparatus").mkdir(parents=True)
    shutil.copy(template / "refs.bib", dest / "refs.bib")
    shutil.copy(template / "book" / "conf.py", dest / "book" / "conf.py")
    shutil.copy(template / "book" / "bibliography.md", dest / "book" / "bibliography.md")
    catalog, toc = [], []
    for index in range(1, n + 1):
        slug = f"text-{index:03d}"
        text, entries, _ = make_text(rng, index)
        data = text.encode("utf-8")
        (dest / "seeds" / f"{slug}.txt").write_bytes(data)
        (dest / "book" / "apparatus" / f"{slug}.toml").write_text("\n".join(entries), encoding="utf-8")
        catalog.append(
            f'[[text]]\nslug = "{slug}"\ntitle = "Synthetic Text {index}"\nauthor = "unknown"\n'
            f'short = "Text {index}"\ndate = "2026"\npublication = "a synthetic benchmark text"\n'
            f'source = "edition.tooling.corpus"\nrights = "none"\nreceived_as = "{slug}.txt"\n'
            f'sha256 = "{hashlib.sha256(data).hexdigest()}"\n')
        toc.append(f"texts/{slug}")
    (dest / "seeds" / "catalog.toml").write_text("\n".join(catalog), encoding="utf-8")
    (dest / "book" / "index.md").write_text(
        "# Synthetic Edition\n\n```{toctree}\n:caption: Front matter\n\ngenerated/rights\n```\n\n"
        "```{toctree}\n:caption: Texts\n\n" + "\n".join(toc) + "\n```\n\n"
        "```{toctree}\n:caption: Back matter\n\nbibliography\n```\n", encoding="utf-8")
    return dest
