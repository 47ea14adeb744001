"""The textual notes' links, both ways, in every format.

The generated chapters mark each changed reading and each [sic] in the text
(``app-at-<spot>``, ``app-to-<entry>``) and each place in the textual notes
(``app-back-<spot>``); see :mod:`edition.render.textual`.  This transform
makes the spot a link to its entry, titled with the source's reading (shown
on hover in HTML), gives it an id, and makes the entry's place a link back to
it (a change in a heading: back to the heading).  It runs before the
reading is chosen (:mod:`.readings`), while the source's reading still
stands beside the edition's; in the diplomatic edition the spots go with the
critical reading and the places stay unlinked.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from .config import edition_config, words

AT, TO, BACK = "app-at-", "app-to-", "app-back-"
SECTION_CLASS = "textual-notes"


def _named(node: nodes.Element, prefix: str) -> str | None:
    return next((c[len(prefix):] for c in node["classes"] if c.startswith(prefix)), None)


def _slug(docname: str) -> str:
    return docname.rsplit("/", 1)[-1]


class TextualNoteLinks(SphinxTransform):
    # Before the reading is chosen (ChooseReading, 600).
    default_priority = 590

    def apply(self, **kwargs) -> None:
        doc = self.document
        slug = _slug(self.env.docname)
        section = doc.ids.get(f"{slug}-textual-notes")
        if isinstance(section, nodes.section):
            section["classes"].append(SECTION_CLASS)
        dropped = f"reading-{'diplomatic' if edition_config(self.env).reading == 'critical' else 'critical'}"
        targets: dict[str, str] = {}   # spot → the id its entry's place links back to
        for inline in list(doc.findall(nodes.inline)):
            spot, entry = _named(inline, AT), _named(inline, TO)
            if spot is None or entry is None or dropped in inline["classes"]:
                continue   # not a spot, or one that goes with the other reading
            spot_id, entry_id = f"{slug}-tx-{spot}", f"{slug}-tn-{entry}"
            if entry_id not in doc.ids:
                continue
            heading = _enclosing(inline, nodes.title)
            if heading is not None:
                # A heading's words are not a link (nor an id: contents copy
                # headings); its entry links back to the heading's section.
                if heading.parent is not None and heading.parent["ids"]:
                    targets[spot] = heading.parent["ids"][0]
                continue
            targets[spot] = spot_id
            if any(isinstance(n, (nodes.reference, addnodes.pending_xref)) for n in inline.findall()):
                # The words link elsewhere already (a glossary term): the id only, no link in a link.
                inline["ids"].append(spot_id)
                doc.ids[spot_id] = inline
                continue
            link = nodes.reference("", "", refid=entry_id, internal=True,
                                   classes=["textual-link"] + [c for c in inline["classes"]
                                                               if c.startswith("reading-")])
            source = inline.next_node(siblings=True, descend=False)
            if isinstance(source, nodes.inline) and "reading-diplomatic" in source["classes"]:
                link["reftitle"] = words(self.env)("textual.source-reads", seed=source.astext())
            inline.replace_self(link)
            link += inline
            link["ids"].append(spot_id)
            doc.ids[spot_id] = link
        for place in list(doc.findall(nodes.inline)):
            spot = _named(place, BACK)
            if spot in targets:
                back = nodes.reference("", "", refid=targets[spot], internal=True, classes=["textual-place"])
                place.replace_self(back)
                back += place


def _enclosing(node: nodes.Node, kind: type) -> nodes.Element | None:
    node = node.parent
    while node is not None:
        if isinstance(node, kind):
            return node
        node = node.parent
    return None
