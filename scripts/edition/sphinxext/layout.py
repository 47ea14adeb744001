"""WeasyPrint's page layout, made linear in the length of the book.

The PDF stage hands WeasyPrint 70 one print HTML of the whole book. Four
places in its layout cost, on every page or every line, time proportional to
the book set so far, so the cost per page grew with the book (found by
comparing cProfile runs of the benchmark's 30- and 100-text corpora, the
garbage collector off so that its pauses are not charged to whatever
allocated):

- every box of every line asks whether its note is in the list of notes still
  to place, a scan of that list (:class:`_FootnoteList`);
- to style its margin boxes, every page walks the cascaded styles of every
  page before it, each page being a style key of its own
  (:func:`_set_page_type_computed_styles`);
- every page gathers the anchors of all earlier pages into a list and looks
  each of its own anchors up in it, a scan of the list
  (:data:`_ANCHOR_SETS`: sets; gathering them from the earlier pages remains,
  a union in C that no longer shows in the profile);
- after the layout, every page asks every other page for its fixed boxes
  (:func:`skips_pages_without_fixed_boxes`: the pages without any are left
  out by a filter in C).

Each change keeps WeasyPrint's results (the same boxes in the same order,
the same pages; a test compares every box of every page of a small book with
and without them) and is applied once per process by :func:`linear_layout`,
only if the WeasyPrint code it replaces or relies on is the code it was
written against (its source's SHA-256, or the exact lines it rewrites): with
another release a change is not made, and the layout is only slower.
"""

from __future__ import annotations

import gc
import hashlib
import inspect
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any


def _source_is(function: Any, sha256: str) -> bool:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest() == sha256


def rewrite_function(module: ModuleType, name: str, replacements: list[tuple[str, str]]) -> bool:
    """Define ``module.name`` again from its own source with each ``old`` text
    replaced by ``new`` (each must occur exactly once, else nothing is
    changed). Callers in the module look it up by name at each call, so they
    get the new one; tracebacks keep the module's file and line numbers.
    Returns whether the rewritten function is in place."""
    function = getattr(module, name)
    if getattr(function, "edition_patched", False):
        return True
    source = inspect.getsource(function)
    if any(source.count(old) != 1 for old, _ in replacements):
        return False
    for old, new in replacements:
        source = source.replace(old, new)
    first_line = inspect.getsourcelines(function)[1]
    exec(compile("\n" * (first_line - 1) + source, module.__file__, "exec"), vars(module))
    getattr(module, name).edition_patched = True
    return True


class _FootnoteList(list):
    """WeasyPrint's list of the notes still to be placed, with membership by
    identity in constant time. WeasyPrint 70 asks, for every box of every
    line, whether the box's note is in that list (``None in footnotes`` for
    almost all of them), which scans the whole list: a cost of lines × notes,
    quadratic in the length of the book (some 2 s at 100 texts). The order
    and every list operation WeasyPrint uses are kept."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self._ids: dict[int, int] = {}
        for item in self:
            self._added(item)

    def _added(self, item: Any) -> None:
        self._ids[id(item)] = self._ids.get(id(item), 0) + 1

    def _removed(self, item: Any) -> None:
        count = self._ids[id(item)] - 1
        if count:
            self._ids[id(item)] = count
        else:
            del self._ids[id(item)]

    def __contains__(self, item: Any) -> bool:
        return id(item) in self._ids

    def append(self, item: Any) -> None:
        super().append(item)
        self._added(item)

    def insert(self, index: Any, item: Any) -> None:
        super().insert(index, item)
        self._added(item)

    def extend(self, items: Any) -> None:
        for item in items:
            self.append(item)

    def remove(self, item: Any) -> None:
        for index, element in enumerate(self):   # by identity, as membership is
            if element is item:
                super().__delitem__(index)
                self._removed(item)
                return
        raise ValueError("list.remove(x): x not in list")

    def pop(self, index: Any = -1) -> Any:
        item = super().pop(index)
        self._removed(item)
        return item

    def clear(self) -> None:
        super().clear()
        self._ids.clear()

    def copy(self) -> "_FootnoteList":
        return _FootnoteList(self)

    def _unsupported(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("not supported on WeasyPrint's note list (see sphinxext/layout.py)")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = sort = reverse = _unsupported


def index_footnotes() -> bool:
    """Give every WeasyPrint layout a :class:`_FootnoteList` for its notes
    still to be placed (wrapping ``LayoutContext.__init__``, nothing
    rewritten); returns whether it is in place."""
    from weasyprint.layout import LayoutContext

    init = LayoutContext.__init__
    if getattr(init, "edition_patched", False):
        return True

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if type(self.footnotes) is list:
            self.footnotes = _FootnoteList(self.footnotes)

    __init__.edition_patched = True  # type: ignore[attr-defined]
    LayoutContext.__init__ = __init__
    return True


def _page_pseudo_types(style_for: Any) -> tuple[str, ...]:
    """The pseudo-elements (margin boxes, ``@footnote`` …) that the book's
    ``@page`` rules name, in the order the rules give them; read once per
    layout."""
    known = getattr(style_for, "_edition_page_pseudo_types", None)
    if known is None:
        known = tuple(dict.fromkeys(
            selector[1]
            for sheet, _origin, _specificity in style_for._sheets
            for _rule, selectors, _declarations in sheet.page_rules
            for selector in selectors if selector[1]))
        style_for._edition_page_pseudo_types = known
    return known


def _set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """WeasyPrint 70's ``set_page_type_computed_styles``, which finds the
    page's styled pseudo-elements by walking the cascaded styles of every
    page laid out before it; here only the pseudo-elements that ``@page``
    rules name are looked up. The styles set are the same: only
    ``add_page_declarations`` adds ``(page type, pseudo-element)`` entries,
    each from one of those rules."""
    style_for.add_page_declarations(page_type)
    # @page inherits from the root element.
    style_for.set_computed_styles(
        page_type, root=html.etree_element, parent=html.etree_element, base_url=html.base_url)
    cascaded = style_for.get_cascaded_styles()
    for pseudo_type in _page_pseudo_types(style_for):
        if (page_type, pseudo_type) in cascaded:
            # The pseudo-element inherits from the page.
            style_for.set_computed_styles(
                page_type, pseudo_type=pseudo_type, root=html.etree_element,
                parent=page_type, base_url=html.base_url)


# The sources, as WeasyPrint 70.0 has them, of the function replaced and of
# the one whose entries the replacement relies on: any other text may do more,
# and is left in place.
_PAGE_STYLES_SHA256 = "4e68b396b35c4a0640453f413be69acdc81a82b37e0f806fd00999c937a126bb"
_PAGE_DECLARATIONS_SHA256 = "78e388ade2325011754b44f2aedbff51b93a0789adb53fb70efb57fc46244f18"
_FIXED_BOXES_SHA256 = "5c62b9c0838af971067953b7c6b2d32c1556d2f020f57ff867738064534d7b33"


def styles_pages_by_their_rules() -> bool:
    """Put :func:`_set_page_type_computed_styles` in the place of
    WeasyPrint's own, if that is the code it was written against."""
    import weasyprint.layout.page as page
    from weasyprint.css import StyleFor

    if getattr(page.set_page_type_computed_styles, "edition_patched", False):
        return True
    if not (_source_is(page.set_page_type_computed_styles, _PAGE_STYLES_SHA256)
            and _source_is(StyleFor.add_page_declarations, _PAGE_DECLARATIONS_SHA256)):
        return False
    _set_page_type_computed_styles.edition_patched = True  # type: ignore[attr-defined]
    page.set_page_type_computed_styles = _set_page_type_computed_styles
    return True


