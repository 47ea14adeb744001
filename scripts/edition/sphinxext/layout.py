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

Two more cut work that does not grow with the book but was done again and
again: pages with page references were laid out three times
(:func:`settles_page_references`, which also keeps the notes a page sends on
to the next across partial remakes), and each note once per note added after
it on its page (:func:`lays_each_note_out_once`).

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
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any


def _source(function: Any) -> str | None:
    """The function's source, None where it is not installed (a WeasyPrint
    without its ``.py`` files: then nothing is changed)."""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return None


def _source_is(function: Any, sha256: str) -> bool:
    source = _source(function)
    return source is not None and hashlib.sha256(source.encode()).hexdigest() == sha256


def rewrite_function(module: ModuleType, name: str, replacements: list[tuple[str, str]],
                     owner: type | None = None) -> bool:
    """Define ``module.name`` (or the method ``owner.name`` of a class in
    ``module``) again from its own source with each ``old`` text replaced by
    ``new`` (each must occur exactly once, else nothing is changed). Callers
    look it up by name at each call, so they get the new one; tracebacks keep
    the module's file and line numbers. Returns whether the rewritten
    function is in place. A function is rewritten once: all the changes to
    one function go in one call."""
    function = getattr(owner or module, name)
    if getattr(function, "edition_patched", False):
        return True
    source = _source(function)
    if source is None or any(source.count(old) != 1 for old, _ in replacements):
        return False
    for old, new in replacements:
        source = source.replace(old, new)
    source = textwrap.dedent(source)
    first_line = inspect.getsourcelines(function)[1]
    defined: dict[str, Any] = {}
    exec(compile("\n" * (first_line - 1) + source, module.__file__, "exec"), vars(module), defined)
    defined[name].edition_patched = True
    setattr(owner or module, name, defined[name])
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


# Page references settled in one remake (:func:`settles_page_references`).
# ``compute_content_list`` records what a ``content`` misses: the counters
# of its own page in ``missing_counters``, those of its targets by anchor in
# ``missing_target_counters``. In WeasyPrint 70 the second is keyed by the
# anchor of an unresolved ``attr(href)`` token, None, so that no target's
# placing ever reaches its references; and a ``target-counter()`` rebinds
# the name ``missing_counters`` to its target's list (a shadowed variable),
# so that every page reference seems to show its own page's ``page``
# counter. References came right only because that counter "changed" when
# the total ``pages`` went from 0 to the count after the first pass: a second
# pass parsed them again after laying their pages out, a third laid them out
# with their numbers.
def _resolved_anchor(anchor_token: Any, source_box: Any) -> Any:
    """The token of a reference's anchor, its ``attr()`` resolved as
    ``TargetCollector.lookup_target`` resolves it."""
    if anchor_token[0] == "attr()":
        from weasyprint.urls import get_url_tuple

        attr_name, type_, fallback = anchor_token[1]
        value = source_box.element.get(attr_name, fallback)
        if type_ == "string":
            return ("string", value)
        if type_ == "url":
            return ("url", get_url_tuple(value, source_box.style.base_url))
    return anchor_token


_OWN_MISSING_COUNTERS = [
    ("""                anchor_name = targets.anchor_name_from_token(anchor_token)
""", """                anchor_name = targets.anchor_name_from_token(
                    _edition_resolved_anchor(anchor_token, parent_box))
"""),
    ("""                missing_counters = missing_target_counters.setdefault(
                    anchor_name, [])
                if counter_name not in missing_counters:
                    missing_counters.append(counter_name)
""", """                target_missing = missing_target_counters.setdefault(
                    anchor_name, [])
                if counter_name not in target_missing:
                    target_missing.append(counter_name)
"""),
]

# ``cache_target_page_counters``: a target's page counters changed.
# References already placed are parsed again, and their page made again, only
# if a counter they show changed (not for every change: the first pass's
# ``pages`` of 0 made every page with a reference to an anchor on a page made
# again be made a third time). A reference not placed yet, which shows no
# counter of its own page, is parsed again now, so that its page is laid out
# with its number (WeasyPrint parsed it only after laying its page out, and
# made that page again: every page of a register).
_TARGET_CHANGES = [
    ("""            if item.cached_page_counter_values != page_counter_values:
                item.cached_page_counter_values""",
     """            if item.cached_page_counter_values != page_counter_values:
                previous = item.cached_page_counter_values
                item.cached_page_counter_values"""),
    ("""                        item.pending = True
                        continue""",
     """                        item.pending = True
                        if not item.missing_counters:
                            item.parse_again(item.cached_page_counter_values)
                            item.edition_parsed_in = getattr(self, 'edition_making', None)
                        continue"""),
    ("""                        if counter_value is not None:""",
     """                        if (counter_value is not None and
                                counter_value != previous.get(counter_name)):"""),
]

