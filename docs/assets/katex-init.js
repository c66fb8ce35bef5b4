// Render the TeX of every page (markdown, notebooks, API) with the local KaTeX copy in
// assets/katex/ (KaTeX 0.19.1, MIT, from the npm package `katex`; only the .woff2 fonts are
// kept, which every current browser loads first). No CDN: the site works offline.
(function () {
  "use strict";

  var options = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
    ],
    // never touch code (nor the hidden copy of each notebook cell that the copy button
    // puts on the clipboard), and leave the search box and its results alone
    ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option"],
    ignoredClasses: ["clipboard-copy-txt", "md-search", "md-search-result"],
    throwOnError: false, // a bad formula shows in red instead of stopping the page
  };

  function render() {
    if (typeof renderMathInElement === "function") {
      renderMathInElement(document.querySelector("article") || document.body, options);
    }
  }

  // Material for MkDocs publishes each (re)loaded page on `document$`; fall back to load.
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
