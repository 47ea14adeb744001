"""Stage 1: catalogue, fixity and strict decoding."""

from __future__ import annotations

import hashlib

import pytest

from edition.errors import CatalogError, SeedError
from edition.sources.catalog import load_catalog
from edition.sources.seeds import decode_seed, read_all, read_seed

SHARED_SEEDS = {
    "000_b3fa9359d4eef8b0.txt": "furr-beria-reform",
    "002_84978b6e42393666.txt": "blog-genuine-desire",
    "003_840d0f999964bbb6.txt": "dunayevskaya-beria-purge",
}


def test_catalog_describes_every_seed_with_its_fixity(project):
    entries = load_catalog(project.seeds_dir)
    assert {e.slug for e in entries} == set(SHARED_SEEDS.values())
    for entry in entries:
        data = (project.seeds_dir / entry.seed_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.sha256
        assert SHARED_SEEDS[entry.received_as] == entry.slug
        assert entry.title and entry.rights and entry.publication


def test_seeds_are_byte_copies_of_the_received_texts(project):
    shared = project.root.parent / "shared" / "seeds"
    if not shared.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    for received, slug in SHARED_SEEDS.items():
        assert (project.seeds_dir / f"{slug}.txt").read_bytes() == (shared / received).read_bytes()


def test_all_seeds_read(project):
    seeds = read_all(project.seeds_dir)
    assert [s.entry.slug for s in seeds] == [e.slug for e in load_catalog(project.seeds_dir)]
    assert all(s.text for s in seeds)


def test_a_changed_seed_is_refused(make_project):
    proj = make_project({"one": "A text.\n".encode()})
    (proj.seeds_dir / "one.txt").write_bytes(b"A text, edited.\n")
    entry = load_catalog(proj.seeds_dir)[0]
    with pytest.raises(SeedError, match=r"one\.txt: sha256 .* does not match"):
        read_seed(proj.seeds_dir, entry)


def test_latin1_bytes_name_the_byte_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    with pytest.raises(SeedError) as err:
        decode_seed(path, "Caf\u00e9 au lait".encode("latin-1"))
    assert str(err.value).startswith(f"{path}:byte 3: not valid UTF-8: byte 0xe9")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"\xef\xbb\xbfText\r\n", "byte-order mark"),
    (b"Text with a NUL \x00 inside\n", "control character U+0000"),
    (b"Line one\nline two \x1b[31m\n", "2:10: contains the control character U+001B"),
])
def test_bad_seeds_fail_with_one_line(tmp_path, data, message):
    with pytest.raises(SeedError) as err:
        decode_seed(tmp_path / "bad.txt", data)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_crlf_line_ends_are_accepted(tmp_path):
    assert decode_seed(tmp_path / "crlf.txt", b"Title\r\n\r\nA paragraph.\r\n") == "Title\r\n\r\nA paragraph.\r\n"


def test_catalog_errors_name_the_entry(tmp_path):
    (tmp_path / "catalog.toml").write_text('[[text]]\nslug = "x"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"catalog\.toml:\[\[text\]\] slug='x': missing title"):
        load_catalog(tmp_path)
