/* The edition's one script, and nothing needs it: every paragraph's "Cite"
 * disclosure works without it.  With it, the citation's address becomes the
 * address the page was opened at (any host, any sub-path, file://), and a
 * button copies the citation. */
(function () {
  "use strict";

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
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
