"""The hosted HTML's Content-Security-Policy: on every page, covering every
inline script the page has (by hash), and loading only the site's files."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from edition.sphinxext.html.csp import script_hash


def test_every_page_has_a_policy_that_covers_its_inline_scripts(edition):
    pages = sorted((edition.build_dir / "html").rglob("*.html"))
    assert pages
    for page in pages:
        soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, page
        policy = meta["content"]
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy
        script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
        assert "'unsafe-inline'" not in script_src and not any(s.startswith("http") for s in script_src)
        for script in soup.find_all("script", src=False):
            assert script_hash(script.string or "") in script_src, (page, script.string)
