project = "A Small Book"
author = "An Editor"
language = "en"
extensions = ["myst_parser", "edition.sphinxext"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["attrs_inline"]
smartquotes = False
html_theme = "edition"
edition_texts = {"sample": {"slug": "sample", "title": "A Sample", "author": "Ann Author",
                            "date": "1953-10-03", "publication": "A Journal, 1953",
                            "source": "a copy", "rights": "none", "received_as": "sample.txt",
                            "sha256": "ab" * 32, "short": "Author"}}
edition_pdf_basename = "small-book"
edition_pdf_metadata = {"title": "A Small Book", "author": "Ann Author"}
epub_basename = "small-book"
epub_identifier = "urn:uuid:00000000-0000-4000-8000-000000000000"
epub_cover = ()
edition_epub_embed_font = False
html_title = project
copyright = "2026, An Editor"
version = release = "1.0"
