"""Sources: the catalogue (:mod:`.catalog`), the seed texts read and verified
(:mod:`.seeds`), and each seed's plain text turned into a lossless document
of blocks (:mod:`.structure`)."""
