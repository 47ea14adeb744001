"""The editor's layer: the standoff apparatus of each text (:mod:`.entries`),
the registers of persons and terms (:mod:`.registers`), the chronology
(:mod:`.chronology`) and the shared bibliography (:mod:`.bibliography`)."""
