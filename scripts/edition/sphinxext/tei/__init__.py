"""The TEI P5 export: the edition as data (:mod:`.builder`, :mod:`.header`, :mod:`.writer`)."""
