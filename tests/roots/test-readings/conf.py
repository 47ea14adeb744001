extensions = ["myst_parser", "edition.sphinxext"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["attrs_inline"]
