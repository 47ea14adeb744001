"""Stage 5, Sphinx: the book project → HTML, EPUB and PDF under ``build/``.

Each format is built by Sphinx (warnings are errors, all reported before
failing) into a staging copy of its last good output beside its final place,
and moved into place only when the build succeeded: a failed build leaves the
previous good output untouched, and an unchanged page is not written again.

The texts are parsed once: when more than one format is built, or the PDF
(in its own process), the sources are first read into the shared doctree
cache (``speed.ReadingBuilder``), and every format then starts from that
environment without reading again.
The PDF's layout by WeasyPrint is the longest stage by far, so it runs in a
forked process of its own, started first: it loads Sphinx, the book's
extensions and WeasyPrint while this process writes the chapters and reads
them, then lays out while this one writes the HTML and the EPUB.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import traceback
from pathlib import Path

from . import chapters, progress
from .errors import EditionError
from .progress import Progress
from .project import Project

FORMATS = ("html", "epub", "pdf")


class BuildError(EditionError):
    """Sphinx reported warnings or errors; the previous output was kept."""


def output_dir(project: Project, fmt: str, diplomatic: bool = False) -> Path:
    """``build/<fmt>`` for the critical edition, ``build/diplomatic/<fmt>`` for the diplomatic."""
    return project.build_dir / ("diplomatic" if diplomatic else "") / fmt


def sphinx_args(project: Project, fmt: str, outdir: Path, *, paper: str | None,
                quiet: bool, diplomatic: bool = False, pdf_variant: str | None = None) -> list[str]:
    # The two readings are different doctrees: each keeps its own cache.
    doctrees = project.build_dir / (".doctrees-diplomatic" if diplomatic else ".doctrees")
    args = ["-b", fmt, "-W", "--keep-going", "-n", "-j", "1", "-d", str(doctrees)]
    if quiet:
        args.append("-q")
    if paper:
        args += ["-D", f"edition_pdf_paper={paper}"]
    if pdf_variant:
        args += ["-D", f"edition_pdf_variant={pdf_variant}"]
    if diplomatic:
        args += ["-D", "edition_reading=diplomatic",
                 "-D", "epub_basename=beria-1953-diplomatic",
                 "-D", "edition_pdf_basename=beria-1953-diplomatic"]
    return args + [str(project.book_dir), str(outdir)]


# Sphinx loads every one of its builders in every build. The link checker
# imports requests (with urllib3, idna, charset detection), a twentieth of an
# incremental HTML build, and no build of the edition uses it (nor reads its
# settings); `sphinx-build -b linkcheck book …` still works, in a process of its own.
UNUSED_BUILTINS = ("sphinx.builders.linkcheck",)

# Modules that Sphinx's built-in extensions and the book's import only when
# they are set up or first used (the forked PDF's process loads them ahead).
LAZY_IMPORTS = ("myst_parser.sphinx_ext.main", "myst_parser.parsers.sphinx_",
                "sphinx.builders.html", "pybtex.style.formatting.plain")


# C declarations WeasyPrint 70's layout and writing give cffi by name (an
# unknown one is skipped).
FIRST_USED_C_TYPES = ("char[]", "PangoRectangle *", "PangoLogAttr[]", "unsigned int *",
                      "hb_tag_t[100]", "char[4]")


def _sphinx_main(args: list[str]) -> int:
    """``sphinx-build`` with ``args``, in this process, without the builders
    the edition never uses."""
    from .sphinxext.speed import defer_http_imports

    defer_http_imports()
    import sphinx.application
    from sphinx.cmd.build import build_main

    sphinx.application.builtin_extensions = tuple(
        name for name in sphinx.application.builtin_extensions if name not in UNUSED_BUILTINS)
    return build_main(args)


def staging_dir(final: Path) -> Path:
    """Where a format is built before it replaces ``final`` (beside it)."""
    return final.with_name(f".staging-{final.name}")


def _replace_atomically(staging: Path, final: Path) -> None:
    old = final.with_name(f".old-{final.name}")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old)


def build_format(project: Project, fmt: str, *, paper: str | None = None,
                 quiet: bool = False, diplomatic: bool = False,
                 pdf_variant: str | None = None) -> Path:
    final = output_dir(project, fmt, diplomatic)
    staging = staging_dir(final)
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        # Start from a copy of the last good output so that Sphinx writes only
        # the pages whose sources changed (an incremental build), while the
        # last good output itself stays untouched until this build succeeds.
        shutil.copytree(final, staging, symlinks=True)
    status = _sphinx_main(sphinx_args(project, fmt, staging, paper=paper, quiet=quiet,
                                      diplomatic=diplomatic, pdf_variant=pdf_variant))
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(project.book_dir, f"the {fmt} build failed (Sphinx warnings above)",
                         hint=f"the previous {final.relative_to(project.build_dir.parent)}/ is unchanged")
    _replace_atomically(staging, final)
    return final


def read_sources(project: Project, *, paper: str | None = None, quiet: bool = False,
                 diplomatic: bool = False, pdf_variant: str | None = None) -> None:
    """Parse every source into the doctree cache, once for all formats
    (``speed.ReadingBuilder`` writes nothing else). The same settings as
    the formats' builds, so that none of them finds its configuration
    changed and reads again."""
    outdir = project.build_dir / ".read"
    args = sphinx_args(project, "edition-read", outdir, paper=paper, quiet=quiet,
                       diplomatic=diplomatic, pdf_variant=pdf_variant)
    status = _sphinx_main(args)
    shutil.rmtree(outdir, ignore_errors=True)
    if status != 0:
        raise BuildError(project.book_dir, "reading the sources failed (Sphinx warnings above)",
                         hint="the previous outputs in build/ are unchanged")


class _Forked:
    """A format built in a forked process (the modules and the project are
    already loaded there); its result or its error comes back through a
    pipe. Only where ``fork`` exists; elsewhere :func:`build` works serially."""

    def __init__(self, project: Project, fmt: str, options: dict) -> None:
        context = multiprocessing.get_context("fork")
        self.fmt = fmt
        self._receive, send = context.Pipe(duplex=False)
        wait, self._go = context.Pipe(duplex=False)
        self._process = context.Process(target=self._run, args=(send, wait, project, fmt, options),
                                        name=f"edition-{fmt}", daemon=True)
        self._process.start()
        send.close()
        wait.close()

    def go(self) -> None:
        """The sources are read: build now. (A process that already ended,
        its warm-up having crashed, said why: :meth:`result` reports it.)"""
        try:
            self._go.send("build")
        except OSError:   # BrokenPipeError: no one reads any more
            pass
        finally:
            self._go.close()

    @staticmethod
    def _warm_up(project: Project) -> None:
        """While the parent reads the sources: load what the PDF's build
        needs (Sphinx, its built-in extensions and the book's, WeasyPrint and
        its fonts' machinery), so that the build starts writing at once."""
        import importlib
        import importlib.metadata

        import sphinx.application
        import sphinx.builders.singlehtml  # noqa: F401
        import sphinx.cmd.build  # noqa: F401
        from sphinx.config import Config
        from sphinx.util.tags import Tags

        from .sphinxext import speed
        from .sphinxext.pdf import font_configuration, prepare_weasyprint

        speed.defer_http_imports()

        try:
            config = Config.read(project.book_dir, overrides={}, tags=Tags())
            extensions, language = config.extensions, config.language
        except Exception:   # the build reports it, with its context
            extensions, language = [], None
        for name in (*sphinx.application.builtin_extensions, *extensions, *LAZY_IMPORTS):
            if name not in UNUSED_BUILTINS:
                try:
                    importlib.import_module(name)
                except ImportError:   # the build reports it, with its context
                    pass
        speed.cache_entry_points()
        importlib.metadata.entry_points()   # read once, here
        prepare_weasyprint()
        font_configuration()
        # The book's hyphenation patterns, which pyphen parses once per process.
        import pyphen

        patterns = language and pyphen.language_fallback(language)
        if patterns:
            pyphen.Pyphen(lang=patterns)
        # C types WeasyPrint names by their declarations when it first lays
        # out and writes (pycparser parses each, 5-25 ms).
        from weasyprint.text.ffi import ffi

        for declaration in FIRST_USED_C_TYPES:
            try:
                ffi.typeof(declaration)
            except Exception:   # not declared by this release: nothing to load ahead
                pass

    @classmethod
    def _run(cls, send, wait, project: Project, fmt: str, options: dict) -> None:
        try:
            try:
                cls._warm_up(project)
            except Exception:   # only loading ahead: the build does it again, and reports
                pass
            try:
                started = wait.recv() == "build"
            except EOFError:   # the parent stopped: reading failed, or Ctrl-C
                started = False
            if not started:
                send.send(("stopped", ""))
                return
            with progress.current().stage(f"{fmt}: writing (in a process of its own)"):
                folder = build_format(project, fmt, **options)
            send.send(("ok", str(folder)))
        except EditionError as exc:
            send.send(("error", (str(exc.path), exc.message, exc.place, exc.hint)))
        except BaseException:   # reported by the parent as a failed build, with the cause
            send.send(("crash", traceback.format_exc()))
        finally:
            send.close()
            from .sphinxext.pdf import release_font_configurations

            release_font_configurations()   # os._exit runs no finaliser
            # Sphinx's warnings are on this process's stderr: out before leaving.
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            # Leave at once: no atexit handlers of the parent run twice.
            os._exit(0)

    def stop(self, final: Path) -> None:
        if not self._go.closed:
            self._go.close()   # never told to build: it leaves on its own
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
            shutil.rmtree(staging_dir(final), ignore_errors=True)

    def result(self) -> Path:
        try:
            kind, value = self._receive.recv()
        except EOFError:
            kind, value = "crash", f"the {self.fmt} process ended with code {self._process.exitcode}"
        self._process.join()
        if kind == "ok":
            return Path(value)
        if kind == "error":
            path, message, place, hint = value
            raise BuildError(Path(path), message, place, hint)
        sys.stderr.write(value)
        raise BuildError(Path(self.fmt), f"the {self.fmt} build crashed (see above)",
                         hint="the previous output is unchanged")


def build(project: Project, formats: tuple[str, ...] = FORMATS, *, paper: str | None = None,
          quiet: bool = False, diplomatic: bool = False,
          pdf_variant: str | None = None, verbose: bool = False,
          report: Progress | None = None) -> dict[str, Path]:
    """Regenerate the chapters, then build each format; returns their folders.

    ``verbose`` shows Sphinx's own output (and builds one format after the
    other, so that it reads in order); otherwise Sphinx reports only
    warnings, and ``report`` (default: progress lines on a terminal, none
    with ``quiet`` or in CI) says what is being done."""
    report = report or Progress.for_terminal(quiet)
    progress.use(report)
    options = dict(paper=paper, quiet=not verbose, diplomatic=diplomatic, pdf_variant=pdf_variant)
    forked = None
    if "pdf" in formats and not verbose and "fork" in multiprocessing.get_all_start_methods():
        # Started first, it loads Sphinx and WeasyPrint while this process
        # writes the chapters and reads them (also when the PDF is the only
        # format: loading is its longest wait).
        forked = _Forked(project, "pdf", options)
    outputs: dict[str, Path] = {}
    try:
        with report.stage("chapters: seeds + apparatus → book/texts"):
            prepared = chapters.prepare(project)
            for path in chapters.write(prepared):
                if not quiet:
                    print(f"edition: regenerated {path.relative_to(project.root)}", file=sys.stderr)
        if len(formats) > 1 or forked is not None:
            what = "once for all formats" if len(formats) > 1 else "while the PDF's process starts"
            with report.stage(f"reading the sources ({what})"):
                read_sources(project, **options)
        if forked is not None:
            forked.go()
        for fmt in formats:
            if forked is not None and fmt == forked.fmt:
                continue
            with report.stage(f"{fmt}: writing"):
                outputs[fmt] = build_format(project, fmt, **options)
        if forked is not None:
            with report.stage(f"{forked.fmt}: waiting for the layout to finish"):
                outputs[forked.fmt] = forked.result()
    finally:
        if forked is not None:
            # A failed (or interrupted) build stops the PDF's process too: the
            # first error is the one reported, as in a build one format at a time.
            forked.stop(output_dir(project, forked.fmt, diplomatic))
    return {fmt: outputs[fmt] for fmt in formats}
