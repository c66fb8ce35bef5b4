"""The built documentation site, in a real browser (issue 17).

Needs a built site: ``make docs-check`` builds it and runs these tests (CI does it after the
suite); by hand, ``TINYGRAD_NN_SITE=site pytest tests/site`` after ``make docs``. Without
``TINYGRAD_NN_SITE`` they skip, so that ``make test`` does not build the docs a second time.

The site is served on 127.0.0.1 and every page is opened in headless Chromium (Debian's
``chromium``, driven by ``browser.py``) at 1280×900: it must load without console errors, its
math must render (no KaTeX error, no raw ``$``, ``\\frac`` or ``.. math::`` left in the text),
every image must load, no table or code block may be wider than the text column or clip its
content, no table may have an empty header row, no class may show a private base, no notebook
cell may have written to stderr (a warning), and a tutorial page must show at least one
picture per ``plt.show()`` of its source.
Links and anchors are checked in the HTML files, and every public name must have its anchor
on an API page.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import os
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests" / "site"), str(ROOT / "tests")]  # browser, test_api_reference
SITE = Path(os.environ["TINYGRAD_NN_SITE"]).resolve() if "TINYGRAD_NN_SITE" in os.environ else None
pytestmark = pytest.mark.skipif(
    SITE is None, reason="needs a built site: make docs-check (or TINYGRAD_NN_SITE=site)"
)
PAGES = sorted(
    p.relative_to(SITE).as_posix()
    for p in (SITE.rglob("*.html") if SITE is not None and SITE.is_dir() else [])
    if p.name != "404.html"
)

CHECKS = (Path(__file__).parent / "checks.js").read_text(encoding="utf-8")


class _Files(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(SITE), **kwargs)

    def log_message(self, *args):  # no request log on stderr
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from browser import Browser, find_chromium

    if find_chromium() is None:
        pytest.fail("chromium is not installed (apt-get install chromium); .ci/run installs it")
    with Browser(1280, 900) as b:
        yield b


def _figures_expected(page: str) -> int:
    """``plt.show()`` calls at the top level of the tutorial behind ``page``, if it is one."""
    match = re.fullmatch(r"tutorials/(\d\d_\w+)/index\.html", page)
    if not match:
        return 0
    source = ROOT / "tutorials" / f"{match.group(1)}.py"
    return len(re.findall(r"^plt\.show\(\)", source.read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("page", PAGES)
def test_page_in_browser(page, server, browser):
    tab = browser.open(urljoin(server, page))
    try:
        found = tab.evaluate(CHECKS)
        problems = [f"console: {e}" for e in tab.errors]
        problems += [f"KaTeX error: {t}" for t in found["katex"]]
        problems += [f"raw TeX in the text: {t!r}" for t in found["raw"]]
        problems += [f"a private base class: {t!r}" for t in found["bases"]]
        problems += [f"broken image: {src}" for src in found["images"]]
        problems += [f"a cell wrote to stderr: {text}" for text in found["stderr"]]
        problems += [f"too wide: {w}" for w in found["wide"]]
        expected = _figures_expected(page)
        if found["figures"] < expected:
            problems.append(f"{found['figures']} pictures for {expected} plt.show() calls")
    finally:
        tab.close()
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "img", "script", "link", "source", "iframe"):
                self.refs.append((tag, attrs[key]))


@functools.cache
def _parsed(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8", errors="replace"))
    return refs


def _target(page: Path, url: str) -> Path:
    path = (page.parent / unquote(url)).resolve() if url else page
    return path / "index.html" if path.is_dir() else path


@pytest.mark.parametrize("page", PAGES)
def test_links_and_anchors(page):
    here = SITE / page
    problems = []
    for tag, url in _parsed(here).refs:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            if tag != "a":  # the site works offline: nothing it loads comes from elsewhere
                problems.append(f"<{tag}> loads {url}")
            continue
        if parts.scheme or url.startswith("//"):
            continue  # mailto:, data:, javascript:
        target = _target(here, parts.path)
        if not target.exists():
            problems.append(f"<{tag}> {url}: no file {target.relative_to(SITE.parent)}")
        elif parts.fragment and target.suffix == ".html":
            if unquote(parts.fragment) not in _parsed(target).ids:
                problems.append(f"<{tag}> {url}: no anchor #{parts.fragment}")
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


def test_every_public_name_has_an_anchor_in_the_api_pages():
    from test_api_reference import MODULES

    ids: set[str] = set()
    for page in (SITE / "api").rglob("*.html"):
        ids |= _parsed(page).ids
    paths: dict[int, set[str]] = {}  # every name an object is exported under
    for name in MODULES:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", []):
            value = getattr(module, public)
            if type(value).__name__ != "module":
                paths.setdefault(id(value), set()).add(f"{name}.{public}")
                if callable(value) and "<" not in getattr(value, "__qualname__", "<"):
                    paths[id(value)].add(f"{value.__module__}.{value.__qualname__}")
    missing = sorted(min(p) for p in paths.values() if not p & ids)
    assert not missing, f"no entry on the API pages for: {missing}"
