"""mkdocs hook: publish the numbered tutorials of ``tutorials/`` (outside ``docs/``) as pages.

- ``on_files`` adds every ``tutorials/[0-9][0-9]_*.py`` to the site as ``tutorials/<name>``;
  mkdocs-jupyter (configured in ``mkdocs.yml``) then executes and renders each one.
- ``on_config`` appends them, in order and titled by their first heading, to the nav section
  ``Tutorials``; ``on_page_markdown`` writes the same list where ``tutorials/index.md`` says
  ``<!-- tutorial-list -->``.
- ``on_config`` also unsets ``MPLBACKEND``, so that the kernels draw their figures inline.
- ``on_post_page`` drops from the rendered notebooks the MathJax and Mermaid loaders that
  nbconvert's template adds (CDN addresses, unused: KaTeX renders the math, the tutorials have no
  diagrams), so the site refers to no CDN at all.

The tutorials stay in one place: no copies, no symlinks, and a new tutorial needs no edit here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import jupytext
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

PATTERN = "[0-9][0-9]_*.py"
MARKER = "<!-- tutorial-list -->"
MATHJAX = re.compile(
    r'<script src="">\s*</script>\s*<!-- MathJax configuration -->.*?'
    r"<!-- End of mathjax configuration -->",
    re.S,
)
MERMAID = re.compile(
    r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.S
)
_found: list[tuple[str, Path]] = []  # (title, path), filled by on_config


def _title(path: Path) -> str:
    """The first markdown heading of the notebook, or the file name."""
    for cell in jupytext.read(path)["cells"]:
        if cell["cell_type"] == "markdown":
            for line in cell["source"].splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def on_config(config):
    # the notebooks' kernels inherit this environment: a backend forced to Agg (as in CI
    # scripts) would make plt.show() draw nothing and the pictures vanish from the site
    os.environ.pop("MPLBACKEND", None)
    folder = Path(config.docs_dir).resolve().parent / "tutorials"
    _found[:] = [(_title(p), p) for p in sorted(folder.glob(PATTERN))]
    for entry in config.nav or []:
        if isinstance(entry, dict) and "Tutorials" in entry:
            entry["Tutorials"] = [
                *(e for e in entry["Tutorials"] if not _is_tutorial(e)),
                *({title: f"tutorials/{p.name}"} for title, p in _found),
            ]
            return config
    raise PluginError("mkdocs.yml: the nav needs a 'Tutorials' section for the tutorials")


def _is_tutorial(entry) -> bool:
    # on_config runs again on every rebuild of `mkdocs serve`: drop what it added before
    return isinstance(entry, dict) and any(
        str(v).startswith("tutorials/") and str(v).endswith(".py") for v in entry.values()
    )


@event_priority(100)  # before mkdocs-jupyter decides which files are notebooks
def on_files(files, config):
    for _, path in _found:
        src_dir = str(path.parent.parent)
        files.append(
            File(f"tutorials/{path.name}", src_dir, config.site_dir, config.use_directory_urls)
        )
    return files


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    rows = [f"- [{title}]({p.name})" for title, p in _found]
    return markdown.replace(MARKER, "\n".join(rows))


def on_post_page(output, page, config):
    if page.file.src_uri.startswith("tutorials/") and page.file.src_uri.endswith(".py"):
        output = MERMAID.sub("", MATHJAX.sub("", output))
    return output


def on_serve(server, config, builder):
    server.watch(str(Path(config.docs_dir).resolve().parent / "tutorials"))
    return server
