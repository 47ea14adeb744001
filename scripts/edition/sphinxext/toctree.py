"""The ``toctree`` directive, with the builder's generated pages optional.

A register with no entries has no page, and a text taken out of the
catalogue has no chapter (:mod:`edition.render.chapters` removes the file):
a toctree entry naming such a page in ``texts/`` or ``generated/`` is left
out, so the book has no contents entry, no landmark and no warning for it.
Every other entry is Sphinx's: a page that does not exist is still an error.
"""

from __future__ import annotations

import re

from docutils.statemachine import StringList
from sphinx.directives.other import TocTree
from sphinx.util import docname_join

from ..project import GENERATED_FOLDERS

# "page" or "Title <page>" (Sphinx's explicit-title form).
ENTRY_RE = re.compile(r"^(?:.*<(?P<explicit>[^<>]+)>|(?P<plain>[^<>]+))$")


class OptionalPagesTocTree(TocTree):
    def run(self):
        kept = StringList()
        for line, (source, offset) in zip(self.content, self.content.items):
            if not self._absent(line.strip()):
                kept.append(line, source, offset)
        self.content = kept
        return super().run()

    def _absent(self, entry: str) -> bool:
        """A generated page the build does not have."""
        match = ENTRY_RE.match(entry)
        if not entry or match is None:
            return False
        ref = (match["explicit"] or match["plain"]).strip()
        docname = docname_join(self.env.current_document.docname, ref)
        return (docname.startswith(tuple(f"{folder}/" for folder in GENERATED_FOLDERS))
                and docname not in self.env.found_docs)