# ``make_page``: the page being made is known to the collector; a pending
# reference parsed again while an earlier page was made is up to date on
# this one, so its page needs no remake.
_PARSED_BEFORE_LAYOUT = [
    ("""    for child in page.descendants(placeholders=True):
        # Cache target's page counters""",
     """    making = target_collector.edition_making = object()
    for child in page.descendants(placeholders=True):
        # Cache target's page counters"""),
    ("""                counter_lookup.pending = False
                call_parse_again = True""",
     """                counter_lookup.pending = False
                call_parse_again = bool(
                    counter_lookup.missing_counters or
                    getattr(counter_lookup, 'edition_parsed_in', making) is making)"""),
]


# ``make_all_pages``: a pass after the first makes again only the pages that
# changed, and takes the others as they were. The notes a page sends on to
# the next (reported: they did not fit at its foot) are not part of what
# WeasyPrint keeps of a page: a page taken as it was passed on the notes
# that the page made before it had just sent, and a page made again after it
# set them a second time; a page that now sent other notes did not have its
# next page made again. These notes are kept for every page, given on from a
# page taken as it was, and a change in them makes the next page again. (The
# fewer pages :func:`settles_page_references` makes again, the more often
# this arises.)
_NOTES_SENT_ON = [
    ("""            page, resume_at = remake_page(i, context, root_box, html)
            reported_footnotes = context.reported_footnotes
""", """            page, resume_at = remake_page(i, context, root_box, html)
            reported_footnotes = context.reported_footnotes
            _edition_notes_sent_on(context, i, resume_at)
"""),
    ("""            resume_at = context.page_maker[i + 1][0]
            reported_footnotes = None
""", """            resume_at = context.page_maker[i + 1][0]
            reported_footnotes = context.reported_footnotes = list(
                context.edition_notes_sent_on.get(i, ()))
"""),
]


def _notes_sent_on(context: Any, index: int, resume_at: Any) -> None:
    """After page ``index`` was made: keep the notes it sends on; if they
    are not those it sent when last made, the next page is made again."""
    kept = context.__dict__.setdefault("edition_notes_sent_on", {})
    now = list(context.reported_footnotes)
    before = kept.get(index)
    kept[index] = now
    if before is not None and before != now and (resume_at is not None or now):
        context.page_maker[index + 1][-1]["content_changed"] = True


def looks_anchors_up_in_sets() -> bool:
    """``make_page`` rewritten: :data:`_ANCHOR_SETS`, and
    :data:`_PARSED_BEFORE_LAYOUT` (which only acts on what the other parts
    of :func:`settles_page_references` mark)."""
    import weasyprint.layout.page as page

    return rewrite_function(page, "make_page", _ANCHOR_SETS + _PARSED_BEFORE_LAYOUT)


def settles_page_references() -> bool:
    """Page references (``target-counter()``) settled with fewer remakes:
    a page that refers forward is made again once the targets are placed, as
    before, but a page that refers back (an index) is laid out once, with its
    numbers, and no page is made a third time because the total of pages
    became known (:data:`_OWN_MISSING_COUNTERS`, :data:`_TARGET_CHANGES`,
    with ``make_page``'s part). This book's 16 pages with page references
    were made three times each; now 7 are made twice. Each part alone keeps
    WeasyPrint's behaviour: without the others it changes nothing."""
    import weasyprint.formatting_structure.build as build
    import weasyprint.layout as layout
    import weasyprint.layout.page as page
    from weasyprint.css import targets

    # The pages' notes sent on first, so that no pass makes fewer pages
    # again without them.
    page._edition_notes_sent_on = _notes_sent_on
    if not rewrite_function(page, "make_all_pages", _NOTES_SENT_ON):
        return False
    layout.make_all_pages = page.make_all_pages   # imported by name there
    build._edition_resolved_anchor = _resolved_anchor
    return (rewrite_function(build, "compute_content_list", _OWN_MISSING_COUNTERS)
            and rewrite_function(targets, "cache_target_page_counters", _TARGET_CHANGES,
                                 owner=targets.TargetCollector)
            and looks_anchors_up_in_sets())


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


# The source, as WeasyPrint 70.0 has it, of the layout function that
# :func:`lays_each_note_out_once` stands in for (its arguments, and what its
# result depends on).
_BLOCK_LEVEL_LAYOUT_SHA256 = "c1301dde9284e24519ee0432b508d6cd79768018d2564d4066f0fdf103982dd6"


