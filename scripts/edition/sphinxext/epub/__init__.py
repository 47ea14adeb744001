"""The EPUB edition: the builder (:mod:`.builder`), its markup
(:mod:`.translator`), its drawn cover (:mod:`.cover`), the package and
navigation templates (``templates/``) and the theme of its pages
(``theme/``)."""
