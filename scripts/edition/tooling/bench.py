"""The benchmark: our builds against Pandoc + WeasyPrint, incremental builds,
and the scale of the builder on a synthetic corpus.

    scripts/bench                      all three parts (N = 3, 30, 100)
    scripts/bench --sizes 3,30 --runs 1

Every figure is measured on this machine in one run: the median wall time of
``--runs`` clean builds and the peak resident memory of the process tree
(``wait4`` rusage of each build's process). Pandoc comes from PyPI's
``pypandoc-binary`` (installed by ``pip install -e '.[bench]'``); it makes HTML,
EPUB and, through WeasyPrint, PDF twice: from the same book as the edition's
build, with the same print stylesheet and fonts (:mod:`edition.tooling.baseline`), and
from the three seeds as they are.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..project import FORMATS
from . import baseline
from .corpus import make_corpus


@dataclass
class Measure:
    wall: float      # seconds
    rss_mb: float    # peak resident set of the process tree, MiB


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> Measure:
    """Run a command, return its wall time and peak RSS (the command's own
    process tree: children's rusage via wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return Measure(wall, usage.ru_maxrss / 1024)


def median(measures: list[Measure]) -> Measure:
    return Measure(statistics.median(m.wall for m in measures), max(m.rss_mb for m in measures))


def edition_cmd(root: Path, build_dir: Path, *formats: str) -> list[str]:
    cmd = [sys.executable, "-m", "edition", "--root", str(root), "--build-dir", str(build_dir), "build", "-q"]
    for fmt in formats:
        cmd += ["--format", fmt]
    return cmd


def ours_once(root: Path, fmt: str | None, work: Path) -> Measure:
    """One clean build of ``fmt`` (None: all three), caches included."""
    build_dir = work / "ours"
    shutil.rmtree(build_dir, ignore_errors=True)
    return run(edition_cmd(root, build_dir, *((fmt,) if fmt else FORMATS)))


def weasyprint_cli() -> str:
    """WeasyPrint's command line, from this Python's environment."""
    return shutil.which("weasyprint", path=str(Path(sys.executable).parent)) or "weasyprint"


def pandoc_commands(root: Path, fmt: str | None, out: Path, same_book: bool) -> list[list[str]] | None:
    """Pandoc's commands for ``fmt`` (None: all three), or None without Pandoc.
    ``same_book``: the edition's own book, page design and fonts
    (:mod:`edition.tooling.baseline`); else the three seeds as they are, Pandoc's
    defaults."""
    try:
        import pypandoc
        exe = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None
    weasyprint = weasyprint_cli()
    if same_book:
        from ..fonts.faces import DEFAULT_BOOK_FACE, font_path

        book_fonts = sorted({font_path(face) for face in DEFAULT_BOOK_FACE.faces})
        return baseline.commands(exe, weasyprint, root, out, fmt, book_fonts)
    seeds = [str(seed) for seed in sorted((root / "seeds").glob("*.txt"))]
    steps = []
    if fmt in (None, "html"):
        steps.append([exe, "-f", "markdown", "-s", "--metadata", "title=Edition", "-o", str(out / "book.html"), *seeds])
    if fmt in (None, "epub"):
        steps.append([exe, "-f", "markdown", "--metadata", "title=Edition", "-o", str(out / "book.epub"), *seeds])
    if fmt in (None, "pdf"):
        steps.append([exe, "-f", "markdown", "-s", "--metadata", "title=Edition", "-o", str(out / "print.html"), *seeds])
        steps.append([weasyprint, str(out / "print.html"), str(out / "book.pdf")])
    return steps


def pandoc_once(root: Path, fmt: str | None, work: Path, same_book: bool) -> Measure | None:
    """Pandoc + WeasyPrint making ``fmt`` (None: all three) once, its steps
    one after the other, from a clean folder; None without Pandoc."""
    out = work / ("pandoc-book" if same_book else "pandoc-seeds")
    steps = pandoc_commands(root, fmt, out, same_book)
    if steps is None:
        return None
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    total = Measure(0.0, 0.0)
    for step in steps:
        m = run(step)
        total = Measure(total.wall + m.wall, max(total.rss_mb, m.rss_mb))
    return total


@dataclass
class Compared:
    ours: Measure
    book: Measure | None       # Pandoc + WeasyPrint on the same book
    seeds: Measure | None      # Pandoc on the seeds as they are
    ratio: float | None        # median of the runs' ours / book
    seeds_ratio: float | None  # median of the runs' ours / seeds
    floor: Measure | None      # WeasyPrint alone on our print HTML (all three only)
    floor_ratio: float | None  # median of the runs' ours / floor


def compare(root: Path, fmt: str | None, runs: int, work: Path) -> Compared:
    """``runs`` rounds, each one clean build of ours, then Pandoc's on the
    same book and on the seeds (and, for all three formats, WeasyPrint alone
    on our print HTML): interleaved, so that a drift in the machine's speed
    (this VM's varies by ±25 % from one hour to the next) falls on all of
    them alike; each ratio is the median of the rounds' ratios. Every other
    round runs Pandoc's first, then ours and the floor (which lays out the
    print HTML of that build of ours), so that ours is not always first."""
    builds = (lambda: ours_once(root, fmt, work),
              lambda: pandoc_once(root, fmt, work, same_book=True),
              lambda: pandoc_once(root, fmt, work, same_book=False),
              lambda: render_alone(work / "ours", work) if fmt is None else None)
    rounds = []
    for number in range(runs):
        order = range(4) if number % 2 == 0 else (1, 2, 0, 3)
        measured: dict[int, Measure | None] = {}
        for index in order:
            measured[index] = builds[index]()
        rounds.append(tuple(measured[index] for index in range(4)))

    def paired(index: int) -> float | None:
        if any(r[index] is None for r in rounds):
            return None
        return statistics.median(r[0].wall / r[index].wall for r in rounds)

    def column(index: int) -> Measure | None:
        return None if any(r[index] is None for r in rounds) else median([r[index] for r in rounds])

    return Compared(column(0), column(1), column(2), paired(1), paired(2), column(3), paired(3))


def pdf_pages(build_dir: Path) -> int:
    """The pages of the PDF in ``build_dir`` (or its ``pdf`` folder)."""
    from pypdf import PdfReader

    pdf = next(build_dir.glob("*.pdf"), None) or next((build_dir / "pdf").glob("*.pdf"))
    return len(PdfReader(pdf).pages)


def render_alone(build_dir: Path, work: Path) -> Measure:
    """The floor: WeasyPrint alone (its command line) laying out and writing
    the print HTML of our PDF build, once."""
    print_html = next((build_dir / "pdf").glob("*.html"))
    return run([weasyprint_cli(), str(print_html), str(work / "alone.pdf")])


def _copy_project(root: Path, work: Path) -> Path:
    copy = work / "incremental"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".venv", ".git", "__pycache__", "node_modules"))
    return copy


