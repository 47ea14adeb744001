"""``edition watch``: build, then rebuild whenever an input changes.

For the editor at work: edit a note in ``book/apparatus/``, save, and the
page is rebuilt (HTML in well under a second: this process keeps Python,
Sphinx and the extension loaded, and Sphinx rewrites only the chapter whose
source changed). Each rebuild is the same atomic build as ``edition build``:
an input error is reported as one line and the last good output stays.

The inputs are polled (no platform-specific file events): the seeds, the
book's own files (not the chapters it generates) and ``refs.bib``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import EditionError
from ..project import Project

# Written by the build itself (stage 3 and 4): never a reason to rebuild.
GENERATED = ("texts", "generated")


def inputs(project: Project) -> Iterator[Path]:
    yield from (p for p in project.seeds_dir.rglob("*") if p.is_file())
    for path in project.book_dir.rglob("*"):
        relative = path.relative_to(project.book_dir).parts
        if path.is_file() and relative[0] not in GENERATED and not any(
                part.startswith((".", "_")) or part == "__pycache__" for part in relative):
            yield path
    if project.refs_bib.exists():
        yield project.refs_bib


def snapshot(project: Project) -> dict[Path, tuple[int, int]]:
    state = {}
    for path in inputs(project):
        try:
            stat = path.stat()
        except FileNotFoundError:   # removed while listing
            continue
        state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def changed(before: dict, after: dict) -> list[Path]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def watch(project: Project, rebuild: Callable[[], object], *, interval: float = 0.1,
          say: Callable[[str], None] = print, rounds: int | None = None) -> None:
    """Run ``rebuild`` now and after every change of an input; ``rounds``
    (for tests) stops after that many rebuilds, else Ctrl-C does."""

    def attempt(reason: str) -> None:
        start = time.perf_counter()
        try:
            rebuild()
        except EditionError as exc:
            say(f"edition: error: {exc}")
            say("edition: the last good output is unchanged; watching for the next change")
            return
        say(f"edition: {reason} in {time.perf_counter() - start:.2f} s")

    attempt("built")
    state = snapshot(project)
    say("edition: watching seeds/, book/ and refs.bib for changes (Ctrl-C stops)")
    done = 0
    while rounds is None or done < rounds:
        time.sleep(interval)
        now = snapshot(project)
        if now == state:
            continue
        # An editor may save in several writes: wait until the files are still.
        while True:
            time.sleep(interval)
            settled = snapshot(project)
            if settled == now:
                break
            now = settled
        names = ", ".join(str(p.relative_to(project.root)) for p in changed(state, now))
        attempt(f"rebuilt after a change to {names}")
        # The state that was built: an edit saved during the build is a
        # change on the next look (what the build writes is not an input).
        state = now
        done += 1
