"""Changes to WeasyPrint 70's layout: notes kept with their calls, and a
layout whose cost per page does not grow with the book.

Each change names the WeasyPrint faults it works around; ``scripts/docs/
upstream.md`` lists them with what upstream change would let the change go.
Every change is written against WeasyPrint 70.0: its plan checks the SHA-256
of the whole source of every function it replaces or relies on, and any
other release runs the stock code (see :mod:`.guard`).

- :data:`NOTES_WITH_THEIR_CALLS` — a typesetting rule, not a speed-up:
  WeasyPrint moves the notes already set on a page to the next page to fit
  one more line of a paragraph whose widows and orphans forbid a break; the
  book's rule is the typesetter's, the note stays and the line moves. And
  WeasyPrint never breaks a note: one too long for the room its call's line
  leaves goes on with the line, and the page ends short; here it runs on to
  the next page's foot.
- :data:`PAGE_REFERENCES` — page references settled in one remake instead
  of three passes (three faults in how WeasyPrint tracks the counters a
  ``target-counter()`` waits for), and the notes a page sends on kept across
  partial remakes; with the anchors of earlier pages in sets.
- :data:`NOTES_LAID_OUT_ONCE` — each note laid out once, not once more for
  every note added after it on its page.
- :data:`PAGE_STYLES` — every page styled its margin boxes by walking the
  styles of every page before it (a cost per page that grows with the
  length of the book).
- :func:`numbers_to_the_outer_margin` — not a change to WeasyPrint's code:
  it moves paragraph numbers on laid-out recto pages to the outer margin,
  which CSS cannot select.

None of the speed-ups changes a box: the tests lay a small book out with
and without each and compare every box of every page, and the edition's PDF
is the same bytes either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .guard import (
    Assignment,
    Change,
    Unavailable,
    add,
    expect,
    look_up,
    replace,
    rewritten,
)

# The builder whose layout WeasyPrint makes.
PDF = ("pdf",)

# SHA-256 of the sources, as WeasyPrint 70.0 has them, of every function a
# change replaces or relies on.
SOURCES = {
    "layout.block._linebox_layout":
        "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d",
    "layout.block.block_level_layout":
        "c1301dde9284e24519ee0432b508d6cd79768018d2564d4066f0fdf103982dd6",
    "layout.block.block_container_layout":
        "65842ca53a8391ebad539e7ff642eec2f429e981df4396590c37c7b0a0e524dc",
    "layout.LayoutContext":
        "211f859ff4e2d663a49c6536de3718fdcbdee69830752a27ec6d44779012b933",
    "layout.page.make_page":
        "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
    "layout.page.make_all_pages":
        "b5e4034894841caa9581fa5d33338c71a7d8948be65618d358ab4b946f367edb",
    "layout.page.remake_page":
        "1ff09b2dffa17839c03aec1150866068066c43e76a5cace0ea298e68909c6d31",
    "layout.page.set_page_type_computed_styles":
        "4e68b396b35c4a0640453f413be69acdc81a82b37e0f806fd00999c937a126bb",
    "css.StyleFor.add_page_declarations":
        "78e388ade2325011754b44f2aedbff51b93a0789adb53fb70efb57fc46244f18",
    "css.targets.TargetCollector.cache_target_page_counters":
        "545eb30bb50f0e4921f6405ed31cfcc20bb92f32c85b549fe81507cbf27d6dee",
    "css.targets.TargetCollector.lookup_target":
        "cc606c47e1954d3bdacca44d231305cd486f3f79183e7eddda0a41dfd489fb31",
    "formatting_structure.boxes.FootnoteAreaBox":
        "44d2d15f921a53509f9efd5c94c26aa3597de64fbea065cbafe243e887721533",
    "formatting_structure.build.compute_content_list":
        "3a5674cabd84f48ae9247650a73ad3c0fe690c10a3b7fb0ff6209f8b4b0bf671",
}


def _code(path: str) -> Any:
    """The WeasyPrint function or class ``path`` names (under ``weasyprint.``),
    if its source is the one the changes were written against."""
    module, _, name = path.rpartition(".")
    parts = [name]
    while True:
        try:
            found = look_up(f"weasyprint.{module}", *parts)
            break
        except Unavailable:
            if "." not in module:
                raise
            module, _, owner = module.rpartition(".")
            parts.insert(0, owner)
    expect(found, SOURCES[path])
    return found


def _check(*paths: str) -> None:
    for path in paths:
        _code(path)


# -- Notes with their calls ---------------------------------------------------------------

# The condition under which _linebox_layout sends the page's notes on to fit a line.
_PUSHING_NOTES_OUT = "report = not context.in_column and can_break_now and not could_break_before"

# Where a note a line brings does not fit beside it, WeasyPrint sends the note
# on and moves the line (``footnote-policy: line``); first the note is given
# the page's foot and runs on (:func:`_note_runs_on`), below the line and as
# many more of the paragraph as its orphans keep on the page.
_NOTE_THAT_DOES_NOT_FIT = ("""                if overflow:
                    context.report_footnote(footnote)""", """                if overflow and _edition_note_runs_on(
                        context, footnote, bottom_space, new_position_y + offset_y + line.height
                        * max(0, box.style['orphans'] - len(new_children) - 1)):
                    overflow = False
                if overflow:
                    context.report_footnote(footnote)""")


@dataclass
class _NoteRoom:
    """The note area of the page being made, and the note cut at its foot."""

    area: Any                       # the page's FootnoteAreaBox (a new one per page)
    cut: Any = None                 # the note that runs on to the next page, if one does
    limit: float = math.inf         # how low its notes may reach, as laid out below the page's foot
    rest: Any = None                # where the area's last layout stopped (its skip stack)
    last: Any = None                # the last note as the area's last layout set it


def _room(context: Any) -> _NoteRoom:
    room = context.__dict__.get("edition_note_room")
    if room is None or room.area is not context.current_footnote_area:
        room = context.edition_note_room = _NoteRoom(context.current_footnote_area)
    # A note cut whose line has gone on after all (unlaid out, or sent on) goes whole with it.
    if room.cut is not None and room.cut not in context.current_page_footnotes:
        room.cut, room.limit = None, math.inf
    return room


def _runs_on(context: Any) -> dict:
    """Page number → (the note cut at that page's foot, where it resumes)."""
    return context.__dict__.setdefault("edition_notes_run_on", {})


def _resumed(context: Any) -> Any:
    """The note area's skip stack: a note run on from the page before (the
    first in the area) resumes where it was cut."""
    run_on = _runs_on(context).get(context.current_page - 1)
    notes = context.current_page_footnotes
    if run_on is not None and notes and notes[0] is run_on[0]:
        return {0: run_on[1]}
    return None


def _note_runs_on(context: Any, footnote: Any, bottom_space: float, line_bottom: float) -> bool:
    """The note a line brings does not fit beside it: the line stays, the
    note's first lines fill the page's foot, and the rest runs on to the
    foot of the next page, as a typesetter breaks a long note; at least two
    lines of it on each page (the note's orphans and widows), and only the
    last note of the page. False, with nothing changed, where the note
    cannot be broken so."""
    notes = context.current_page_footnotes
    room = _room(context)
    if (context.in_column or context.reported_footnotes or room.cut is not None
            or not notes or notes[-1] is not footnote):
        return False
    # The area is laid out from the page's foot down, then moved up by its
    # height: it may take what lies between the line and the foot.
    foot = context.current_footnote_area.position_y
    room.cut, room.limit = footnote, foot + (foot - bottom_space - line_bottom)
    context._update_footnote_area()
    index = len(notes) - 1
    lines = sum(type(box).__name__ == "LineBox" for box in room.last.descendants())
    if (not context.overflows_page(bottom_space, line_bottom)
            and (room.rest is None or (list(room.rest) == [index] and room.rest[index] is not None))
            and lines >= footnote.style["orphans"]):
        return True
    room.cut, room.limit = None, math.inf
    context._update_footnote_area()
    return False


def _plan_notes_with_their_calls(app: Any) -> list[Assignment]:
    block = look_up("weasyprint.layout.block")
    layout = look_up("weasyprint.layout")
    page = look_up("weasyprint.layout.page")
    build = look_up("weasyprint.formatting_structure.build")
    LayoutContext = _code("layout.LayoutContext")
    FootnoteAreaBox = _code("formatting_structure.boxes.FootnoteAreaBox")
    # make_page lays its note area out once more when the page is done, with
    # the block_level_layout it imported by name.
    _check("layout.page.make_page", "layout.block.block_container_layout")
    stock_area_layout = look_up("weasyprint.layout.page", "block_level_layout")
    expect(stock_area_layout, SOURCES["layout.block.block_level_layout"])
    linebox_layout = rewritten(block, _code("layout.block._linebox_layout"),
                               SOURCES["layout.block._linebox_layout"],
                               [(_PUSHING_NOTES_OUT, "report = False"), _NOTE_THAT_DOES_NOT_FIT])

    def _update_footnote_area(self: Any) -> bool:
        """WeasyPrint 70's ``LayoutContext._update_footnote_area``, its area
        laid out from where a note run on from the page before resumes, and
        no lower than the room a note cut on this page leaves."""
        room = _room(self)
        area = self.current_footnote_area
        if area.height != "auto" and not self.in_column:
            self.page_bottom += area.margin_height()
        area.children = self.current_page_footnotes
        if not area.children:
            room.rest = None
            area.height = 0
            if not self.in_column:
                self.page_bottom -= area.margin_height()
            return False
        footnote_area, room.rest = layout.block_level_layout(
            self, build.create_anonymous_boxes(area.deepcopy()), self.page_bottom - room.limit,
            _resumed(self), area.page)[:2]
        area.height = footnote_area.height
        if not self.in_column:
            self.page_bottom -= footnote_area.margin_height()
        last_child = room.last = footnote_area.children[-1]
        last_child_bottom = (last_child.position_y + last_child.margin_height()
                             - last_child.margin_bottom)
        footnote_area_bottom = (footnote_area.position_y + footnote_area.margin_height()
                                - footnote_area.margin_bottom)
        return last_child_bottom > footnote_area_bottom

    def area_layout(context: Any, box: Any, bottom_space: Any, skip_stack: Any,
                    containing_block: Any, page_is_empty: bool = True,
                    absolute_boxes: Any = None, fixed_boxes: Any = None,
                    adjoining_margins: Any = None, first_letter_style: Any = None,
                    first_line_style: Any = None, discard: bool = False,
                    max_lines: Any = None) -> Any:
        """make_page's block_level_layout: the page's note area, when the
        page is done, laid out as :func:`_update_footnote_area` lays it out;
        the part of a note cut at its foot is sent on to the next page."""
        if isinstance(box, FootnoteAreaBox):
            bottom_space = context.page_bottom - _room(context).limit
            skip_stack = _resumed(context)
        result = stock_area_layout(
            context, box, bottom_space, skip_stack, containing_block, page_is_empty,
            absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style,
            first_line_style, discard, max_lines)
        if isinstance(box, FootnoteAreaBox):
            _send_on(context, result[1])
        return result

    return [
        replace(block, "_linebox_layout", linebox_layout),
        add(block, "_edition_note_runs_on", _note_runs_on),
        replace(LayoutContext, "_update_footnote_area", _update_footnote_area),
        replace(page, "block_level_layout", area_layout),
    ]


def _send_on(context: Any, rest: Any) -> None:
    """The page is done: a note its foot cut is sent on with the notes
    after it, first of those the next page sets; if what it sends on is not
    what it sent when last made, the next page is made again."""
    run_on = _runs_on(context)
    page = context.current_page
    before = run_on.pop(page, None)
    if rest:
        (index, skip), = rest.items()
        sent = context.current_page_footnotes[index:]
        context.reported_footnotes[:0] = [note for note in sent
                                          if note not in context.reported_footnotes]
        if skip is not None:
            run_on[page] = (sent[0], skip)
    now = run_on.get(page)
    changed = (before is None) != (now is None) or (
        before is not None and (before[0] is not now[0] or before[1] != now[1]))
    if changed and page < len(context.page_maker):
        context.page_maker[page][-1]["content_changed"] = True


NOTES_WITH_THEIR_CALLS = Change(
    "weasyprint.notes-with-their-calls",
    "a note stays on the page of its call: the line that does not fit moves, "
    "or a long note runs on to the next page's foot",
    _plan_notes_with_their_calls, speedup=False, builders=PDF)


# -- Page styles ------------------------------------------------------------------------------

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



def _plan_page_styles(app: Any) -> list[Assignment]:
    _check("layout.page.set_page_type_computed_styles", "css.StyleFor.add_page_declarations")
    return [replace(look_up("weasyprint.layout.page"), "set_page_type_computed_styles",
                    _set_page_type_computed_styles)]


PAGE_STYLES = Change(
    "weasyprint.page-styles",
    "a page's margin boxes styled from the @page rules, not from every earlier page's styles",
    _plan_page_styles, builders=PDF)


# -- Page references ------------------------------------------------------------------------

# Page references settled in one remake (:data:`PAGE_REFERENCES`).
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
# fewer pages are made again (page references settled), the more often
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



def _plan_page_references(app: Any) -> list[Assignment]:
    _check("css.targets.TargetCollector.lookup_target", "layout.page.remake_page")
    page = look_up("weasyprint.layout.page")
    layout = look_up("weasyprint.layout")
    build = look_up("weasyprint.formatting_structure.build")
    targets = look_up("weasyprint.css.targets")
    make_all_pages = rewritten(page, _code("layout.page.make_all_pages"),
                               SOURCES["layout.page.make_all_pages"], _NOTES_SENT_ON)
    return [
        replace(page, "make_all_pages", make_all_pages),
        replace(layout, "make_all_pages", make_all_pages),   # imported by name there
        replace(page, "make_page", rewritten(page, _code("layout.page.make_page"),
                                             SOURCES["layout.page.make_page"],
                                             _ANCHOR_SETS + _PARSED_BEFORE_LAYOUT)),
        replace(build, "compute_content_list", rewritten(
            build, _code("formatting_structure.build.compute_content_list"),
            SOURCES["formatting_structure.build.compute_content_list"], _OWN_MISSING_COUNTERS)),
        replace(targets.TargetCollector, "cache_target_page_counters", rewritten(
            targets, _code("css.targets.TargetCollector.cache_target_page_counters"),
            SOURCES["css.targets.TargetCollector.cache_target_page_counters"], _TARGET_CHANGES)),
        add(page, "_edition_notes_sent_on", _notes_sent_on),
        add(build, "_edition_resolved_anchor", _resolved_anchor),
    ]


PAGE_REFERENCES = Change(
    "weasyprint.page-references",
    "page references settled in one remake; notes sent on kept across remakes; "
    "earlier pages' anchors in sets",
    _plan_page_references, builders=PDF)


# -- Each note laid out once ----------------------------------------------------------------------

def _page_additions(context: Any, absolute_boxes: Any, fixed_boxes: Any) -> tuple:
    """How much a layout has added to its page beside its own boxes:
    positioned boxes, floats, notes, running elements."""
    return (len(absolute_boxes or ()), len(fixed_boxes or ()), len(context.excluded_shapes),
            len(context.footnotes), len(context.current_page_footnotes),
            sum(len(boxes) for pages in context.running_elements.values() for boxes in pages.values()))



def _plan_notes_laid_out_once(app: Any) -> list[Assignment]:
    """Each note laid out once, not again for every note added after it on
    its page.

    Every time a line brings a note to its page, WeasyPrint lays the page's
    whole note area out again, to learn its height, and once more when the
    page is done: the first note of a page is laid out one time more than
    the page has notes. Now a note that was laid out in a note area with
    the same inputs — its element, the area's width and height, where the
    page stands, the margins it collapses with — is given as a copy of that
    layout moved to its new place: the layout of a block in a note area,
    where nothing overflows to another page, does not depend on where it
    stands. Not for a note whose text waits for page numbers (a page
    reference or counter in it: its text changes between layouts), nor one
    whose layout adds to the page beyond its boxes (positioned boxes,
    floats, running elements, notes), nor beside floats, nor when resuming a
    note cut by a page: those are laid out as before."""
    block = look_up("weasyprint.layout.block")
    FootnoteAreaBox = _code("formatting_structure.boxes.FootnoteAreaBox")
    original = _code("layout.block.block_level_layout")
    _check("layout.block.block_container_layout", "layout.LayoutContext")

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

    return [replace(block, "block_level_layout", block_level_layout)]


NOTES_LAID_OUT_ONCE = Change(
    "weasyprint.notes-laid-out-once",
    "each note laid out once, not again for every note added after it on its page",
    _plan_notes_laid_out_once, builders=PDF)


SPEEDUPS = (PAGE_STYLES, PAGE_REFERENCES, NOTES_LAID_OUT_ONCE)
TYPESETTING = (NOTES_WITH_THEIR_CALLS,)
