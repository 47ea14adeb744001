"""Tooling for developers, not part of a build: the benchmark
(:mod:`.bench`, ``scripts/bench``), its synthetic corpus (:mod:`.corpus`)
and the like-for-like Pandoc baseline it measures against
(:mod:`.baseline`)."""
