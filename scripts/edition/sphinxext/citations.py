"""Citation links: the seed's own citation text, linked to its bibliography entry.

The generated chapters mark a passage such as "Freeze pg 409" as a span
``[…]{.bibcite .bibkey-freeze2009}`` (see :mod:`edition.render.myst`).  The seed's
words stay exactly as they are; this post-transform turns the span into a
reference to the entry that sphinxcontrib-bibtex renders on the bibliography
page (its ids come from ``bibtex_cite_id = "cite-{key}"``).
sphinxcontrib-bibtex resolves its own nodes in a post-transform, so by
``doctree-resolved`` the entries' ids are final.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.nodes import make_refnode

from .config import edition_config, words
from .warnings import Warn, warn

KEY_CLASS_PREFIX = "bibkey-"


def citation_id(key: str, template: str) -> str:
    return nodes.make_id(template.format(key=key, bibliography_count=1))


def link_citations(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: turn each citation span into a link to its entry.

    A ``doctree-resolved`` handler rather than a post-transform because it
    needs the builder to make the URI (relative page and anchor), which the
    event hands over."""
    spans = [span for span in doctree.findall(nodes.inline) if "bibcite" in span["classes"]]
    if not spans:
        return
    env = app.env
    bibdoc = edition_config(env).bibliography_doc
    known = set(env.get_domain("cite").bibdata.data.entries)
    template = app.config.bibtex_cite_id or "cite-{key}"
    for span in spans:
        keys = [c[len(KEY_CLASS_PREFIX):] for c in span["classes"] if c.startswith(KEY_CLASS_PREFIX)]
        if len(keys) != 1:
            warn(Warn.CITATION_SPAN, "a citation span needs exactly one bibkey- class, not %r", keys,
                 location=span)
            continue
        key = keys[0]
        if key not in known:
            warn(Warn.CITATION_KEY, "citation key %r is not in the bibliography", key, location=span)
            continue
        if bibdoc not in env.all_docs:
            warn(Warn.BIBLIOGRAPHY_DOC, "bibliography document %r not found", bibdoc, location=span)
            continue
        child = nodes.inline("", "", *span.children)
        ref = make_refnode(app.builder, docname, bibdoc, citation_id(key, template), child,
                           title=words(env)("bibliography-link", key=key))
        ref["classes"].append("bibcite-link")
        span.replace_self(ref)
