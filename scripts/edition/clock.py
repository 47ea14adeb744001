"""The build clock: the moment a build says it was made.

Every date a build writes (the PDF's and the EPUB's metadata, the colophon,
the copyright year) comes from here. When ``SOURCE_DATE_EPOCH`` is set (as
``scripts/bootstrap`` sets it from the last commit), that moment is used, so
that two builds of the same sources give the same bytes
(https://reproducible-builds.org/specs/source-date-epoch/); otherwise now.
A value that is not a whole number of seconds is an error, as the
specification asks, never silently today.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from .errors import EditionError

VARIABLE = "SOURCE_DATE_EPOCH"


def build_epoch() -> int:
    """Seconds since 1970 of the build's moment."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return int(datetime.now(timezone.utc).timestamp())
    if not value.isdigit():
        raise EditionError(VARIABLE, f"{value!r} is not a whole number of seconds since 1970",
                           hint="unset it, or set it to `git log -1 --format=%ct`")
    return int(value)


def build_moment() -> datetime:
    """The build's moment, in UTC."""
    return datetime.fromtimestamp(build_epoch(), timezone.utc)
