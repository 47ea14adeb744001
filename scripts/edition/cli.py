"""The ``edition`` command: ``new``, ``add``, ``build``, ``watch``, ``generate``, ``check``, ``verify``, ``copyfit``.

Every subcommand returns an exit code; input problems are printed as one line
(``file:place: message (hint)``) and exit 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import gc
import shlex
import sys
from pathlib import Path

from . import __version__
from .build import build
from .errors import EditionError
from .paper import PAPER_SIZES, PDF_VARIANTS
from .project import ALL_FORMATS, FORMATS, Project
from .render import chapters


def _project(args: argparse.Namespace) -> Project:
    return Project.find(args.root, args.build_dir)


def cmd_new(args: argparse.Namespace) -> int:
    from .authoring.new import new_project

    name = " ".join(args.dir.name.replace("-", " ").replace("_", " ").split())
    title = args.title or name[:1].upper() + name[1:]
    project = new_project(args.dir.resolve(), title=title, subtitle=args.subtitle,
                          editor=args.editor, language=args.language)
    print(f"edition: a new edition in {args.dir}, with one sample text\n"
          f"  next: cd {shlex.quote(str(args.dir))}; edition build   (HTML, EPUB and PDF into build/)\n"
          f"        edition add FILE --title … --author … --date … --publication … --rights …\n"
          f"        then edit book/conf.py, book/index.md, book/front/, and take the sample out "
          f"(see {project.root.name}/README.md)")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from .authoring.add import add_text

    project = _project(args)
    added = add_text(project, args.file, slug=args.slug, title=args.title, author=args.author,
                     date=args.date, publication=args.publication, source=args.source,
                     rights=args.rights, short=args.short, date_display=args.date_display)
    root = project.root
    print(f"edition: added {added.slug}: {added.seed.relative_to(root)} (catalogued with its sha256), "
          f"{added.chapter.relative_to(root)} (in the contents of book/index.md); the checks pass")
    if added.defaults:
        print(f"  to fill in: {', '.join(added.defaults)} in {project.catalog_path.relative_to(root)} "
              "(given defaults)")
    if "title" in added.defaults or added.first_line != args.title:
        print(f"  note: the text's first line, “{added.first_line}”, is its chapter's heading; if it is "
              "not its title, a [[structure]] entry with kind = \"paragraph\" on it makes the "
              "catalogue's title the heading")
    print(f"  next: write the apparatus in {added.apparatus.relative_to(root)}, then `edition build`")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    # The TEI gives both readings: the diplomatic edition has none of its own.
    formats = tuple(args.format) if args.format else FORMATS if args.diplomatic else ALL_FORMATS
    outputs = build(_project(args), formats, paper=args.paper, quiet=args.quiet, verbose=args.verbose,
                    diplomatic=args.diplomatic, pdf_variant=args.pdf_variant)
    for fmt, folder in outputs.items():
        print(f"edition: {fmt} → {folder}")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from .build.watch import watch

    project = _project(args)
    formats = tuple(args.format) if args.format else ("html",)

    def rebuild() -> None:
        build(project, formats, paper=args.paper, quiet=True, diplomatic=args.diplomatic)

    try:
        watch(project, rebuild, say=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("edition: stopped watching")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    project = _project(args)
    for path in chapters.write(chapters.prepare(project)):
        done = "regenerated" if path.exists() else "removed"
        print(f"edition: {done} {path.relative_to(project.root)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    project = _project(args)
    prepared = chapters.prepare(project)
    stale = chapters.stale(prepared)
    for path in stale:
        why = "differs from what seeds + apparatus generate" if path in prepared.pages else "its source is gone"
        print(f"{path}: stale: {why} (run `edition generate`)", file=sys.stderr)
    texts = {chapter.seed.entry.slug for chapter in prepared}
    left = [path for path in sorted(project.apparatus_dir.glob("*.toml")) if path.stem not in texts]
    for path in left:
        print(f"{path}: no text {path.stem!r} in the catalogue (left from a text taken out? remove "
              "the file; a new text's apparatus comes with edition add)", file=sys.stderr)
    stale += left
    if not stale:
        registry = prepared.registry
        print(f"edition: {len(prepared)} texts verified; apparatus anchors resolve; "
              f"{len(registry.persons)} persons and {len(registry.terms)} terms registered; "
              "generated files up to date")
    return 1 if stale else 0


def cmd_copyfit(args: argparse.Namespace) -> int:
    from .build.copyfit import fit_pages
    from .copyfit import FILE_NAME

    project = _project(args)
    result = fit_pages(project, paper=args.paper, diplomatic=args.diplomatic,
                       say=lambda line: print(f"edition: {line}", flush=True))
    for key, fit in sorted(result.fits.items(), key=lambda item: item[1].page):
        how = ", ".join(([f"tracked {fit.tracking:+.3f} em"] if fit.tracking else [])
                        + ([f"{fit.space:.2f} pt more space above"] if fit.space else []))
        print(f"edition: p. {fit.page}: {how}: “{fit.begins} …”")
    print(f"edition: copyfit: {len(result.filled)} page(s) filled"
          + (f" ({', '.join(result.filled)})" if result.filled else "")
          + f"; {len(result.fits)} paragraph(s) in book/{FILE_NAME}; {result.layouts} layout(s)")
    for short in result.short:
        print(f"edition: copyfit: p. {short} still ends short: neither tracking nor stretching "
              "within the limits fills it")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .verify import verify

    formats = tuple(args.format) if args.format else FORMATS if args.diplomatic else ALL_FORMATS
    report = verify(_project(args), diplomatic=args.diplomatic, formats=formats)
    for difference in report.differences:
        print(difference)
    for fmt in report.texts:
        found = sum(1 for d in report.differences if d.fmt == fmt)
        # The TEI gives both readings whichever edition is verified.
        edition = ("diplomatic" if fmt.endswith("(diplomatic)") else "critical") if fmt.startswith("tei") \
            else "diplomatic" if args.diplomatic else "critical"
        print(f"edition: {fmt.split(' (')[0]}: {report.counts.get(fmt, 0)} words of {report.texts.get(fmt, 0)} texts "
              f"verified ({edition} reading): "
              + ("every seed word in order" if not found else f"{found} difference(s)"))
    return 0 if report.ok else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="edition", description="Start, fill and build a critical edition.")
    p.add_argument("--version", action="version", version=f"edition {__version__}")
    p.add_argument("--root", type=Path, default=None, help="the project folder (default: found from here)")
    p.add_argument("--build-dir", type=Path, default=None,
                   help="where the formats are written (default: <root>/build)")
    sub = p.add_subparsers(dest="command", required=True)
    n = sub.add_parser("new", help="make a new edition project in DIR, with one sample text")
    n.add_argument("dir", type=Path, metavar="DIR")
    n.add_argument("--title", default=None, help="the book's title (default: from DIR's name)")
    n.add_argument("--subtitle", default=None, help="the subtitle (default: A Critical Edition, "
                                                     "in the book's language)")
    n.add_argument("--editor", required=True, help="who edits it: a person, or a project")
    n.add_argument("--language", default="en", help="the book's language (en, de, fr: the builder's "
                                                    "own words; others: English)")
    n.set_defaults(func=cmd_new)
    a = sub.add_parser("add", help="add a text: copy FILE into seeds/, catalogue it, add it to the "
                                   "contents and generate its chapter")
    a.add_argument("file", type=Path, metavar="FILE")
    a.add_argument("--slug", help="its name in file names and anchors (default: from FILE's name)")
    a.add_argument("--title", help="its title (default: its first line)")
    a.add_argument("--author", help="its author (default: unknown)")
    a.add_argument("--date", required=True, help="its date: YYYY, YYYY-MM or YYYY-MM-DD")
    a.add_argument("--publication", help="where and when it was first published")
    a.add_argument("--source", help="the copy this edition's text comes from (default: FILE as received)")
    a.add_argument("--rights", help="who holds its rights, and on what terms it is reproduced")
    a.add_argument("--date-display", help="its date as printed (\"2 May 1901\"; default: --date)")
    a.add_argument("--short", help="its name in cross-references (\"Smith ¶3\"; default: its title)")
    a.set_defaults(func=cmd_add)
    b = sub.add_parser("build", help="regenerate the chapters and build HTML, EPUB and PDF")
    b.add_argument("--format", action="append", choices=ALL_FORMATS,
                   help="build only this format (repeatable; default: all: html, epub, pdf, "
                        "and tei, the edition as TEI P5, validated)")
    b.add_argument("--paper", choices=list(PAPER_SIZES), default=None,
                   help="PDF paper size (default: the book's, A5)")
    b.add_argument("--pdf-variant", choices=PDF_VARIANTS, default=None,
                   help="an archival (PDF/A-3b), accessible, tagged (PDF/UA-1) or printer's (PDF/X-4; its trim and crop marks: edition_pdf_trim, edition_pdf_crop_marks) PDF beside the reading PDF")
    b.add_argument("--diplomatic", action="store_true",
                   help="the diplomatic edition: the seeds' text with no emendation applied "
                        "(into build/diplomatic/)")
    b.add_argument("-q", "--quiet", action="store_true",
                   help="only warnings and errors (no progress lines; these are shown on a terminal, "
                        "not in CI)")
    b.add_argument("-v", "--verbose", action="store_true",
                   help="Sphinx's own output too (the formats are then built one after the other)")
    b.set_defaults(func=cmd_build)
    w = sub.add_parser("watch", help="build, then rebuild whenever a seed, the apparatus, the book "
                                     "or refs.bib changes (HTML unless --format is given)")
    w.add_argument("--format", action="append", choices=FORMATS,
                   help="rebuild this format (repeatable; default: html)")
    w.add_argument("--paper", choices=list(PAPER_SIZES), default=None,
                   help="PDF paper size (default: the book's, A5)")
    w.add_argument("--diplomatic", action="store_true", help="the diplomatic edition")
    w.set_defaults(func=cmd_watch)
    g = sub.add_parser("generate", help="regenerate book/texts/*.md from seeds + apparatus")
    g.set_defaults(func=cmd_generate)
    c = sub.add_parser("check", help="validate seeds, catalogue, apparatus and refs.bib without building")
    c.set_defaults(func=cmd_check)
    f = sub.add_parser("copyfit", help="fill the printed pages that end short: track a paragraph on "
                       "each a little looser (written to book/copyfit.toml, which later builds apply)")
    f.add_argument("--paper", choices=list(PAPER_SIZES), default=None,
                   help="the paper to fit (default: the book's, edition_pdf_paper)")
    f.add_argument("--diplomatic", action="store_true", help="the diplomatic edition")
    f.set_defaults(func=cmd_copyfit)
    v = sub.add_parser("verify", help="check that every word of every seed is in the built outputs, "
                                      "in order, with only the apparatus's differences")
    v.add_argument("--format", action="append", choices=ALL_FORMATS,
                   help="verify only this format (repeatable; default: all; tei: both of its readings)")
    v.add_argument("--diplomatic", action="store_true",
                   help="verify the diplomatic edition (build/diplomatic/)")
    v.set_defaults(func=cmd_verify)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except EditionError as exc:
        print(f"edition: error: {exc}", file=sys.stderr)
        return 1


def run() -> None:
    """The ``edition`` command. Before the interpreter shuts down, the heap
    is frozen: its last garbage collection would otherwise walk every object
    the build made (Sphinx's environment, the doctrees), for nothing, a
    quarter of a second of an incremental build. Shutting down is otherwise
    as usual (atexit handlers run, objects no cycle holds are finalised as
    their references go); what a build must clean up it cleans up itself,
    when it ends (the PDF's font copies: ``release_font_configurations``)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
