"""A font file cut to the characters a book uses (the EPUB's embedded face).

Takes a TrueType/OpenType file, a set of code points and the OpenType layout
features to keep besides the subsetter's defaults (kerning, ligatures,
marks…); gives the bytes of the cut font. Kept: every glyph those
characters reach through the kept features (the small capitals of
``smcp``), every name record in every language (copyright, the SIL Open Font
License); dropped: hinting, which e-readers ignore, and the tables no
e-reader can use (Graphite's, bitmap strikes, ``DSIG``). The same input gives
the same bytes: the font's own timestamps are kept.

HarfBuzz's subsetter (``libharfbuzz-subset``, which ``scripts/bootstrap``
installs for WeasyPrint) cuts Charis SIL's four faces in a few milliseconds
each, through cffi (a dependency of WeasyPrint). Where it is missing or
older than 4.1, fontTools' subsetter does the same cut, in about a second a
face. :func:`engine` names the one in use, for caches of cut fonts.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any, Iterable

# hb_subset_flags_t and hb_subset_sets_t (hb-subset.h, HarfBuzz >= 3.0)
_NO_HINTING = 0x01
_NAME_LEGACY = 0x08
_SETS_NAME_ID = 4
_SETS_NAME_LANG_ID = 5
_SETS_LAYOUT_FEATURE_TAG = 6

_DECLARATIONS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
typedef uint32_t hb_tag_t;
typedef int hb_bool_t;
hb_bool_t hb_version_atleast (unsigned int major, unsigned int minor, unsigned int micro);
const char *hb_version_string (void);
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
unsigned int hb_face_get_glyph_count (const hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
void hb_set_add_sorted_array (hb_set_t *set, const hb_codepoint_t *sorted_codepoints,
                              unsigned int num_codepoints);
void hb_set_clear (hb_set_t *set);
void hb_set_invert (hb_set_t *set);
hb_tag_t hb_tag_from_string (const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""


class SubsetError(RuntimeError):
    """The subsetter could not cut the font (a damaged or unsupported file)."""


@functools.lru_cache(maxsize=1)
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    """(ffi, libharfbuzz, libharfbuzz-subset), or None where they are missing."""
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_DECLARATIONS)
        hb = ffi.dlopen("libharfbuzz.so.0")
        hb_subset = ffi.dlopen("libharfbuzz-subset.so.0")
        if not hb.hb_version_atleast(4, 1, 0):   # hb_set_add_sorted_array
            return None
        hb_subset.hb_subset_input_create_or_fail   # present in this library
    except (ImportError, OSError, AttributeError):
        return None
    return ffi, hb, hb_subset


def engine() -> str:
    """The subsetter in use and its version: what a cut font depends on
    besides its source and characters."""
    harfbuzz = _harfbuzz()
    if harfbuzz is not None:
        ffi, hb, _ = harfbuzz
        return "harfbuzz " + ffi.string(hb.hb_version_string()).decode()
    from fontTools import version

    return f"fontTools {version}"


def subset_face(source: Path, codepoints: Iterable[int], features: Iterable[str] = ()) -> bytes:
    """``source`` cut to ``codepoints``, keeping ``features`` besides the
    default layout features; raises :class:`SubsetError` if it cannot."""
    codepoints, features = sorted(set(codepoints)), tuple(features)
    if _harfbuzz() is not None:
        return _harfbuzz_subset(source, codepoints, features)
    return _fonttools_subset(source, codepoints, features)


def _harfbuzz_subset(source: Path, codepoints: list[int], features: tuple[str, ...]) -> bytes:
    ffi, hb, hb_subset = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(str(source).encode())
    if blob == ffi.NULL:
        raise SubsetError(f"{source}: cannot be read")
    face = hb.hb_face_create(blob, 0)
    request = hb_subset.hb_subset_input_create_or_fail()
    cut = result = ffi.NULL
    try:
        if hb.hb_face_get_glyph_count(face) == 0:   # HarfBuzz's empty face: not a font
            raise SubsetError(f"{source}: not a TrueType or OpenType font, or a damaged one")
        if request == ffi.NULL:
            raise SubsetError(f"{source}: HarfBuzz could not start a subset (out of memory?)")
        points = ffi.new("hb_codepoint_t[]", codepoints)
        hb.hb_set_add_sorted_array(hb_subset.hb_subset_input_unicode_set(request), points, len(codepoints))
        hb_subset.hb_subset_input_set_flags(request, _NO_HINTING | _NAME_LEGACY)
        for every in (_SETS_NAME_ID, _SETS_NAME_LANG_ID):   # every name, every language
            names = hb_subset.hb_subset_input_set(request, every)
            hb.hb_set_clear(names)
            hb.hb_set_invert(names)
        kept = hb_subset.hb_subset_input_set(request, _SETS_LAYOUT_FEATURE_TAG)
        for tag in features:
            hb.hb_set_add(kept, hb.hb_tag_from_string(tag.encode("ascii"), -1))
        cut = hb_subset.hb_subset_or_fail(face, request)
        if cut == ffi.NULL or hb.hb_face_get_glyph_count(cut) == 0:
            raise SubsetError(f"{source}: HarfBuzz could not subset this font")
        result = hb.hb_face_reference_blob(cut)
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(result, length)
        if data == ffi.NULL or length[0] == 0:
            raise SubsetError(f"{source}: HarfBuzz gave an empty font")
        return ffi.buffer(data, length[0])[:]
    finally:
        if result != ffi.NULL:
            hb.hb_blob_destroy(result)
        if cut != ffi.NULL:
            hb.hb_face_destroy(cut)
        if request != ffi.NULL:
            hb_subset.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def _fonttools_subset(source: Path, codepoints: list[int], features: tuple[str, ...]) -> bytes:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return _fonttools_cut(TTFont(source, recalcTimestamp=False), codepoints, features)
    except (OSError, TTLibError) as exc:
        raise SubsetError(f"{source}: {exc}") from exc
    except Exception as exc:   # a damaged table, found while it is read
        raise SubsetError(f"{source}: damaged ({type(exc).__name__}: {exc})") from exc


def _fonttools_cut(font: Any, codepoints: list[int], features: tuple[str, ...]) -> bytes:
    import logging

    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.hinting = False
    options.layout_features = [*options.layout_features, *features]
    # fontTools reports each table it cannot subset (SIL's "Silt")
    # at WARNING level; they are dropped as intended.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
