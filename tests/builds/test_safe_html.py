"""Safe HTML: the built pages load nothing from outside the site.

Every page of the HTML edition and every page and stylesheet of the EPUB is
scanned for a reference that makes a reader's browser fetch something: the
``src``/``srcset``/``href``/``data``/``poster`` of scripts, stylesheets and
other links, images, media, frames, objects and SVG uses, ``url()`` and
``@import`` in stylesheets, ``<style>`` elements and ``style`` attributes
(fonts come in through ``@font-face`` ``src: url()``), a ``<base href>`` and a
refresh in ``<meta http-equiv>``.  A reference is external when it goes to
the network: ``http(s)://…`` (or ``ftp(s)://…``) or protocol-relative
``//host/…``.  ``data:`` URIs are part of the page; ``file:`` (the print
HTML's fonts) and ``res:`` (a reading system's own fonts, which Sphinx's EPUB
stylesheet names) never leave the machine.  Links a reader follows
(``<a href>`` to the works in the bibliography, for instance) are not loads:
nothing is fetched until the reader clicks, and then the reader leaves the
site knowingly — they are allowed.  The print HTML from which WeasyPrint sets
the PDF is scanned too, since WeasyPrint would fetch at build time what it
references (its fonts are local files).
"""

from __future__ import annotations

import pytest

from loads import epub_files, external_loads, scan, site_files

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")


def test_scanner_finds_every_kind_of_external_load():
    page = """<html><head><base href="https://cdn.example/">
      <link rel="stylesheet" href="//cdn.example/a.css"><script src="https://cdn.example/a.js"></script>
      <style>@import "https://cdn.example/b.css"; @font-face { src: url('https://cdn.example/f.woff2') }</style>
      <meta http-equiv="refresh" content="0; url=https://elsewhere.example/"></head>
      <body><img src="http://cdn.example/i.png"><img srcset="a.png 1x, https://cdn.example/i2.png 2x">
      <picture><source srcset="//cdn.example/i.webp"></picture><iframe src="https://x.example"></iframe>
      <object data="https://x.example/o"></object><video poster="https://x.example/p.jpg"></video>
      <svg><use href="https://x.example/s.svg#i"/><image xlink:href="https://x.example/s.png"/></svg>
      <p style="background: url(https://x.example/bg.png)">x</p>
      <a href="https://example.org/">a link a reader may follow</a>
      <img src="data:image/png;base64,AAAA"><img src="../_static/local.png"><script src="_static/x.js"></script>
      </body></html>"""
    found = external_loads(page)
    assert len(found) == 15, found
    assert not any("example.org" in f or "data:" in f or "_static" in f for f in found)


@pytest.mark.docbuild
def test_the_html_edition_loads_nothing_from_outside(edition):
    count, found = scan(site_files(edition.build_dir / "html"))
    assert count > 10 and found == []
    print(f"\nHTML: {count} pages and stylesheets scanned, no external load")


@pytest.mark.docbuild
def test_the_epub_loads_nothing_from_outside(edition):
    (epub,) = (edition.build_dir / "epub").glob("*.epub")
    count, found = scan(epub_files(epub))
    assert count > 10 and found == []


@pytest.mark.docbuild
def test_the_print_html_fetches_nothing_at_build_time(edition):
    (print_html,) = (edition.build_dir / "pdf").glob("*.html")
    assert external_loads(print_html.read_text("utf-8")) == []
