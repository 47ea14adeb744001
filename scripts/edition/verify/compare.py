"""Verify, the comparison: the expected words against a format's words.

The comparison aligns the two word sequences (:class:`difflib.SequenceMatcher`
without its junk heuristic); a run of words lost in one place and found in
another is reported once, as ``reordered``.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from ..errors import line_col
from .expected import Word


@dataclass(frozen=True)
class Difference:
    fmt: str
    slug: str
    stream: str          # "text" or "note N"
    kind: str            # lost, extra, reordered, changed
    place: str           # line:column in the seed
    expected: tuple[str, ...] = ()
    actual: tuple[str, ...] = ()
    moved_to: str = ""   # reordered: the seed place the words now stand before

    def __str__(self) -> str:
        where = f"seeds/{self.slug}.txt:{self.place}"
        stream = "" if self.stream == "text" else f" ({self.stream})"
        if self.kind == "lost":
            what = f"{_quote(self.expected)} is missing"
        elif self.kind == "extra":
            what = f"{_quote(self.actual)} is not in the seed (before this place)"
        elif self.kind == "reordered":
            what = f"{_quote(self.expected)} stands elsewhere (before {self.moved_to})"
        else:
            what = f"{_quote(self.expected)} reads {_quote(self.actual)}"
        return f"{self.fmt}: {where}: {self.kind}{stream}: {what}"


def _quote(ws: tuple[str, ...], limit: int = 12) -> str:
    shown = " ".join(ws[:limit]) + (" …" if len(ws) > limit else "")
    count = f" ({len(ws)} words)" if len(ws) > limit else ""
    return f"“{shown}”{count}"


def compare(fmt: str, slug: str, stream: str, seed: str, want: list[Word],
            got: list[str]) -> list[Difference]:
    """Align the expected words with the output's and name every difference."""
    a = [w.text for w in want]
    lo = 0
    while lo < len(a) and lo < len(got) and a[lo] == got[lo]:
        lo += 1
    hi_a, hi_b = len(a), len(got)
    while hi_a > lo and hi_b > lo and a[hi_a - 1] == got[hi_b - 1]:
        hi_a -= 1
        hi_b -= 1
    if lo == hi_a and lo == hi_b:
        return []
    matcher = SequenceMatcher(None, a[lo:hi_a], got[lo:hi_b], autojunk=False)
    ops = [(tag, i1 + lo, i2 + lo, j1 + lo, j2 + lo)
           for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]

    def place(i: int) -> str:
        if not want:
            return "1:1"
        return line_col(seed, want[min(i, len(want) - 1)].offset)

    out: list[Difference] = []
    inserts = [op for op in ops if op[0] == "insert"]
    paired: set[tuple] = set()
    for op in ops:
        tag, i1, i2, j1, j2 = op
        if tag == "delete":
            moved = next((ins for ins in inserts if ins not in paired
                          and got[ins[3]:ins[4]] == a[i1:i2]), None)
            if moved is not None:
                paired.add(moved)
                out.append(Difference(fmt, slug, stream, "reordered", place(i1), tuple(a[i1:i2]),
                                      moved_to=place(moved[1])))
                continue
            out.append(Difference(fmt, slug, stream, "lost", place(i1), tuple(a[i1:i2])))
    for op in ops:
        tag, i1, i2, j1, j2 = op
        if tag == "insert" and op not in paired:
            out.append(Difference(fmt, slug, stream, "extra", place(i1), actual=tuple(got[j1:j2])))
        elif tag == "replace":
            out.append(Difference(fmt, slug, stream, "changed", place(i1), tuple(a[i1:i2]),
                                  tuple(got[j1:j2])))
    return out

