"""What a built page or stylesheet makes a reader's browser fetch: the
scanner the safety tests share (tests/builds/test_safe_html.py,
test_hostile_inputs.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup

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
