"""The reading builder: the sources read into the doctree cache, nothing written.

``edition build`` reads every source once with it, before the formats are
written, each of which then starts from that environment. (Sphinx's
``dummy`` builder would also resolve every document's references and run
the post-transforms after reading, for nothing: each format's builder
resolves them itself, and reports what does not resolve.)
"""

from __future__ import annotations

from typing import Any

from sphinx.builders.dummy import DummyBuilder


class ReadingBuilder(DummyBuilder):
    name = "edition-read"
    epilog = "The sources are read into the doctree cache; nothing is written."

    def write_documents(self, docnames: Any) -> None:
        pass
