// Click a picture to see it at full size: a plain overlay, closed by a click or Escape.
// Graphs of models and notebook figures are drawn larger than the text column; the page
// shows them shrunk to fit, this shows them as drawn (scrolling when they are larger still).
(function () {
  "use strict";

  function open(img) {
    var overlay = document.createElement("div");
    overlay.className = "tnn-lightbox";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-label", (img.alt || "picture") + " (click or Escape to close)");
    var big = document.createElement("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    overlay.appendChild(big);
    function close() {
      overlay.remove();
      document.removeEventListener("keydown", onKey);
    }
    function onKey(event) {
      if (event.key === "Escape") close();
    }
    overlay.addEventListener("click", close);
    document.addEventListener("keydown", onKey);
    document.body.appendChild(overlay);
  }

  document.addEventListener("click", function (event) {
    var img = event.target.closest && event.target.closest("article img");
    if (!img || img.closest("a, .tnn-lightbox, .tnn-gallery")) return;
    event.preventDefault();
    open(img);
  });
})();
