"""The book's faces: the font files and what they can print (:mod:`.faces`),
every input character checked against them before a build
(:mod:`.glyphs`), and a face cut to the characters a book uses
(:mod:`.subset`)."""
