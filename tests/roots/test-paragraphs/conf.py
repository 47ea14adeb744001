extensions = ["myst_parser", "edition.sphinxext"]
exclude_patterns = ["_build"]
nitpicky = True
edition_texts = {"sample": {"slug": "sample", "title": "A Sample", "author": "Ann Author",
                            "date": "1953-10-03", "publication": "A Journal, 1953",
                            "source": "a copy", "rights": "none", "received_as": "sample.txt",
                            "sha256": "0" * 64, "short": "Author"}}