def _page_additions(context: Any, absolute_boxes: Any, fixed_boxes: Any) -> tuple:
    """How much a layout has added to its page beside its own boxes:
    positioned boxes, floats, notes, running elements."""
    return (len(absolute_boxes or ()), len(fixed_boxes or ()), len(context.excluded_shapes),
            len(context.footnotes), len(context.current_page_footnotes),
            sum(len(boxes) for pages in context.running_elements.values() for boxes in pages.values()))


def lays_each_note_out_once() -> bool:
    """Each note laid out once, not again for every note added after it on
    its page.

    Every time a line brings a note to its page, WeasyPrint lays the page's
    whole note area out again, to learn its height, and once more when the
    page is done: the first note of a page is laid out one time more than
    the page has notes (this edition: 560 note layouts for 108 notes, a sixth
    of the pages' layout). Now a note that was laid out in a note area with
    the same inputs — its element, the area's width and height, where the
    page stands, the margins it collapses with — is given as a copy of that
    layout moved to its new place: the layout of a block in a note area,
    where nothing overflows to another page, does not depend on where it
    stands. Not for a note whose text waits for page numbers (a page
    reference or counter in it: its text changes between layouts), nor one
    whose layout adds to the page beyond its boxes (positioned boxes,
    floats, running elements, notes), nor beside floats, nor when resuming a
    note cut by a page: those are laid out as before."""
    import math

    import weasyprint.layout.block as block
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    original = block.block_level_layout
    if getattr(original, "edition_patched", False):
        return True
    if not _source_is(original, _BLOCK_LEVEL_LAYOUT_SHA256):
        return False

    def block_level_layout(context: Any, box: Any, bottom_space: Any, skip_stack: Any,
                           containing_block: Any, page_is_empty: bool = True,
                           absolute_boxes: Any = None, fixed_boxes: Any = None,
                           adjoining_margins: Any = None, first_letter_style: Any = None,
                           first_line_style: Any = None, discard: bool = False,
                           max_lines: Any = None) -> Any:
        arguments = (context, box, bottom_space, skip_stack, containing_block, page_is_empty,
                     absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style,
                     first_line_style, discard, max_lines)
        if not (isinstance(containing_block, FootnoteAreaBox)
                and skip_stack is None and bottom_space == -math.inf
                and first_letter_style is None and first_line_style is None
                and box.element is not None and not context.excluded_shapes):
            return original(*arguments)
        # A note whose text waits for page numbers (a page reference, a page
        # counter) changes between its layouts: laid out each time.
        waits = context.__dict__.setdefault("edition_notes_with_page_numbers", {})
        if box.element not in waits:
            waits[box.element] = any(getattr(descendant, "missing_link", None) is not None
                                     for descendant in box.descendants())
        if waits[box.element]:
            return original(*arguments)
        key = (box.element, box.element_tag, type(box), box.position_x,
               containing_block.width, containing_block.height, bool(page_is_empty),
               context.current_page > 1, bool(context.forced_break),
               tuple(adjoining_margins or ()), discard, max_lines)
        known = context.__dict__.setdefault("edition_note_layouts", {})
        if key in known:
            position_y, laid_out, rest, box_changes, margins_after = known[key]
            dy = box.position_y - position_y
            # What the layout changed in its arguments, changed alike.
            box.__dict__.update(box_changes)
            if "position_y" in box_changes:
                box.position_y += dy
            if adjoining_margins is not None:
                adjoining_margins[:] = margins_after
            new_box = laid_out.deepcopy()
            new_box.translate(dy=dy)
            resume_at, next_page, margins, collapsing_through, lines = rest
            return (new_box, resume_at, dict(next_page), list(margins),
                    collapsing_through, lines)
        state = _page_additions(context, absolute_boxes, fixed_boxes)
        before = dict(box.__dict__)
        position_y = box.position_y
        result = original(*arguments)
        new_box, resume_at, next_page, margins, collapsing_through, lines = result
        if (new_box is not None and resume_at is None and isinstance(next_page, dict)
                and _page_additions(context, absolute_boxes, fixed_boxes) == state):
            box_changes = {name: value for name, value in box.__dict__.items()
                           if name not in before or before[name] is not value}
            known[key] = (position_y, new_box.deepcopy(),
                          (resume_at, dict(next_page), list(margins), collapsing_through, lines),
                          box_changes, list(adjoining_margins or ()))
        return result

    block_level_layout.edition_patched = True  # type: ignore[attr-defined]
    block.block_level_layout = block_level_layout
    return True


def linear_layout() -> dict[str, bool]:
    """Make the changes (once per process); says which are in place."""
    return {
        "note list": index_footnotes(),
        "page styles": styles_pages_by_their_rules(),
        "anchor sets": looks_anchors_up_in_sets(),
        "page references": settles_page_references(),
        "fixed boxes": skips_pages_without_fixed_boxes(),
        "note layouts": lays_each_note_out_once(),
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
