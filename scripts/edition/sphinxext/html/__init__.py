"""The hosted HTML edition: notes beside their paragraphs, citable
paragraphs, citation metadata, a Content-Security-Policy, no stale pages.

- :mod:`.translator`: the ``html`` builder's markup (notes after the block
  that calls them, a "Cite" box under each numbered paragraph);
- :mod:`.metadata`: ``citation_*`` tags for reference managers;
- :mod:`.csp`: the policy every page carries;
- :mod:`.cleanup`: pages whose source has gone are removed;
- ``theme/``: the ``edition`` theme, alabaster with landmarks, heading
  levels and labels that pass axe-core, and no request outside the site.
"""

from pathlib import Path

THEME = Path(__file__).parent / "theme"
