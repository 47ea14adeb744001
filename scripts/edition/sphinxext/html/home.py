"""The site's home page: each text with its author, its date and a sentence
(the catalogue's ``summary``) and a link to its source as received, in
place of the list of its title alone, the PDF, the EPUB and the TEI to
download (:mod:`.downloads`), and how to cite the edition. The texts'
toctree stays, hidden, for the sidebar and the previous and next links."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ...clock import build_moment
from ..config import edition_config, words
from .downloads import download_uri, offered, seed_path, source_uri
from .translator import page_url, text_entry


def describe_texts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: on the HTML root page only."""
    if app.builder.name != "html" or docname != app.config.root_doc:
        return
    say = words(app.env)
    listed = False
    for toctree in list(doctree.findall(addnodes.toctree)):
        texts = [(ref, text_entry(app.env, ref)) for _, ref in toctree["entries"]]
        if not texts or not all(entry for _, entry in texts):
            continue
        toctree["hidden"] = True
        listing = nodes.container(classes=["home-texts"])
        if toctree.get("caption"):
            listing += nodes.paragraph(toctree["caption"], toctree["caption"], classes=["caption"])
        for ref, entry in texts:
            link = nodes.reference("", "", internal=True, refuri=app.builder.get_relative_uri(docname, ref))
            link += [child.deepcopy() for child in app.env.titles[ref].children]
            author = entry.author if entry.has_author else say("headnote.author-unknown")
            item = nodes.paragraph("", "", classes=["home-text"])
            item += [nodes.strong("", "", link), nodes.Text(f" — {author}, {entry.date_display or entry.date}")]
            listing += item
            summary = nodes.paragraph("", entry.summary, classes=["home-summary"])
            if seed_path(app, entry.seed_name) is not None:
                summary += [nodes.Text(" " if entry.summary else ""),
                            nodes.reference("", f"({say('home.source')})", refuri=source_uri(entry.seed_name),
                                            classes=["download", "download-source"])]
            if len(summary):
                listing += summary
        wrapper = toctree.parent
        wrapper.parent.insert(wrapper.parent.index(wrapper) + 1, listing)
        listed = True
    page = doctree.next_node(nodes.section)
    if listed and page is not None:    # an edition's home page: its downloads and how to cite it, at its end
        offered = _downloads(app)
        if offered is not None:
            page += offered
        page += _how_to_cite(app)


def _downloads(app: Sphinx) -> nodes.paragraph | None:
    """The PDF, the EPUB and the TEI built with the site, in its downloads
    folder (:mod:`edition.build.downloads` puts them there); none for a
    site built alone."""
    editions = offered(app)
    if not editions:
        return None
    say = words(app.env)
    paragraph = nodes.paragraph("", "", classes=["home-downloads"])
    paragraph += nodes.strong(say("home.download"), say("home.download"))
    for index, (fmt, name) in enumerate(editions):
        paragraph += nodes.Text(" " if index == 0 else " · ")
        paragraph += nodes.reference("", say(f"home.{fmt}"), refuri=download_uri(name),
                                     classes=["download", f"download-{fmt}"])
    return paragraph


def _how_to_cite(app: Sphinx) -> nodes.paragraph:
    """The edition as a whole, cited as Chicago has an edited book."""
    config = edition_config(app.env)
    title = config.pdf_metadata.get("title") or app.config.project
    editor = config.editor or app.config.author
    editor = editor[4:] if editor.lower().startswith("the ") else editor
    say = words(app.env)
    cite = nodes.paragraph("", "", classes=["home-cite"])
    cite += nodes.strong(say("home.cite"), say("home.cite"))
    cite += nodes.Text(f" {editor}, {say('home.editor')} ")
    cite += nodes.emphasis(title, title)
    cite += nodes.Text(f". {build_moment().year}.")
    if app.config.html_baseurl:
        url = page_url(app.config, app.config.root_doc).removesuffix("index.html")
        cite += [nodes.Text(" "), nodes.reference(url, url, refuri=url)]
    return cite
