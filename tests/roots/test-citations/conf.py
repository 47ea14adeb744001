extensions = ["myst_parser", "sphinxcontrib.bibtex", "edition.sphinxext"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["attrs_inline"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "chicago_author_date"
bibtex_reference_style = "chicago_author_date"
bibtex_cite_id = "cite-{key}"