NOTE_EDIT = "Edited. "   # put before, then taken from, the words of the book's first note


def _edit_note(project: Path, undo: bool = False) -> None:
    """Edit one apparatus note, the first of the first apparatus file that
    has one (or undo the edit): any book can be timed."""
    for path in sorted((project / "book" / "apparatus").glob("*.toml")):
        text = path.read_text("utf-8")
        note = text.find("[[note]]")
        start = text.find("text = ", note) if note >= 0 else -1
        if start < 0:
            continue
        start = text.index('"', start)
        start += 3 if text.startswith('"""', start) else 1
        if undo:
            if not text.startswith(NOTE_EDIT, start):
                raise RuntimeError(f"{path}: the edit to undo is not there")
            text = text[:start] + text[start + len(NOTE_EDIT):]
        else:
            text = text[:start] + NOTE_EDIT + text[start:]
        path.write_text(text, encoding="utf-8")
        return
    raise RuntimeError(f"{project}: no apparatus file has a [[note]] to edit")


# Pages Sphinx's HTML builder writes in every build, whatever changed.
EVERY_BUILD = ("genindex.html", "search.html")


def _written_pages(html_dir: Path, before: dict[Path, int]) -> list[str]:
    return sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")
                  if p.stat().st_mtime_ns != before.get(p))


def _pages_text(pages: list[str]) -> str:
    own = [page for page in pages if page not in EVERY_BUILD]
    every = [page for page in pages if page in EVERY_BUILD]
    text = ", ".join(own) or "none"
    if every:
        text += f" (and {', '.join(every)}, which Sphinx writes in every build)"
    return text


def incremental(root: Path, work: Path, runs: int) -> tuple[float, list[str]]:
    """``edition build --format html`` (a new process) after editing one
    apparatus note: the median wall time and the pages Sphinx wrote again."""
    copy = _copy_project(root, work)
    build_dir = copy / "build"
    html_dir = build_dir / "html"
    run(edition_cmd(copy, build_dir, "html"))
    walls, pages = [], []
    for attempt in range(runs):
        _edit_note(copy, undo=attempt % 2 == 1)
        before = {p: p.stat().st_mtime_ns for p in html_dir.rglob("*.html")}
        time.sleep(0.05)
        walls.append(run(edition_cmd(copy, build_dir, "html")).wall)
        pages = _written_pages(html_dir, before)
    return statistics.median(walls), pages


