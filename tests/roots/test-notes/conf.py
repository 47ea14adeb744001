extensions = ["myst_parser", "edition.sphinxext"]
exclude_patterns = ["_build"]
smartquotes = False
