// What test_site.py checks on each page of the built site, run in the page after it loaded:
// KaTeX errors, raw TeX left in the text, images that did not load, tables, code blocks and
// pictures wider than the text column (or clipping their content), and the pictures in the
// outputs of a notebook.
(() => {
  const article = document.querySelector("article") || document.body;
  const column = article.getBoundingClientRect();
  const found = {katex: [], raw: [], bases: [], images: [], wide: [], stderr: [], figures: 0};
  article.querySelectorAll(".katex-error").forEach(e => found.katex.push(e.textContent));
  const skip = "pre, code, script, style, textarea, .katex, .clipboard-copy-txt, .highlight";
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT
                                                   : NodeFilter.FILTER_ACCEPT,
  });
  const raw = /\$[^\s$][^$]*\$|\$\$|\\(frac|sum|sigma|alpha|partial|mathrm|text|vec)\b|\.\. math::|:math:`|\{\{\s*run\./;
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent;
    if (raw.test(text)) found.raw.push(text.trim().slice(0, 120));
  }
  article.querySelectorAll(".doc-class-bases").forEach(e => {  // a private base class shown
    if (/(^|[\s,(.])_[A-Za-z]/.test(e.textContent.replace("Bases:", ""))) {
      found.bases.push(e.textContent.trim());
    }
  });
  article.querySelectorAll("thead tr").forEach(tr => {  // a header row with nothing in it
    if (![...tr.cells].some(c => c.textContent.trim())) found.wide.push("empty table header row");
  });
  // a notebook cell that wrote to stderr: a warning the reader would see
  article.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(e => {
    found.stderr.push(e.textContent.trim().slice(0, 160));
  });
  article.querySelectorAll("img").forEach(img => {
    if (!img.complete || img.naturalWidth === 0) found.images.push(img.src.slice(0, 120));
  });
  const boxes = "table, pre, pre > code, .md-typeset__scrollwrap, .jp-OutputArea-output, " +
                ".jp-InputArea, img, svg:not(.katex svg)";
  article.querySelectorAll(boxes).forEach(el => {
    if (el.closest(".md-sidebar, .katex, .md-clipboard, .md-header, .md-footer")) return;
    const r = el.getBoundingClientRect();
    if (r.width === 0) return;  // hidden (e.g. a closed <details>)
    const what = el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
      ? "." + String(el.className).split(" ")[0] : "");
    const sample = (el.textContent || el.getAttribute("src") || "").replace(/\s+/g, " ")
      .trim().slice(0, 60);
    // Material's table wrapper reaches into the page margins on purpose: only its scrolling
    // counts, not its box
    const box = !el.matches(".md-typeset__scrollwrap");
    if (box && (r.left < column.left - 1 || r.right > column.right + 1)) {
      const width = `${Math.round(r.width)}px in a ${Math.round(column.width)}px column`;
      found.wide.push(`${what} ${width}: ${sample}`);
    } else if (["TABLE", "CODE", "PRE"].includes(el.tagName) ||
               el.matches(".md-typeset__scrollwrap")) {
      if (el.scrollWidth > el.clientWidth + 1) {
        found.wide.push(`${what} clips ${el.scrollWidth - el.clientWidth}px: ${sample}`);
      }
    }
  });
  found.figures = article.querySelectorAll(
    ".jp-OutputArea-output img, .jp-OutputArea-output svg, .jp-RenderedSVG svg").length;
  return found;
})()
