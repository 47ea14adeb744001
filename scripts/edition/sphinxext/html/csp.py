"""Content-Security-Policy of the hosted HTML: pages may load only the site's
own files.

The policy goes into every page as a ``<meta http-equiv>`` (a static site has
no server headers of its own). Scripts: the site's files, plus, by hash, the
one inline script the theme writes (it shows the search box when JavaScript
runs); ``file:`` so that the edition also works opened from disk. Styles
allow inline ``style`` attributes, which the theme uses; nothing else is
inline. tests/test_safe_html.py checks that every inline script of every
built page is covered by the policy.
"""

from __future__ import annotations

import base64
import hashlib
import html

from sphinx.application import Sphinx

# The inline scripts the theme writes, verbatim.
INLINE_SCRIPTS = (
    "document.getElementById('searchbox').style.display = \"block\"",
)


def script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy() -> str:
    hashes = " ".join(script_hash(s) for s in INLINE_SCRIPTS)
    return ("default-src 'self' file:; "
            f"script-src 'self' file: {hashes}; "
            "style-src 'self' file: 'unsafe-inline'; "
            "img-src 'self' file: data:; font-src 'self' file:; "
            "connect-src 'self' file:; object-src 'none'; base-uri 'none'; form-action 'self'")


def add_policy(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name != "html":
        return
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy(), quote=True)}" />\n'
    context["metatags"] = meta + context.get("metatags", "")
