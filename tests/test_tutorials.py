"""Every tutorial runs as a plain script and as an executed notebook (issue 8).

Both runs set ``TINYGRAD_NN_FAST=1`` (tutorials shrink epochs and simulated time) and start in
an empty temporary folder. The first test that needs a result starts every selected run at
once, as subprocesses on all cores; each test then checks its own run, and a failing cell
fails it with the cell's traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))
TIMEOUT = 600  # seconds per run; a FAST run takes a few
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Runs one tutorial as a notebook in a fresh process: jupytext reads the percent format,
# nbclient executes every cell in a python3 kernel (this venv's, see _env) and raises
# CellExecutionError, with the cell's traceback, at the first failing cell.
NOTEBOOK_RUNNER = """
import os
import sys
import jupytext
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

kernel = KernelManager(kernel_name="python3").format_kernel_cmd()[0]
if os.path.dirname(os.path.abspath(kernel)) != os.path.dirname(sys.executable):
    sys.exit(f"the python3 kernel runs {kernel}, not this venv's {sys.executable}")
nb = jupytext.read(sys.argv[1])
client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": "."}})
client.execute()
"""


def _env(kind: str) -> dict[str, str]:
    env = dict(os.environ, TINYGRAD_NN_FAST="1", TQDM_DISABLE="1", PYTHONHASHSEED="0")
    env.pop("MPLBACKEND", None)
    if kind == "script":
        env["MPLBACKEND"] = "Agg"  # plt.show() draws nothing and returns
    else:
        # this venv's kernelspec first, before any user-wide "python3" kernel
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(Path(sys.prefix) / "share" / "jupyter"), env.get("JUPYTER_PATH", "")]
        ).rstrip(os.pathsep)
    return env


def _run(job: tuple[str, str], folder: Path) -> subprocess.CompletedProcess:
    kind, name = job
    path = str(ROOT / "tutorials" / name)
    cmd = (
        [sys.executable, path]
        if kind == "script"
        else [sys.executable, "-c", NOTEBOOK_RUNNER, path]
    )
    work = folder / f"{kind}-{Path(name).stem}"
    work.mkdir()
    try:
        return subprocess.run(
            cmd, cwd=work, env=_env(kind), capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, -1, "", f"timed out after {TIMEOUT} s")


JOBS = [(kind, p.name) for p in TUTORIALS for kind in ("script", "notebook")]


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory) -> dict[tuple[str, str], subprocess.CompletedProcess]:
    """Run every selected tutorial job in parallel, once per session."""
    selected = [
        item.callspec.params["job"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_tutorial_runs"
    ]
    folder = tmp_path_factory.mktemp("tutorials")
    workers = max(2, os.cpu_count() or 2)
    with ThreadPoolExecutor(workers) as pool:
        results = pool.map(lambda job: _run(job, folder), selected)
        return dict(zip(selected, results))


@pytest.mark.slow
@pytest.mark.parametrize("job", JOBS, ids=[f"{k}-{n[:-3]}" for k, n in JOBS])
def test_tutorial_runs(job, runs):
    result = runs[job]
    if result.returncode != 0:
        stderr = ANSI.sub("", result.stderr)  # the kernel colours its tracebacks
        pytest.fail(
            f"{job[1]} failed as a {job[0]} (exit {result.returncode}):\n"
            f"{stderr[-6000:]}\n--- stdout ---\n{result.stdout[-2000:]}",
            pytrace=False,
        )


def test_every_topic_of_the_notes_has_a_tutorial():
    numbers = sorted(int(p.name[:2]) for p in TUTORIALS)
    # 1-14 follow the notes; later ones go beyond, numbered on without gaps
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_tutorial_follows_the_conventions(path):
    text = path.read_text(encoding="utf-8")
    header = text.split("\n# ---\n", 1)[0]
    assert header.startswith("# ---\n# jupyter:\n") and "format_name: percent" in header, (
        "jupytext percent-format header missing (see tutorials/README.md)"
    )
    first = re.search(r"^# %% \[markdown\]\n# # (.+)$", text, re.M)
    assert first, "the first markdown cell must start with the title, '# # N. Title'"
    assert first.group(1).startswith(f"{int(path.name[:2])}. "), "title must start with 'N. '"
    assert 'FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"' in text