# make_page's anchors and counter lookups already seen on earlier pages: sets
# instead of lists (membership only is asked of them).
_ANCHOR_SETS = [
    ("    cached_anchors = []\n    cached_lookups = []\n",
     "    cached_anchors = set()\n    cached_lookups = set()\n"),
    ("cached_anchors.extend(x_remake_state.get('anchors', []))",
     "cached_anchors.update(x_remake_state.get('anchors', ()))"),
    ("cached_lookups.extend(x_remake_state.get('content_lookups', []))",
     "cached_lookups.update(x_remake_state.get('content_lookups', ()))"),
    ("cached_anchors.append(anchor)", "cached_anchors.add(anchor)"),
    ("cached_lookups.append(counter_lookup_id)", "cached_lookups.add(counter_lookup_id)"),
]


def looks_anchors_up_in_sets() -> bool:
    import weasyprint.layout.page as page

    return rewrite_function(page, "make_page", _ANCHOR_SETS)


_has_fixed_boxes = operator.attrgetter("fixed_boxes")


def skips_pages_without_fixed_boxes() -> bool:
    """``layout_document`` asks, for every page, every other page for its
    fixed boxes (``position: fixed``, repeated on each page); the pages
    without any (all of this book's) are left out before WeasyPrint's own
    loop, at C speed. The boxes laid out, and their order, are the same."""
    import weasyprint.layout as layout

    original = layout.layout_fixed_boxes
    if getattr(original, "edition_patched", False):
        return True
    if not _source_is(original, _FIXED_BOXES_SHA256):
        return False

    def _layout_fixed_boxes(context: Any, pages: Any, containing_page: Any) -> Any:
        return original(context, list(filter(_has_fixed_boxes, pages)), containing_page)

    _layout_fixed_boxes.edition_patched = True  # type: ignore[attr-defined]
    layout.layout_fixed_boxes = _layout_fixed_boxes
    return True


def linear_layout() -> dict[str, bool]:
    """Make the four changes (once per process); says which are in place."""
    return {
        "note list": index_footnotes(),
        "page styles": styles_pages_by_their_rules(),
        "anchor sets": looks_anchors_up_in_sets(),
        "fixed boxes": skips_pages_without_fixed_boxes(),
    }


# Collect the young generation every 10,000 net allocations instead of 700,
# and the whole heap after 20 × 20 of those instead of 10 × 10.
LAYOUT_GC_THRESHOLDS = (10_000, 20, 20)


@contextmanager
def paced_collector() -> Iterator[None]:
    """Run the garbage collector less often while WeasyPrint lays out and
    writes the book. Its layout allocates millions of boxes that live until
    the PDF is written; at CPython's default pace they soon reach the oldest
    generation, and each full collection walks all of them: 11 collections,
    1.7–2 s of a 17–21 s layout of the benchmark's 30 texts. At this pace
    there were none, for 2–6 MiB more peak memory (WeasyPrint leaves little
    cyclic garbage). The previous pace is restored afterwards."""
    previous = gc.get_threshold()
    gc.set_threshold(*LAYOUT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
