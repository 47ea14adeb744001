"""Render: seed text escaped so that it can never become markup
(:mod:`.escape`), each text's chapter in MyST (:mod:`.myst`), the generated
front and back matter (:mod:`.pages`), and all of it prepared from the
inputs, checked, and written only when it changed (:mod:`.chapters`)."""
