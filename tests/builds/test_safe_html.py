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

import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

EXTERNAL_RE = re.compile(r"^\s*(?:(?:https?|ftps?):)?//", re.I)
CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
CSS_IMPORT_RE = re.compile(r"""@import\s+(['"])(.*?)\1""", re.I)
REFRESH_URL_RE = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)
# Attributes whose URL the browser fetches when the page loads (or, for
# <base>, against which it resolves every relative one).
LOADING = {
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "frame": ("src",), "embed": ("src",), "object": ("data",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
    "image": ("href", "xlink:href"), "use": ("href", "xlink:href"), "base": ("href",),
    "feimage": ("href", "xlink:href"),
}


def css_urls(css: str) -> list[str]:
    return [m.group(2) for m in CSS_URL_RE.finditer(css)] + [m.group(2) for m in CSS_IMPORT_RE.finditer(css)]


def external_loads(markup: str | bytes) -> list[str]:
    """Every external URL a page would load, as ``tag attribute: url``."""
    soup = BeautifulSoup(markup, "lxml")
    found: list[str] = []
    for tag in soup.find_all(True):
        name = tag.name.lower()
        for attr in LOADING.get(name, ()):
            value = tag.get(attr)
            if not value:
                continue
            urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] \
                if attr == "srcset" else [value]
            found += [f"<{name} {attr}>: {u}" for u in urls if EXTERNAL_RE.match(u)]
        if tag.get("style"):
            found += [f"<{name} style>: {u}" for u in css_urls(tag["style"]) if EXTERNAL_RE.match(u)]
        if name == "style":
            found += [f"<style>: {u}" for u in css_urls(tag.get_text()) if EXTERNAL_RE.match(u)]
        if name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            found += [f"<meta refresh>: {u}" for u in REFRESH_URL_RE.findall(tag.get("content", ""))
                      if EXTERNAL_RE.match(u)]
    return found


def site_files(folder: Path):
    """(name, text) of every page and stylesheet of a built HTML site."""
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".html", ".xhtml", ".css"):
            yield str(path.relative_to(folder)), path.read_text("utf-8")


def epub_files(epub: Path):
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith((".html", ".xhtml", ".css")):
                yield name, z.read(name).decode("utf-8")


def scan(files) -> tuple[int, list[str]]:
    count, found = 0, []
    for name, text in files:
        count += 1
        loads = ([u for u in css_urls(text) if EXTERNAL_RE.match(u)] if name.endswith(".css")
                 else external_loads(text))
        found += [f"{name}: {load}" for load in loads]
    return count, found


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
