"""The PDF edition: the builder (:mod:`.builder`), its markup
(:mod:`.translator`), the rendering by WeasyPrint (:mod:`.render`) and the
print stylesheet (``print.css``)."""
