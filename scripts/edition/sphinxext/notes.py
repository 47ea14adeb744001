"""Note streams: whose words a note is, visible in every format.

The generated chapters label their footnotes by voice (``ed-…`` the editor's,
``au-<n>`` the author's, ``tr-<n>`` the transcriber's; see
:mod:`edition.render.myst`).  This transform, run after docutils has numbered the
footnotes, gives each stream its own marks: the editor's notes are lettered
a, b, c… in order of their calls, the source's notes keep the source's
numbers; every note gets a class for its stream, and the source's notes open
with a visible label ("Author", "Transcriber", in the book's language). The
editor's notes need none: their letters say whose they are (the note on the
text says so once).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .config import words

# A footnote label's prefix → its voice (the words' ``voice.<voice>``).
STREAMS = {"ed": "editor", "au": "author", "tr": "transcriber"}


def letters(n: int) -> str:
    """1 → a, 26 → z, 27 → aa: the editor's note marks."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def stream_of(footnote: nodes.footnote) -> str | None:
    for name in footnote["names"]:
        prefix = name.split("-", 1)[0]
        if prefix in STREAMS:
            return STREAMS[prefix]
    return None


class NoteStreams(SphinxTransform):
    # After docutils' Footnotes transform (620), which numbers auto footnotes
    # and links references to them; before Sphinx's resolving of references.
    default_priority = 700

    def apply(self, **kwargs) -> None:
        footnotes = {fid: fn for fn in self.document.findall(nodes.footnote) for fid in fn["ids"]}
        editor_count = 0
        labelled: dict[str, str] = {}
        for ref in list(self.document.findall(nodes.footnote_reference)):
            footnote = footnotes.get(ref.get("refid", ""))
            if footnote is None:
                continue
            stream = stream_of(footnote)
            if stream is None:
                continue
            key = stream
            fid = footnote["ids"][0]
            if fid not in labelled:
                if key == "editor":
                    editor_count += 1
                    labelled[fid] = letters(editor_count)
                else:
                    labelled[fid] = footnote["names"][0].split("-", 1)[1]
            ref[:] = [nodes.Text(labelled[fid])]   # (slice assignment sets the parent)
            ref["classes"] += ["note-call", f"note-{key}"]
        for footnote in footnotes.values():
            stream = stream_of(footnote)
            fid = footnote["ids"][0]
            if stream is None or fid not in labelled:
                continue
            key = stream
            title = words(self.env)(f"voice.{key}")
            footnote["classes"] += ["note", f"note-{key}"]
            label = next((c for c in footnote.children if isinstance(c, nodes.label)), None)
            if label is not None:
                label[:] = [nodes.Text(labelled[fid])]
            body = next((c for c in footnote.children if isinstance(c, nodes.paragraph)), None)
            if body is not None and key != "editor":
                body.insert(0, nodes.inline(f"{title}. ", f"{title}. ", classes=["note-voice"]))
