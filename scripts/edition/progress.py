"""Progress of a build, per stage and per format, for a person at a terminal.

``edition build`` takes seconds to minutes (the PDF's layout dominates); on a
terminal it says what it is doing and how long each stage took. It is silent
when standard error is not a terminal, in CI (``CI`` set) and with ``-q``,
so logs and tests see only warnings and errors.

The build sets the current :class:`Progress` (:func:`use`); stages deep in
the Sphinx extension (the PDF's layout passes, the EPUB's font subsetting)
report through :func:`current`, also from the forked process that renders
the PDF, whose lines go to the same terminal.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator, TextIO


class Progress:
    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr

    @classmethod
    def for_terminal(cls, quiet: bool = False, stream: TextIO | None = None) -> "Progress":
        stream = stream or sys.stderr
        interactive = hasattr(stream, "isatty") and stream.isatty()
        return cls(not quiet and interactive and not os.environ.get("CI"), stream)

    def say(self, message: str) -> None:
        if self.enabled:
            # One whole line per write: lines of the PDF's process and of this
            # one may interleave, never mix.
            self.stream.write(f"edition: {message}\n")
            self.stream.flush()

    @contextmanager
    def stage(self, what: str) -> Iterator[None]:
        """``▸ what`` now, ``✓ what (1.2 s)`` when it is done."""
        start = time.perf_counter()
        self.say(f"▸ {what}")
        yield
        self.say(f"✓ {what} ({time.perf_counter() - start:.1f} s)")


_current = Progress(False)


def current() -> Progress:
    """The progress of the running build (silent outside ``edition build``)."""
    return _current


def use(progress: Progress) -> None:
    global _current
    _current = progress
