extensions = ["myst_parser", "sphinxcontrib.bibtex", "edition.sphinxext"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["attrs_inline"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
bibtex_cite_id = "cite-{key}"
