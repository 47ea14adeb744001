"""The hosted HTML in a browser, as a reader meets it.

Debian's Chromium (``/usr/bin/chromium``), driven by Playwright, opens the
built site served from a sub-path of ``http://127.0.0.1`` and from
``file://``: every page passes axe-core with no violation at phone and
desktop widths; a note call opens its note (in the margin on a desktop, under
its call on a phone); a paragraph number is a permalink; "Cite" gives the
paragraph's citation and copies it; search works offline; printing hides the
screen furniture; and no page asks for anything outside the site.

Screenshots at 390×844 and 1366×900 (and a printed page) are written to
``<build dir>/screenshots/`` for review, or to the folder named by the
environment variable ``EDITION_SCREENSHOTS``.  Chromium and axe-core are installed
by ``scripts/bootstrap test`` (axe-core pinned in tests/browser/).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.docbuild

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

FURR = "texts/furr-beria-reform.html"
DUNAYEVSKAYA = "texts/dunayevskaya-beria-purge.html"
NOTE = "ed-plenum-month"            # Furr ¶35: "At this same June 1953 Plenum[g]"
PARAGRAPH = "furr-beria-reform-p35"
CITATION = ("Furr, “Beria’s Moves towards Democratic Reform” (2005), ¶35, "
            "in The Fall of Beria, 1953, {url}texts/furr-beria-reform.html#furr-beria-reform-p35")


@pytest.fixture(scope="module")
def playwright_api():
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run scripts/bootstrap test, which installs them")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="module")
def browser(playwright_api):
    browser = playwright_api.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
    yield browser
    browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(edition) -> Path:
    return edition.build_dir / "html"


@pytest.fixture(scope="module")
def base_url(edition):
    """The build folder served on the loopback address: the site lives at the
    sub-path /html/, not at the server's root."""
    handler = functools.partial(_QuietHandler, directory=str(edition.build_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/html/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def shots(edition) -> Path:
    """<build dir>/screenshots, or the folder EDITION_SCREENSHOTS names (the
    session's build folder is a temporary one)."""
    folder = Path(os.environ.get("EDITION_SCREENSHOTS") or edition.build_dir / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def pages(site) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


class Reader:
    """A browser tab of a given size that records every request leaving the site."""

    def __init__(self, browser, base_url: str, viewport: dict, *, phone: bool = False):
        self.base = base_url
        # bypass_csp: the test injects axe-core as an inline script, which the
        # site's Content-Security-Policy rightly refuses.
        self.context = browser.new_context(
            viewport=viewport, is_mobile=phone, has_touch=phone, bypass_csp=True,
            permissions=["clipboard-read", "clipboard-write"])
        self.outside: list[str] = []
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()

    def _guard(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("file://", "data:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="load")

    def hash(self) -> str:
        return self.page.evaluate("location.hash")

    def axe(self) -> list[str]:
        self.page.add_script_tag(path=str(AXE))
        found = self.page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at `
                + v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(", "));
        }""")
        return found

    def in_view(self, locator) -> bool:
        box = locator.bounding_box()
        size = self.page.viewport_size
        return (box is not None and box["y"] >= 0 and box["y"] < size["height"]
                and box["x"] >= 0 and box["x"] + box["width"] <= size["width"])

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def desktop(browser, base_url):
    reader = Reader(browser, base_url, DESKTOP)
    yield reader
    reader.close()


@pytest.fixture
def phone(browser, base_url):
    reader = Reader(browser, base_url, PHONE, phone=True)
    yield reader
    reader.close()


# -- accessibility and a self-contained site ---------------------------------------------------

def test_every_page_passes_axe_at_both_widths(desktop, phone, pages, shots):
    violations = {}
    for reader, width in ((desktop, "desktop"), (phone, "phone")):
        for path in pages:
            reader.open(path)
            if found := reader.axe():
                violations[f"{width} {path}"] = found
            if path.startswith("texts/") or path == "index.html":
                size = reader.page.viewport_size
                name = Path(path).stem
                reader.page.screenshot(path=str(shots / f"{name}-{size['width']}x{size['height']}.png"))
    assert violations == {}


def test_open_notes_and_citations_pass_axe(desktop, phone):
    violations = {}
    for reader, width in ((desktop, "desktop"), (phone, "phone")):
        reader.open(f"{FURR}#{NOTE}")           # a note opened (a pop-over on the phone)
        if found := reader.axe():
            violations[f"{width} note"] = found
        reader.open(FURR)
        summary = reader.page.locator(f"#{PARAGRAPH} ~ details.para-cite > summary")
        summary.click()
        if found := reader.axe():
            violations[f"{width} citation"] = found
    assert violations == {}


def test_no_page_asks_for_anything_outside_the_site(desktop, pages):
    requested: list[str] = []
    desktop.page.on("request", lambda request: requested.append(request.url))
    for path in pages + ["search.html?q=Khrushchev"]:
        desktop.open(path)
        desktop.page.wait_for_load_state("networkidle")
    assert desktop.outside == []
    assert requested and all(url.startswith((desktop.base, "data:")) for url in requested)


# -- notes ---------------------------------------------------------------------------------------

def test_a_note_call_leads_to_its_note_in_the_margin_on_a_desktop(desktop, shots):
    desktop.open(FURR)
    page = desktop.page
    note = page.locator(f"#{NOTE}")
    assert note.is_visible()                # in the margin without being asked for
    call = page.locator(f'a.note-call[href="#{NOTE}"]')
    paragraph = page.locator(f"#{PARAGRAPH}")
    call.click()
    assert desktop.hash() == f"#{NOTE}"
    assert note.is_visible() and desktop.in_view(note)
    assert note.evaluate("n => getComputedStyle(n.parentElement).position") == "absolute"   # out of the text's flow
    text_right = paragraph.bounding_box()["x"] + paragraph.bounding_box()["width"]
    assert note.bounding_box()["x"] >= text_right       # beside the text, not over it
    assert "met on 2–7 July 1953" in note.inner_text()
    assert note.evaluate("n => n.scrollHeight <= n.clientHeight + 6")   # followed, it opens in full
    assert not page.locator(f'button.sidenote-toggle[aria-controls="{NOTE}"]').is_visible()
    assert "Editor." not in note.inner_text()    # its italic letter says whose it is
    page.screenshot(path=str(shots / "furr-note-1366x900.png"))

    # The first note of the text stands level with its paragraph.
    first_call = page.locator("a.note-call").first
    first_note = page.locator(f"#{first_call.get_attribute('href')[1:]}")
    first_paragraph = page.locator("p:has(a.note-call)").first
    assert abs(first_note.bounding_box()["y"] - first_paragraph.bounding_box()["y"]) < 10


TOPS = ("[...document.querySelectorAll('div.body p:not(aside *):not(details *)')]"
        ".map(p => Math.round(p.getBoundingClientRect().top + scrollY))")
BOXES = """[...document.querySelectorAll('.with-notes > .sidenotes')].map(b => {
    const r = b.getBoundingClientRect(); return [r.top + scrollY, r.bottom + scrollY]; })"""


def test_notes_in_the_margin_never_move_the_text(desktop, shots):
    """At 1366 px every paragraph stands where it would without its notes;
    each paragraph's notes start level with it or below the notes before
    them (they drift; they never overlap)."""
    desktop.open(DUNAYEVSKAYA)
    page = desktop.page
    tops = page.evaluate(TOPS)
    boxes = page.evaluate(BOXES)
    assert len(boxes) > 10
    assert all(later[0] >= earlier[1] for earlier, later in zip(boxes, boxes[1:]))
    # Some paragraph's notes are taller than it is: the case that used to push the text.
    heights = page.evaluate("""[...document.querySelectorAll('.with-notes')].map(w =>
        [w.querySelector(':scope > p').getBoundingClientRect().height,
         w.querySelector(':scope > .sidenotes').getBoundingClientRect().height])""")
    assert any(notes > text for text, notes in heights)
    page.screenshot(path=str(shots / "dunayevskaya-notes-1366x900.png"))
    page.evaluate("document.querySelectorAll('aside.sidenote').forEach(n => n.replaceChildren());"
                  "window.dispatchEvent(new Event('resize'))")
    assert page.evaluate(TOPS) == tops


def test_a_margin_note_cut_short_has_a_button_that_opens_it_and_the_text_stays(desktop, shots):
    """A note shown in part says so: a button under it ("more") opens it in
    full, by click, tap or keyboard, and closes it again; nothing in the
    text moves. Every other note is shown whole."""
    desktop.open(DUNAYEVSKAYA)
    page = desktop.page
    # Each note is whole, or cut with its button showing.
    assert page.evaluate("""[...document.querySelectorAll('aside.sidenote')].every(n =>
        n.scrollHeight <= n.clientHeight + 6
        || !n.nextElementSibling.hidden && n.nextElementSibling.matches('button.sidenote-toggle'))""")
    button = page.locator("button.sidenote-toggle:visible").first
    note = page.locator(f"#{button.get_attribute('aria-controls')}")
    assert button.inner_text().endswith("more") and button.get_attribute("aria-expanded") == "false"
    assert note.evaluate("n => n.scrollHeight > n.clientHeight + 6")
    tops = page.evaluate(TOPS)
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and button.inner_text().endswith("less")
    assert note.evaluate("n => n.scrollHeight <= n.clientHeight + 6")     # (a descender's pixels)
    assert page.evaluate(TOPS) == tops
    boxes = page.evaluate(BOXES)
    assert all(later[0] >= earlier[1] for earlier, later in zip(boxes, boxes[1:]))   # the rest drift
    page.screenshot(path=str(shots / "dunayevskaya-note-open-1366x900.png"))
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "false"
    assert note.evaluate("n => n.scrollHeight > n.clientHeight + 6")


def test_without_the_script_the_notes_keep_to_their_paragraph(browser, base_url):
    """No script: a paragraph's notes do not run past it (what does not fit
    opens when pointed at or focused), and the text does not move either."""
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + DUNAYEVSKAYA, wait_until="load")
        assert page.evaluate("""[...document.querySelectorAll('.with-notes')].every(w =>
            w.querySelector(':scope > .sidenotes').getBoundingClientRect().bottom
            <= w.getBoundingClientRect().bottom + 1)""")
        assert page.locator("button.sidenote-toggle").count() == 0
    finally:
        context.close()


def test_note_calls_are_tap_targets_of_24_px_and_spread_no_line(phone):
    """At 390 px every note call is at least 24 × 24 px (WCAG 2.2, 2.5.8),
    and no paragraph's lines are spread for them."""
    for path in (DUNAYEVSKAYA, FURR):
        phone.open(path)
        sizes = phone.page.evaluate("""[...document.querySelectorAll('a.note-call')].map(a => {
            const r = a.getBoundingClientRect(); return [r.width, r.height]; })""")
        assert len(sizes) > 10
        assert min(w for w, _ in sizes) >= 24 and min(h for _, h in sizes) >= 24
        heights = "[...document.querySelectorAll('p:has(a.note-call)')].map(p => p.getBoundingClientRect().height)"
        tapped = phone.page.evaluate(heights)
        phone.page.add_style_tag(content="body.edition-site a.note-call { display: inline !important; "
                                 "padding: 0 !important; margin: 0 !important; min-width: 0 !important; }")
        assert phone.page.evaluate(heights) == tapped     # as tall as with calls of the letter's size


def test_a_note_call_opens_its_note_under_the_call_on_a_phone(phone, shots):
    phone.open(FURR)
    page = phone.page
    note = page.locator(f"#{NOTE}")
    assert not note.is_visible()            # no margin: notes wait to be asked for
    call = page.locator(f'a.note-call[href="#{NOTE}"]')
    call.click()
    assert phone.hash() == f"#{NOTE}"
    assert note.is_visible() and phone.in_view(note)
    # It opens below its paragraph, whose end is still in sight above it.
    paragraph = page.locator(f"#{PARAGRAPH}").bounding_box()
    assert paragraph["y"] + paragraph["height"] <= note.bounding_box()["y"]
    assert paragraph["y"] + paragraph["height"] > 0
    assert "met on 2–7 July 1953" in note.inner_text()
    page.screenshot(path=str(shots / "furr-note-390x844.png"))
    # The note's mark leads back to the call, and the note closes.
    note.locator("a.sidenote-mark").click()
    assert phone.hash() == f"#{call.get_attribute('id')}"
    assert not note.is_visible()


def test_the_three_streams_look_different(desktop):
    desktop.open(DUNAYEVSKAYA)
    page = desktop.page
    look = {}
    for note_id in ("ed-person-beria", "au-2", "tr-1"):
        note = page.locator(f"#{note_id}")
        look[note_id] = note.evaluate("""n => {
            const s = getComputedStyle(n), m = getComputedStyle(n.querySelector('.sidenote-mark'));
            return [s.borderLeftStyle, m.fontStyle].join(' ');
        }""")
        # The source's notes name their voice; the editor's letters say it for them.
        assert note.locator(".note-voice").count() == (0 if note_id.startswith("ed-") else 1)
    assert len(set(look.values())) == 3, look


# -- paragraphs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("reader_name", ["desktop", "phone"])
def test_a_paragraph_number_is_its_permalink(reader_name, request, shots):
    reader = request.getfixturevalue(reader_name)
    reader.open(DUNAYEVSKAYA)
    page = reader.page
    number = page.locator('a.para-num[href="#dunayevskaya-beria-purge-p5"]')
    assert number.inner_text() == "5" and number.is_visible()
    number.click()
    assert reader.hash() == "#dunayevskaya-beria-purge-p5"
    paragraph = page.locator("#dunayevskaya-beria-purge-p5")
    assert 0 <= paragraph.bounding_box()["y"] < 20        # scrolled to the top, a little air above
    assert reader.in_view(number)                          # the number is on screen
    size = page.viewport_size
    page.screenshot(path=str(shots / f"dunayevskaya-p5-{size['width']}x{size['height']}.png"))

    # Furr numbers his own paragraphs: the permalink is a pilcrow beside them.
    reader.open(FURR)
    page.locator(f"#{PARAGRAPH}").hover() if reader_name == "desktop" else None
    page.locator(f'a.para-num[href="#{PARAGRAPH}"]').click()
    assert reader.hash() == f"#{PARAGRAPH}"


@pytest.mark.parametrize("reader_name", ["desktop", "phone"])
def test_cite_gives_the_paragraphs_citation_and_copies_it(reader_name, request, base_url, shots):
    reader = request.getfixturevalue(reader_name)
    reader.open(FURR)
    page = reader.page
    details = page.locator(f"#{PARAGRAPH} ~ details.para-cite")
    citation = details.locator(".para-cite-text")
    assert not citation.is_visible()
    page.locator(f"#{PARAGRAPH}").hover() if reader_name == "desktop" else None
    details.locator("summary").click()
    assert citation.is_visible()
    expected = CITATION.format(url=base_url)
    assert " ".join(citation.inner_text().split()) == expected
    size = page.viewport_size
    page.screenshot(path=str(shots / f"furr-cite-{size['width']}x{size['height']}.png"))
    details.get_by_role("button", name="Copy citation").click()
    status = details.locator(".para-cite-status")
    status.wait_for(state="visible")
    assert status.inner_text() == "Copied."
    assert page.evaluate("navigator.clipboard.readText()") == expected


# -- from file://, offline search, print -------------------------------------------------------------

def test_search_gives_excerpts_with_the_words_found_marked(desktop, shots):
    """Served from a sub-path, the search lists each page found with an
    excerpt, the words found marked; set in the edition's face, no bullets."""
    desktop.open("search.html?q=plenum")
    page = desktop.page
    results = page.locator("ul.search li")
    results.first.wait_for(timeout=10_000)
    first = results.first
    first.locator("p.context").wait_for(timeout=10_000)
    assert first.locator("p.context span.highlighted").count() >= 1
    assert "plenum" in first.locator("span.highlighted").first.inner_text().lower()
    assert page.evaluate("getComputedStyle(document.querySelector('ul.search')).listStyleType") == "none"
    face = page.evaluate("getComputedStyle(document.querySelector('div.body form input[type=submit]')).fontFamily")
    assert face == page.evaluate("getComputedStyle(document.querySelector('div.body')).fontFamily")
    page.screenshot(path=str(shots / "search-1366x900.png"))


def test_the_site_works_from_a_file_url(browser, site, shots):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto((site / FURR).as_uri())
        note = page.locator(f"#{NOTE}")
        assert note.evaluate("n => getComputedStyle(n.parentElement).position") == "absolute"   # styles loaded
        page.locator(f"#{PARAGRAPH}").hover()
        page.locator(f"#{PARAGRAPH} ~ details.para-cite > summary").click()
        url = page.locator(f"#{PARAGRAPH} ~ details.para-cite .para-cite-url").inner_text()
        assert url == (site / FURR).as_uri() + f"#{PARAGRAPH}"
        page.locator(f'a.note-call[href="#{NOTE}"]').click()
        assert page.evaluate("location.hash") == f"#{NOTE}"

        # Search runs from the site's own index, with no server.
        page.goto((site / "search.html").as_uri() + "?q=Khrushchev")
        results = page.locator("ul.search li")
        results.first.wait_for(timeout=10_000)
        titles = " ".join(results.all_inner_texts())
        assert "Beria’s Moves towards Democratic Reform" in titles
        page.screenshot(path=str(shots / "search-file-1366x900.png"))
        # The site's Content-Security-Policy refused nothing the site needs.
        assert refused == []
    finally:
        context.close()


def test_printing_a_page_gives_the_text_and_its_notes_only(desktop, shots):
    desktop.open(FURR)
    page = desktop.page
    page.emulate_media(media="print")
    for furniture in ("div.sphinxsidebar", "nav.rellinks-top", "nav.rellinks-bottom",
                      "footer.footer", f"#{PARAGRAPH} ~ details.para-cite"):
        assert not page.locator(furniture).first.is_visible(), furniture
    assert page.locator(f"#{NOTE}").is_visible()
    assert page.locator(f"#{PARAGRAPH}").is_visible()
    decoration = page.locator("a.reference").first.evaluate(
        "a => getComputedStyle(a).textDecorationLine + ' ' + getComputedStyle(a).borderBottomStyle")
    assert decoration == "none none"
    page.pdf(path=str(shots / "furr-print.pdf"), format="A4", print_background=False)
    page.screenshot(path=str(shots / "furr-print-1366x900.png"), full_page=False)
    assert re.match(rb"%PDF-", (shots / "furr-print.pdf").read_bytes()[:5])


@pytest.mark.parametrize("path", ["index.html", FURR, "back/colophon.html", "generated/rights.html",
                                  "bibliography.html"])
def test_no_page_runs_wider_than_a_phone(phone, path):
    """At 390 px nothing pushes the page sideways (a checksum in the colophon once did)."""
    phone.open(path)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390, path


# -- the page's furniture ---------------------------------------------------------------------

CONTRAST = """(el => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
        : Math.pow((v + 0.055) / 1.055, 2.4); }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    let back = el, bg = null;
    while (back) { const c = rgb(getComputedStyle(back).backgroundColor);
        if (c.length < 4 || c[3] > 0) { bg = c; break; } back = back.parentElement; }
    bg = bg || [255, 255, 255];
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_body_text_has_7_to_1_contrast_in_both_colour_schemes(browser, base_url, scheme, shots):
    """The reader's light or dark setting is followed; in both, a text's
    paragraphs, its margin notes and the sidebar's links read at 7:1 or more."""
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(base_url + DUNAYEVSKAYA, wait_until="load")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(255, 255, 255)") == (scheme == "light")
        for selector in ("div.body p.numbered", "aside.sidenote", "div.sphinxsidebar a",
                         "div.sphinxsidebar input[type=submit]"):
            ratios = page.locator(selector).evaluate_all(f"els => els.slice(0, 8).map({CONTRAST})")
            assert ratios and min(ratios) >= 7, (selector, ratios)
        page.screenshot(path=str(shots / f"dunayevskaya-{scheme}-1366x900.png"))
    finally:
        context.close()


def test_headings_step_down_and_the_head_is_whole(desktop):
    """A text's subheads are clearly smaller than its title, each level than
    the one above; the head has one viewport, a description for link
    previews and an icon."""
    desktop.open("texts/blog-genuine-desire.html")
    page = desktop.page
    sizes = page.evaluate("""['h1', 'h2', 'h3'].map(h => document.querySelector('div.body ' + h))
        .filter(Boolean).map(h => parseFloat(getComputedStyle(h).fontSize))""")
    assert len(sizes) >= 2 and all(a >= 1.2 * b for a, b in zip(sizes, sizes[1:]))
    desktop.open("index.html")
    assert page.locator('meta[name="viewport"]').count() == 1
    assert len(page.locator('meta[name="description"]').get_attribute("content")) > 40
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(desktop.base + icon).ok


@pytest.mark.parametrize("width", [1366, 1024, 390])
@pytest.mark.parametrize("path", [FURR, "index.html"])
def test_the_footer_states_the_rights_under_the_text_column(browser, base_url, width, path):
    """The footer gives the editorial matter's holder and licence and sends
    the reader to the texts' own rights; it stands under the text column
    (on a page with notes, and on one without, whose column is centred)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + path, wait_until="load")
        footer = page.locator("footer.footer p")
        assert "CC BY 4.0" in footer.inner_text() and "the Beria 1953 Edition Project" in footer.inner_text()
        assert footer.locator("a").get_attribute("href").endswith("generated/rights.html")
        title = page.locator("div.body h1").bounding_box()
        assert abs(footer.bounding_box()["x"] - title["x"]) < 2
        assert footer.bounding_box()["x"] + footer.bounding_box()["width"] <= title["x"] + title["width"] + 2
    finally:
        context.close()


def test_the_book_face_is_a_web_font_served_by_the_site(desktop, site):
    """The site ships the book face as WOFF2, cut to its characters, and the
    pages are set in it, loaded from the site itself."""
    fonts = []
    desktop.page.on("request", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    desktop.open(DUNAYEVSKAYA)
    page = desktop.page
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any(family.strip('"') == "Book Face" for family in loaded)
    assert fonts and all(url.startswith(desktop.base + "_static/fonts/") for url in fonts)
    assert page.evaluate("getComputedStyle(document.querySelector('div.body p')).fontFamily").startswith('"Book Face"')
    files = sorted((site / "_static" / "fonts").glob("*.woff2"))
    assert len(files) == 4
    assert all(f.read_bytes()[:4] == b"wOF2" and f.stat().st_size < 80_000 for f in files)   # Charis: ~900 kB a face
    assert desktop.outside == []


def test_the_home_page_gives_each_text_with_its_author_date_and_a_sentence(desktop, shots):
    """The home page lists each text with its author, its date and the
    catalogue's sentence on it (not a bulleted repeat of the sidebar), and
    says how to cite the edition."""
    desktop.open("index.html")
    page = desktop.page
    texts = [t.replace("\xa0", " ") for t in page.locator("div.home-texts p.home-text").all_inner_texts()]
    assert texts == ["The Beria Purge — Raya Dunayevskaya, 3 October 1953",
                     "Beria’s Moves towards Democratic Reform — Grover Furr, 2005",
                     "Genuine Desire to Reform, Or Another Play for Power — Author unknown, 2014"]
    summaries = page.locator("div.home-texts p.home-summary").all_inner_texts()
    assert len(summaries) == 3 and summaries[0].startswith("Reads Beria’s fall")
    assert page.locator("div.home-texts a").first.get_attribute("href") == "texts/dunayevskaya-beria-purge.html"
    assert page.evaluate("[...document.querySelectorAll('div.body ul')].every(u => getComputedStyle(u).listStyleType === 'none')")
    cite = page.locator("p.home-cite").inner_text()
    assert "Beria 1953 Edition Project, ed. The Fall of Beria, 1953: Three Texts: A Critical Edition." in cite
    page.screenshot(path=str(shots / "home-1366x900.png"), full_page=True)


def test_the_home_page_offers_the_editions_built_with_the_site_and_the_sources(desktop, edition, project, shots):
    """The home page links the PDF, the EPUB and the TEI, served from the
    site itself and the same files as the build's, and each text's source
    as received, byte for byte."""
    desktop.open("index.html")
    page = desktop.page
    links = page.locator("p.home-downloads a")
    assert links.all_inner_texts() == ["PDF, to read and print", "EPUB, for e-readers", "TEI P5, the edition as data"]
    for link, (fmt, name) in zip(links.all(), (("pdf", "beria-1953.pdf"), ("epub", "beria-1953.epub"),
                                               ("tei", "beria-1953.xml"))):
        href = link.get_attribute("href")
        assert href == f"downloads/{name}"
        response = page.request.get(desktop.base + href)
        assert response.status == 200
        assert response.body() == (edition.build_dir / fmt / name).read_bytes()
    sources = page.locator("div.home-texts a.download-source")
    assert sources.count() == 3
    for link, slug in zip(sources.all(), ("dunayevskaya-beria-purge", "furr-beria-reform", "blog-genuine-desire")):
        response = page.request.get(desktop.base + link.get_attribute("href"))
        assert response.body() == (project.root / "seeds" / f"{slug}.txt").read_bytes()
    page.locator("p.home-downloads").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "home-downloads-1366x900.png"))
    assert desktop.outside == []


def test_a_texts_page_offers_its_source_and_the_tei(desktop, project):
    """A text's headnote links its source as received and the edition's TEI
    at that text."""
    desktop.open(FURR)
    page = desktop.page
    row = page.locator("div.headnote p.headnote-downloads")
    assert row.inner_text().startswith("Download: this text as received (plain text) · the edition as TEI P5")
    source = row.locator("a.download-source").get_attribute("href")
    assert page.request.get(desktop.base + "texts/" + source).body() == \
        (project.root / "seeds" / "furr-beria-reform.txt").read_bytes()
    tei = row.locator("a.download-tei").get_attribute("href")
    assert tei == "../downloads/beria-1953.xml#text-furr-beria-reform"
    body = page.request.get(desktop.base + "texts/" + tei.partition("#")[0]).body()
    assert b'xml:id="text-furr-beria-reform"' in body


@pytest.mark.parametrize("reader_name", ["desktop", "phone"])
def test_a_long_page_lists_its_sections_and_a_short_one_does_not(reader_name, request, shots):
    """The introduction lists its sections: in the sidebar on a wide screen,
    folded above the text on a phone; a link brings its section's heading
    into view. A page of one section has no such list."""
    reader = request.getfixturevalue(reader_name)
    reader.open("front/introduction.html")
    page = reader.page
    side, top = page.locator("nav.page-contents-side"), page.locator("details.page-contents-top")
    shown = side if reader_name == "desktop" else top
    assert shown.is_visible() and not (top if reader_name == "desktop" else side).is_visible()
    if reader_name == "phone":
        top.locator("summary").click()
    links = shown.locator("a")
    titles = links.all_inner_texts()
    assert titles[:4] == ["Stalin’s heirs", "Beria’s reforms, March–June 1953",
                          "Arrest, plenum and trial", "Three vantage points"]
    assert "Dunayevskaya, 1953" in titles        # a subsection, under its section
    headings = page.evaluate("[...document.querySelectorAll('div.body section > h2')].map(h => h.innerText)")
    assert [t for t in titles if t in headings] == headings
    shown.locator("a", has_text="Agreement and disagreement").click()
    assert reader.hash() == "#agreement-and-disagreement"
    assert reader.in_view(page.locator("#agreement-and-disagreement > h2"))
    page.screenshot(path=str(shots / f"introduction-contents-{reader_name}.png"))
    reader.open(DUNAYEVSKAYA)
    assert page.locator(".page-contents").count() == 0


def test_glossary_terms_are_marked_as_quietly_as_emendations(desktop):
    """A glossary term's link (at its first mention in a text) has the
    text's colour and a faint dotted line, not a link's blue underline."""
    desktop.open(DUNAYEVSKAYA)
    looks = desktop.page.evaluate("""[...document.querySelectorAll('div.body p a[href*="#term-"]')].map(a => {
        const s = getComputedStyle(a), p = getComputedStyle(a.closest('p'));
        return [s.color === p.color, s.textDecorationStyle, s.borderBottomStyle]; })""")
    assert len(looks) > 5
    assert all(look == [True, "dotted", "none"] for look in looks), looks


# -- the EPUB's pages, in Chromium as a stand-in for a reading system ------------------------------

@pytest.fixture(scope="module")
def epub_pages(edition, tmp_path_factory) -> Path:
    import zipfile

    folder = tmp_path_factory.mktemp("epub")
    with zipfile.ZipFile(next((edition.build_dir / "epub").glob("*.epub"))) as book:
        book.extractall(folder)
    return folder


def test_the_epubs_note_calls_are_raised_and_its_paragraphs_indented(browser, epub_pages, shots):
    """A note call is a small raised mark without brackets or underline; the
    paragraphs of a text run on without space, each after the first
    indented 1 em, as in a book; a glossary term is marked quietly."""
    context = browser.new_context(viewport={"width": 600, "height": 900})
    try:
        page = context.new_page()
        page.goto((epub_pages / "texts" / "dunayevskaya-beria-purge.xhtml").as_uri(), wait_until="load")
        calls = page.evaluate("""[...document.querySelectorAll('a.footnote-reference')].map(a => {
            const s = getComputedStyle(a), p = getComputedStyle(a.closest('p'));
            return [s.verticalAlign, s.textDecorationLine, parseFloat(s.fontSize) < parseFloat(p.fontSize),
                    a.innerText.trim()]; })""")
        assert len(calls) > 10
        assert all(align == "super" and line == "none" and smaller and "[" not in text
                   for align, line, smaller, text in calls)
        paragraphs = page.evaluate("""[...document.querySelectorAll('section > p.numbered')].map(p => {
            const s = getComputedStyle(p), before = p.previousElementSibling;
            return [parseFloat(s.textIndent) / parseFloat(s.fontSize), parseFloat(s.marginTop),
                    before !== null && before.matches('p')]; })""")
        assert len(paragraphs) > 10
        assert all(abs(indent - 1) < 0.01 and top == 0 for indent, top, after_p in paragraphs if after_p)
        assert all(indent == 0 for indent, top, after_p in paragraphs if not after_p)
        terms = page.evaluate("""[...document.querySelectorAll('p a[href*="#term-"]')].map(a =>
            [getComputedStyle(a).color === getComputedStyle(a.closest('p')).color,
             getComputedStyle(a).textDecorationStyle])""")
        assert len(terms) > 5 and all(term == [True, "dotted"] for term in terms), terms
        page.screenshot(path=str(shots / "epub-dunayevskaya-600x900.png"))
    finally:
        context.close()


def test_every_epub_page_passes_axe(browser, epub_pages):
    """axe-core over every XHTML page of the EPUB (the cover and the
    navigation document too), as over the site: no violation."""
    context = browser.new_context(viewport={"width": 600, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        found = {}
        xhtml = sorted(epub_pages.rglob("*.xhtml"))
        assert len(xhtml) >= 14
        for path in xhtml:
            page.goto(path.as_uri(), wait_until="load")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("""async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations.map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
            }""")
            if violations:
                found[path.relative_to(epub_pages).as_posix()] = violations
        assert found == {}
    finally:
        context.close()