def incremental_watch(root: Path, work: Path, runs: int) -> tuple[float, list[str]]:
    """``edition watch`` running: the median wall time from saving the edited
    note to the rebuilt page (polling and settling included)."""
    copy = _copy_project(root, work)
    html_dir = copy / "build" / "html"
    cmd = [sys.executable, "-m", "edition", "--root", str(copy), "watch", "--format", "html"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    walls, pages = [], []
    try:
        def line_with(word: str) -> str:
            for line in proc.stdout:
                if word in line:
                    return line
                if "error" in line:
                    raise RuntimeError(line)
            raise RuntimeError("edition watch stopped")

        line_with("watching")
        for attempt in range(runs):
            before = {p: p.stat().st_mtime_ns for p in html_dir.rglob("*.html")}
            time.sleep(0.05)
            start = time.perf_counter()
            _edit_note(copy, undo=attempt % 2 == 1)
            line_with("rebuilt")
            walls.append(time.perf_counter() - start)
            pages = _written_pages(html_dir, before)
    finally:
        proc.terminate()
        proc.wait()
    return statistics.median(walls), pages


def scale(root: Path, sizes: list[int], work: Path) -> None:
    print("## Scale (synthetic corpus: clean builds, each format alone and all three together)\n")
    print("| texts | PDF pages | format | wall (s) | peak RSS (MiB) | ms per PDF page |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        corpus = make_corpus(work / f"corpus-{n}", n, template=root)
        results = {}
        for fmt in (*FORMATS, None):
            shutil.rmtree(corpus / "build", ignore_errors=True)
            results[fmt] = run(edition_cmd(corpus, corpus / "build", *((fmt,) if fmt else FORMATS)))
        pages = pdf_pages(corpus / "build")
        for fmt, m in results.items():
            print(f"| {n} | {pages} | {fmt or 'all three'} | {m.wall:.1f} | {m.rss_mb:.0f} | "
                  f"{1000 * m.wall / pages:.0f} |", flush=True)
        shutil.rmtree(corpus, ignore_errors=True)
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[3])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="3,30,100")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: compare,incremental,scale")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    root = args.root.resolve()
    # The builder's modules compiled, as scripts/bootstrap leaves them.
    compileall.compile_dir(root / "scripts" / "edition", quiet=1)
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        work = Path(tmp)
        print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}.\n")
        if "compare" not in skip:
            print(f"## Clean builds of the edition (median of {args.runs}; peak RSS)\n")
            print("Pandoc + WeasyPrint, twice: on the same book (the edition's chapters with their "
                  "notes, front and back matter, refs.bib through citeproc, the PDF with the "
                  "edition's print stylesheet and fonts: edition/baseline.py), and on the three "
                  "seeds as they are (Pandoc's defaults).\n")
            print("| format | ours wall (s) | ours RSS (MiB) | Pandoc, same book (s) | RSS (MiB) | ratio "
                  "| Pandoc, seeds as they are (s) | ratio |")
            print("|---|---|---|---|---|---|---|---|")
            compared = {}
            for fmt in (*FORMATS, None):
                c = compared[fmt] = compare(root, fmt, args.runs, work)
                a, book, seeds = c.ours, c.book, c.seeds
                name = fmt or "all three"
                if book is None or seeds is None:
                    print(f"| {name} | {a.wall:.2f} | {a.rss_mb:.0f} | (pandoc not installed) | | | | |")
                else:
                    print(f"| {name} | {a.wall:.2f} | {a.rss_mb:.0f} | {book.wall:.2f} | {book.rss_mb:.0f} | "
                          f"{c.ratio:.2f} | {seeds.wall:.2f} | {c.seeds_ratio:.2f} |", flush=True)
            print("\n(Each row: its builds interleaved, ours first in odd runs and Pandoc's first in even ones; "
                  "each ratio is the median of the runs' ratios.)")
            if (work / "pandoc-book" / "book.pdf").exists():
                print(f"\nPDF pages: ours {pdf_pages(work / 'ours')}, Pandoc's same book "
                      f"{pdf_pages(work / 'pandoc-book')}, Pandoc's seeds {pdf_pages(work / 'pandoc-seeds')}.")
            every = compared[None]   # all three formats: the rounds that ran the floor
            print(f"\nThe floor, WeasyPrint alone laying out and writing our print HTML once "
                  f"(interleaved with the all-three runs): {every.floor.wall:.2f} s "
                  f"({every.floor.rss_mb:.0f} MiB); all three formats take {every.floor_ratio:.2f}× that.\n",
                  flush=True)
        if "incremental" not in skip:
            wall, pages = incremental(root, work, args.runs)
            print("## Incremental\n")
            print(f"After editing one apparatus note, `edition build --format html` (a new process) "
                  f"rebuilt in {wall:.2f} s (median of {args.runs}); pages written again: "
                  f"{_pages_text(pages)}.\n", flush=True)
            wall, pages = incremental_watch(root, work, args.runs)
            print(f"With `edition watch` running: {wall:.2f} s from saving the note to the rebuilt "
                  f"page (median of {args.runs}, polling included); pages written again: "
                  f"{_pages_text(pages)}.\n", flush=True)
        if "scale" not in skip:
            scale(root, [int(x) for x in args.sizes.split(",")], work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
