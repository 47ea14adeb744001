/* The edition's one script, and nothing needs it: every paragraph's "Cite"
 * disclosure works without it, and the margin notes keep to their
 * paragraphs.  With it, the citation's address becomes the address the page
 * was opened at (any host, any sub-path, file://), a button copies the
 * citation, each box of margin notes moves down below the one before it
 * (the text never moves), and a note cut short gets a button that opens it. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var WIDE = "(min-width: 900px)";
  var NOTE_GAP = 8;   // px between one paragraph's notes and the next's
  var CUT = 6;        // px of a note hidden: half a line at least

  /* Each paragraph's box of notes starts level with it, or just below the
   * box before it, whichever is lower. */
  function placeNotes() {
    var boxes = document.querySelectorAll(".with-notes > .sidenotes");
    var wide = window.matchMedia(WIDE).matches;
    var below = -Infinity;
    Array.prototype.forEach.call(boxes, function (box) {
      box.style.top = "";
      if (!wide) { return; }
      var top = box.getBoundingClientRect().top;
      if (top < below + NOTE_GAP) {
        box.style.top = (box.offsetTop + below + NOTE_GAP - top) + "px";
      }
      below = box.getBoundingClientRect().bottom;
    });
  }

  /* A note shown in part gets a button under it that opens and closes it. */
  function setUpNote(note) {
    var box = note.parentNode;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sidenote-toggle";
    button.setAttribute("aria-controls", note.id);
    button.setAttribute("aria-expanded", "false");
    button.textContent = box.getAttribute("data-more");
    button.hidden = true;
    note.parentNode.insertBefore(button, note.nextSibling);
    button.addEventListener("click", function () {
      var open = !note.classList.contains("is-open");
      note.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", String(open));
      button.textContent = box.getAttribute(open ? "data-less" : "data-more");
      placeNotes();
    });
    return button;
  }

  function markCutNotes(buttons) {
    buttons.forEach(function (pair) {
      var note = pair[0], button = pair[1];
      if (note.classList.contains("is-open")) { return; }
      // (a note whose last line shows has a few pixels to spare: not cut)
      button.hidden = !(window.matchMedia(WIDE).matches && note.scrollHeight > note.clientHeight + CUT);
    });
  }

  function startNotes() {
    var notes = document.querySelectorAll(".with-notes > .sidenotes > aside.sidenote[id]");
    var buttons = Array.prototype.map.call(notes, function (note) { return [note, setUpNote(note)]; });
    function relayout() { markCutNotes(buttons); placeNotes(); }
    relayout();
    window.addEventListener("resize", relayout);
    window.addEventListener("hashchange", relayout);     // a followed note opens in full
    window.addEventListener("load", relayout);            // the web font changes the notes' heights
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(relayout); }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUp(box) {
    var text = box.querySelector(".para-cite-text");
    var url = box.querySelector(".para-cite-url");
    var button = box.querySelector(".para-cite-copy");
    var status = box.querySelector(".para-cite-status");
    if (!text || !button) { return; }
    if (url && url.getAttribute("data-absolute") !== "true") {
      var here = new URL(window.location.href);
      here.hash = url.getAttribute("data-anchor");
      url.textContent = here.href;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var citation = text.textContent.replace(/\s+/g, " ").trim();
      copyText(citation).then(function () {
        status.textContent = button.getAttribute("data-copied");
      }, function () {
        selectText(text);
        status.textContent = button.getAttribute("data-selected");
      });
    });
    box.addEventListener("toggle", function () { status.textContent = ""; });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("details.para-cite"), setUp);
    startNotes();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
