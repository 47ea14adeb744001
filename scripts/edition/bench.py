"""The benchmark: our builds against Pandoc + WeasyPrint, incremental builds,
and the scale of the builder on a synthetic corpus.

    scripts/bench                      all three parts (N = 3, 30, 100)
    scripts/bench --sizes 3,30 --runs 1

Every figure is measured on this machine in one run: the median wall time of
``--runs`` clean builds and the peak resident memory of the process tree
(``wait4`` rusage of each build's process). Pandoc comes from PyPI's
``pypandoc-binary`` (installed by ``pip install -e '.[bench]'``); it reads the
same three seeds and writes HTML, EPUB and, through WeasyPrint, PDF.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .corpus import make_corpus
from .project import Project

FORMATS = ("html", "epub", "pdf")


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


def ours(root: Path, fmt: str | None, runs: int, work: Path) -> Measure:
    measures = []
    for _ in range(runs):
        build_dir = work / "ours"
        shutil.rmtree(build_dir, ignore_errors=True)   # a clean build, caches included
        measures.append(run(edition_cmd(root, build_dir, *((fmt,) if fmt else ()))))
    return median(measures)


def pandoc(root: Path, fmt: str | None, runs: int, work: Path) -> Measure | None:
    try:
        import pypandoc
        exe = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None
    seeds = sorted((root / "seeds").glob("*.txt"))
    weasyprint = shutil.which("weasyprint", path=str(Path(sys.executable).parent)) or "weasyprint"

    def one() -> Measure:
        out = work / "pandoc"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        total = Measure(0.0, 0.0)
        steps = []
        if fmt in (None, "html"):
            steps.append([exe, "-f", "markdown", "-s", "--metadata", "title=Edition", "-o", str(out / "book.html"), *map(str, seeds)])
        if fmt in (None, "epub"):
            steps.append([exe, "-f", "markdown", "--metadata", "title=Edition", "-o", str(out / "book.epub"), *map(str, seeds)])
        if fmt in (None, "pdf"):
            steps.append([exe, "-f", "markdown", "-s", "--metadata", "title=Edition", "-o", str(out / "print.html"), *map(str, seeds)])
            steps.append([weasyprint, str(out / "print.html"), str(out / "book.pdf")])
        for step in steps:
            m = run(step)
            total = Measure(total.wall + m.wall, max(total.rss_mb, m.rss_mb))
        return total

    return median([one() for _ in range(runs)])


def pdf_pages(build_dir: Path) -> int:
    from pypdf import PdfReader

    pdf = next((build_dir / "pdf").glob("*.pdf"))
    return len(PdfReader(pdf).pages)


def incremental(root: Path, work: Path) -> tuple[float, list[str]]:
    """Edit one apparatus note of a copy of the project; rebuild HTML; return
    the wall time and the pages Sphinx wrote again."""
    copy = work / "incremental"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".venv", ".git", "__pycache__"))
    build_dir = copy / "build"
    run(edition_cmd(copy, build_dir, "html"))
    apparatus = copy / "book" / "apparatus" / "furr-beria-reform.toml"
    apparatus.write_text(apparatus.read_text("utf-8").replace(
        "is not part of this excerpt", "is not included in this excerpt", 1), encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in (build_dir / "html").rglob("*.html")}
    time.sleep(0.05)
    m = run(edition_cmd(copy, build_dir, "html"))
    after = {p.relative_to(build_dir / "html").as_posix() for p in (build_dir / "html").rglob("*.html")
             if p.stat().st_mtime_ns != before.get(build_dir / "html" / p.relative_to(build_dir / "html"))}
    return m.wall, sorted(after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="3,30,100")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: compare,incremental,scale")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        work = Path(tmp)
        if "compare" not in skip:
            print(f"## Clean builds of the edition (median of {args.runs}; peak RSS)\n")
            print("| format | ours wall (s) | ours RSS (MiB) | Pandoc+WeasyPrint wall (s) | Pandoc RSS (MiB) | ratio |")
            print("|---|---|---|---|---|---|")
            for fmt in (*FORMATS, None):
                a = ours(root, fmt, args.runs, work)
                b = pandoc(root, fmt, args.runs, work)
                name = fmt or "all three"
                if b is None:
                    print(f"| {name} | {a.wall:.2f} | {a.rss_mb:.0f} | (pandoc not installed) | | |")
                else:
                    print(f"| {name} | {a.wall:.2f} | {a.rss_mb:.0f} | {b.wall:.2f} | {b.rss_mb:.0f} | {a.wall / b.wall:.2f} |", flush=True)
            print()
        if "incremental" not in skip:
            wall, pages = incremental(root, work)
            print(f"## Incremental\n\nAfter editing one apparatus note: HTML rebuilt in {wall:.2f} s; "
                  f"pages written again: {', '.join(pages) or 'none'}.\n", flush=True)
        if "scale" not in skip:
            print("## Scale (synthetic corpus, clean build of all three formats)\n")
            print("| texts | wall (s) | peak RSS (MiB) | PDF pages | s per page |")
            print("|---|---|---|---|---|")
            for n in (int(x) for x in args.sizes.split(",")):
                corpus = make_corpus(work / f"corpus-{n}", n, template=root)
                m = run(edition_cmd(corpus, corpus / "build"))
                pages = pdf_pages(corpus / "build")
                print(f"| {n} | {m.wall:.1f} | {m.rss_mb:.0f} | {pages} | {m.wall / pages:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
