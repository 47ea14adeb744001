extensions = ["myst_parser", "edition.sphinxext"]
exclude_patterns = ["_build"]
edition_pdf_paper = "b5"
