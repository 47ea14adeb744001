"""The ``toctree`` directive, with the builder's generated pages optional.

A register with no entries has no page (:mod:`edition.render.chapters`
writes none, and removes the one it wrote before): a toctree entry naming
such a page of ``generated/`` is left out, so the book has no contents
entry, no landmark and no warning for it. The page the entry names is a
dependency of the document either way, so that the contents are read again
when the page appears or goes. Every other entry is Sphinx's: a page that
does not exist is still an error.
"""

from __future__ import annotations

import re

from docutils.statemachine import StringList
from sphinx.directives.other import TocTree
from sphinx.util import docname_join

from ..project import GENERATED_FOLDER

# "page" or "Title <page>" (Sphinx's explicit-title form).
ENTRY_RE = re.compile(r"^(?:.*<(?P<explicit>[^<>]+)>|(?P<plain>[^<>]+))$")
GLOB_CHARACTERS = re.compile(r"[*?\[]")


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
        if "glob" in self.options and GLOB_CHARACTERS.search(ref):
            return False
        docname = docname_join(self.env.current_document.docname, ref)
        if not docname.startswith(f"{GENERATED_FOLDER}/"):
            return False
        # (A missing file is a changed dependency: the contents are read again
        # in every build while the page is absent, and when it comes back.)
        self.env.note_dependency(str(self.env.doc2path(docname)))
        return docname not in self.env.found_docs
