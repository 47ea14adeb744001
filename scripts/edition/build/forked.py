"""The PDF built in a forked process of its own.

WeasyPrint's layout is the longest stage of a build by far. The process is
forked before the chapters are written: while this process writes and reads
the sources, it loads what the PDF's build needs (Sphinx, the book's
extensions, WeasyPrint and the book's faces), then lays out while this
process writes the HTML and the EPUB. Its result, or its error, comes back
through a pipe. Only where ``fork`` exists; elsewhere the formats are built
one after the other.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import signal
import sys
import traceback
from pathlib import Path

from .. import progress
from ..errors import EditionError
from ..project import Project
from .sphinx import SPEEDUPS, load_ahead
from .staging import BuildError, build_format, staging_dir


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _warm_up(project: Project) -> None:
    """Load what the PDF's build needs, so that it starts writing at once."""
    from .. import compat
    from ..sphinxext.compat import wanted
    from ..sphinxext.pdf.render import font_configuration

    load_ahead(project)
    _import_weasyprint()
    font_configuration()   # registers the book's faces
    compat.prepare(wanted("pdf", speedups=SPEEDUPS))   # the changes its build will ask for


def _import_weasyprint() -> None:
    """WeasyPrint opens each of its libraries under the names it has on
    every platform; for a name this one's dynamic linker does not know, cffi
    asks ``ctypes.util.find_library``, which on Linux then compiles and
    links a test program (about 15 ms a name, a quarter of the import). No
    compiler or linker on the search path while WeasyPrint loads, and the
    lookup answers at once; the names that load are this platform's, opened
    directly. Nothing of WeasyPrint's or of ctypes' is changed, only the
    search path of this process's warm-up, where nothing else runs."""
    path = os.environ.get("PATH")
    os.environ["PATH"] = os.devnull   # no folder: no program found ("" is the working folder)
    try:
        import weasyprint  # noqa: F401
    finally:
        if path is None:
            del os.environ["PATH"]
        else:
            os.environ["PATH"] = path


# Seconds a stopped process has to leave before it is killed.
STOP_WAIT = 10


class ForkedBuild:
    """One format built in a forked process, told to start by :meth:`go`."""

    def __init__(self, project: Project, fmt: str, options: dict) -> None:
        context = multiprocessing.get_context("fork")
        self.fmt = fmt
        self._final = project.output_dir(fmt, options.get("diplomatic", False))
        self._told = False
        self._outcome: str | None = None
        self._receive, send = context.Pipe(duplex=False)
        wait, self._go = context.Pipe(duplex=False)
        # The child is given the parent's ends too, to close them: a forked
        # child holds a copy of every open end, and while it holds the
        # sending end of ``go`` it would never see the parent close it.
        self._process = context.Process(target=_run, args=(send, wait, project, fmt, options,
                                                           (self._receive, self._go)),
                                        name=f"edition-{fmt}", daemon=True)
        self._process.start()
        send.close()
        wait.close()

    def go(self) -> None:
        """The sources are read: build now. (A process that already ended
        said why: :meth:`result` reports it.)"""
        self._told = True
        try:
            self._go.send("build")
        except OSError:   # BrokenPipeError: no one reads any more
            pass
        finally:
            self._go.close()

    def stop(self) -> str:
        """Stop the process if it still runs (a failed or interrupted build).
        Returns what became of the format: ``"rebuilt"`` (its output replaced
        the last good one before it could be stopped), ``"failed"``,
        ``"stopped"`` (while it built: the last good output stays) or
        ``"not run"`` (never told to build)."""
        if not self._go.closed:
            self._go.close()   # never told to build: it leaves on its own
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(STOP_WAIT)
            if self._process.is_alive():   # stopped where a library swallowed the stop
                self._process.kill()
                self._process.join()
            shutil.rmtree(staging_dir(self._final), ignore_errors=True)
        if self._outcome is None:
            self._outcome = self._last_word() if self._told else "not run"
        return self._outcome

    def _last_word(self) -> str:
        """What a process told to build, now ended, said before it ended
        (one that finished its output says so before it can be stopped)."""
        try:
            kind, _ = self._receive.recv() if self._receive.poll() else ("", "")
        except (EOFError, OSError):
            kind = ""
        return {"ok": "rebuilt", "error": "failed", "crash": "failed", "stopped": "not run"}.get(kind, "stopped")

    def running(self) -> bool:
        """Whether the process still builds (it has said nothing yet)."""
        return self._process.is_alive() and not self._receive.poll()

    def result(self) -> Path:
        try:
            kind, value = self._receive.recv()
        except EOFError:
            kind, value = "crash", f"the {self.fmt} process ended with code {self._process.exitcode}"
        self._process.join()
        self._outcome = "rebuilt" if kind == "ok" else "failed"
        if kind == "ok":
            return Path(value)
        if kind == "error":
            path, message, place, hint = value
            raise BuildError(Path(path), message, place, hint)
        sys.stderr.write(value)
        raise BuildError(Path(self.fmt), f"the {self.fmt} build crashed (see above)",
                         hint="the previous output is unchanged")


class _Stopped(BaseException):
    """The parent stopped this process (SIGTERM): its build failed, or Ctrl-C."""


# Set while the process's output replaces the last good one and it says so:
# a stop then waits until that is done (_pending), so that the parent learns
# what became of the format, and a folder is never left half replaced.
_committing = False
_pending = False


def _stop(signum: int, frame: object) -> None:
    global _pending
    if _committing:
        _pending = True
        return
    raise _Stopped


def _commit() -> None:
    """The build succeeded: its output now replaces the last good one, unstopped."""
    global _committing
    _committing = True


def _committed() -> None:
    """Said so: a stop asked for meanwhile takes effect now."""
    global _committing
    _committing = False
    if _pending:
        raise _Stopped


def _run(send, wait, project: Project, fmt: str, options: dict, parents_ends: tuple = ()) -> None:
    """The forked process: warm up, wait for the word, build, answer, leave
    (also when stopped: what it made in the temporary folder is removed)."""
    signal.signal(signal.SIGTERM, _stop)
    for end in parents_ends:
        end.close()
    try:
        try:
            _warm_up(project)
        except Exception:   # only loading ahead: the build does it again, and reports
            pass
        gc.freeze()   # WeasyPrint and the faces too (see load_ahead)
        try:
            started = wait.recv() == "build"
        except EOFError:   # the parent stopped: reading failed, or Ctrl-C
            started = False
        if not started:
            send.send(("stopped", ""))
            return
        from ..sphinxext.pdf.render import paced_collector

        with progress.current().stage(f"{fmt}: writing (in a process of its own)"), paced_collector():
            folder = build_format(project, fmt, succeeded=_commit, **options)
        send.send(("ok", str(folder)))
        _committed()
    except _Stopped:
        pass   # no one waits for an answer
    except EditionError as exc:
        send.send(("error", (str(exc.path), exc.message, exc.place, exc.hint)))
    except BaseException:   # reported by the parent as a failed build, with the cause
        send.send(("crash", traceback.format_exc()))
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        send.close()
        from ..sphinxext.pdf.render import release_font_configurations

        release_font_configurations()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        # A forked child leaves at once: the parent's atexit handlers and
        # finalisers are the parent's to run, not twice.
        os._exit(0)
