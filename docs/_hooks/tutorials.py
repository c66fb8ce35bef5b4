"""mkdocs hook: publish the numbered tutorials of ``tutorials/`` (outside ``docs/``) as notebooks.

- ``on_config`` finds every ``tutorials/[0-9][0-9]_*.py``, writes it as the notebook a reader
  gets (``notebooks.publish``: no test switches, asserts in hidden cells) into a build folder,
  and appends the pages, in order and titled by their first heading, to the nav section
  ``Tutorials``. It also unsets ``MPLBACKEND`` (the kernels draw their figures inline) and
  makes the kernels talk over local sockets (IPC), which keeps them from logging a warning
  each about unencrypted TCP.
- ``on_files`` adds those notebooks as ``tutorials/<name>.ipynb``; mkdocs-jupyter (configured in
  ``mkdocs.yml``) executes and renders each one, and copies the ``.ipynb`` beside its page for
  the download button.
- ``on_page_content`` keeps the first picture of each executed tutorial; ``on_post_page`` writes
  the gallery (a thumbnail, the title and one line per tutorial) where ``tutorials/index.md``
  says ``<!-- tutorial-gallery -->``, and ``on_post_build`` writes the thumbnails.
- ``on_post_page`` also drops from the rendered notebooks the MathJax and Mermaid loaders that
  nbconvert's template adds (CDN addresses, unused: KaTeX renders the math), turns links to
  ``.md`` pages into links to the pages, and points table-of-contents entries at the anchors
  nbconvert gave the headings (it writes ``nn.Linear`` in a heading into the anchor, the
  table of contents does not).

The tutorials stay in one place: a new tutorial needs no edit here, nor in the gallery.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath

import jupytext
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).parent))
import notebooks  # noqa: E402  (beside this file: the hooks folder is not a package)

PATTERN = "[0-9][0-9]_*.py"
MARKER = "<!-- tutorial-gallery -->"
THUMBS = "tutorials/thumbs"
MATHJAX = re.compile(
    r'<script src="">\s*</script>\s*<!-- MathJax configuration -->.*?'
    r"<!-- End of mathjax configuration -->",
    re.S,
)
MERMAID = re.compile(
    r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.S
)
FIRST_PICTURE = re.compile(r'<img[^>]+src="data:image/png;base64,([^"]+)"')
MD_LINK = re.compile(r'href="((?!https?:|#)[^"#]+\.md)(#[^"]*)?"')


class Tutorial:
    def __init__(self, path: Path, folder: Path) -> None:
        self.path = path
        self.notebook = notebooks.write(path, folder)
        self.uri = f"tutorials/{self.notebook.name}"
        self.title, self.line = _title_and_line(path)
        self.thumbnail: bytes | None = None


_state: dict = {"tutorials": [], "folder": None}


def _title_and_line(path: Path) -> tuple[str, str]:
    """The first heading of the notebook, and the first sentence of its text after the notes'
    sections ("Notes §9–10."), for the gallery."""
    for cell in jupytext.read(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = cell["source"].splitlines()
        heading = next((i for i, line in enumerate(lines) if line.startswith("#")), None)
        if heading is None:
            continue
        title = lines[heading].lstrip("#").strip()
        text = " ".join(line.strip() for line in lines[heading + 1 :] if line.strip())
        text = re.sub(r"^Notes\b.*?\.\s+(?=[A-Z*])", "", text)  # "Notes §1.1 and §2.1. "
        sentence = re.match(r"(.+?[.!?])(\s|$)", text)
        return title, (sentence.group(1) if sentence else text)
    return path.stem, ""


def on_config(config):
    # the notebooks' kernels inherit this environment: a backend forced to Agg (as in CI
    # scripts) would make plt.show() draw nothing and the pictures vanish from the site
    os.environ.pop("MPLBACKEND", None)
    if _state["folder"] is None:
        _state["folder"] = Path(tempfile.mkdtemp(prefix="tinygrad_nn_notebooks_"))
        _ipc_kernels(_state["folder"])
    tutorials = _state["folder"] / "tutorials"
    tutorials.mkdir(exist_ok=True)
    source = Path(config.docs_dir).resolve().parent / "tutorials"
    _state["tutorials"] = [Tutorial(p, tutorials) for p in sorted(source.glob(PATTERN))]
    for entry in config.nav or []:
        if isinstance(entry, dict) and "Tutorials" in entry:
            entry["Tutorials"] = [
                *(e for e in entry["Tutorials"] if not _is_tutorial(e)),
                *({t.title: t.uri} for t in _state["tutorials"]),
            ]
            return config
    raise PluginError("mkdocs.yml: the nav needs a 'Tutorials' section for the tutorials")


def _ipc_kernels(folder: Path) -> None:
    """nbconvert reads its configuration from JUPYTER_CONFIG_DIR: kernels on IPC sockets."""
    config = folder / "jupyter-config"
    config.mkdir()
    (config / "jupyter_nbconvert_config.json").write_text(
        # an absolute socket path: the kernels run in the notebooks' folder, not in ours
        json.dumps({"KernelManager": {"transport": "ipc", "ip": str(folder / "kernel")}})
    )
    os.environ["JUPYTER_CONFIG_DIR"] = str(config)


def _is_tutorial(entry) -> bool:
    # on_config runs again on every rebuild of `mkdocs serve`: drop what it added before
    return isinstance(entry, dict) and any(
        str(v).startswith("tutorials/") and str(v).endswith(".ipynb") for v in entry.values()
    )


@event_priority(100)  # before mkdocs-jupyter decides which files are notebooks
def on_files(files, config):
    for t in _state["tutorials"]:
        files.append(File(t.uri, str(_state["folder"]), config.site_dir, config.use_directory_urls))
    return files


def on_page_content(html, page, config, files):
    for t in _state["tutorials"]:
        if page.file.src_uri == t.uri and (match := FIRST_PICTURE.search(html)):
            t.thumbnail = base64.b64decode(match.group(1))
    return html


def on_post_page(output, page, config):
    src = page.file.src_uri
    if src.startswith("tutorials/") and src.endswith(".ipynb"):
        output = MERMAID.sub("", MATHJAX.sub("", output))
        output = _page_links(output, page, config)
        output = _toc_anchors(output)
    if MARKER in output:
        output = output.replace(MARKER, _gallery(page))
    return output


def _page_links(text: str, page, config) -> str:
    """``href="../guide/x.md#a"`` (relative to the notebook) -> the URL of that page."""

    def link(m: re.Match) -> str:
        target = PurePosixPath(page.file.src_uri).parent / m.group(1)
        parts: list[str] = []
        for part in target.parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        doc = "/".join(parts)
        url = doc[: -len(".md")] + "/" if config.use_directory_urls else doc[:-3] + ".html"
        url = url.removesuffix("index/")
        return f'href="{get_relative_url(url, page.url)}{m.group(2) or ""}"'

    return MD_LINK.sub(link, text)


def _toc_anchors(text: str) -> str:
    """Point ``#a`` links at the one anchor starting with ``a`` when no ``#a`` exists, and
    give the table of contents the full text of each heading (with its ``code``)."""
    ids = set(re.findall(r'id="([^"]+)"', text))
    headings = {
        anchor: re.sub(r"<[^>]+>|¶", "", inner).strip()
        for anchor, inner in re.findall(r'<h[1-6] id="([^"]+)">(.*?)</h[1-6]>', text, re.S)
    }

    def fix(m: re.Match) -> str:
        anchor = m.group(0).split('href="#', 1)[1][:-1]
        if anchor in ids:
            return m.group(0)
        candidates = [i for i in ids if i.startswith(anchor)]
        if len(candidates) != 1:
            return m.group(0)
        return m.group(0).replace(f'href="#{anchor}"', f'href="#{candidates[0]}"')

    text = re.sub(r'href="#[^"]+"', fix, text)

    def entry(m: re.Match) -> str:
        title = headings.get(m.group(2))
        return m.group(1) + title + m.group(3) if title else m.group(0)

    toc = r'(<a href="#([^"]+)" class="md-nav__link">\s*<span class="md-ellipsis">)'
    toc += r"\s*[^<]*?\s*(</span>)"
    return re.sub(toc, entry, text)


def _gallery(page) -> str:
    cards = []
    for t in _state["tutorials"]:
        href = get_relative_url(t.uri.removesuffix(".ipynb") + "/", page.url)
        picture = ""
        if t.thumbnail is not None:
            src = get_relative_url(f"{THUMBS}/{t.path.stem}.png", page.url)
            picture = f'<img src="{src}" alt="">'
        line = html.escape(t.line.replace("*", ""))  # no emphasis marks; $TeX$ stays for KaTeX
        cards.append(
            f'<a class="tnn-card" href="{href}">{picture}'
            f"<strong>{html.escape(t.title)}</strong><span>{line}</span></a>"
        )
    return '<div class="tnn-gallery">\n' + "\n".join(cards) + "\n</div>"


def on_post_build(config):
    from PIL import Image  # matplotlib's dependency: there when the tutorials could run

    folder = Path(config.site_dir) / THUMBS
    folder.mkdir(parents=True, exist_ok=True)
    for t in _state["tutorials"]:
        if t.thumbnail is not None:
            image = Image.open(io.BytesIO(t.thumbnail))
            image.thumbnail((480, 300))
            image.save(folder / f"{t.path.stem}.png", optimize=True)


def on_shutdown():
    if _state["folder"] is not None:
        shutil.rmtree(_state["folder"], ignore_errors=True)


def on_serve(server, config, builder):
    server.watch(str(Path(config.docs_dir).resolve().parent / "tutorials"))
    return server
