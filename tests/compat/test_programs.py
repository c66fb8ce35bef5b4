"""PyTorch programs written for this project (tests/compat/programs) run unchanged on
tinygrad_nn, with only the import swapped (run.py aliases ``torch`` to tinygrad_nn), and
print PyTorch's numbers.

Every number a program prints is compared with PyTorch's, to float32 rounding (the printed
tensors carry four decimals). PyTorch's output is taken live when torch is installed, else
from tests/compat/expected/, recorded with torch 2.13 (``python tests/compat/test_programs.py``
records it again). Random draws differ between the libraries, so the programs print only
what does not depend on them.
"""

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROGRAMS = sorted((HERE / "programs").glob("*.py"))
EXPECTED = HERE / "expected"
# A number not glued to a name (float32, RsubBackward1 and 8x8 are not numbers here).
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])|\bnan\b|\binf\b")
XFAIL: dict[str, str] = {}  # program -> why it cannot run yet


def run(library: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(HERE / "run.py"), library, *map(str, PROGRAMS)],
        capture_output=True,
        text=True,
        timeout=300,
        # one thread: the programs' tensors are small, and idle threads spinning on a busy
        # machine made torch's run several times slower
        env={**os.environ, "PYTHONWARNINGS": "ignore", "OMP_NUM_THREADS": "1"},
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def torch_available() -> bool:
    if os.environ.get("TINYGRAD_NN_REQUIRE_TORCH") == "1":
        return True
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def ours():
    return run("tinygrad_nn")


@pytest.fixture(scope="module")
def theirs():
    if torch_available():
        return run("torch")
    return {p.name: json.loads((EXPECTED / f"{p.stem}.json").read_text()) for p in PROGRAMS}


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def last_digit(text: str) -> float:
    """The value of one unit in the last digit printed: 1e-4 for ``0.1234``, 1e-3 for
    ``1.5e-2``... (``1.50e-02`` has two decimals at exponent -2)."""
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def close(ours: str, torchs: str) -> bool:
    """Equal to within two units of the last digit PyTorch printed."""
    a, b = float(ours), float(torchs)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=0, abs_tol=2 * last_digit(torchs))


@pytest.mark.parametrize("name", [p.name for p in PROGRAMS])
def test_program_prints_pytorchs_numbers(name, ours, theirs, request):
    if name in XFAIL:
        request.applymarker(pytest.mark.xfail(reason=XFAIL[name], strict=True))
    assert theirs[name]["error"] is None, f"the program fails on PyTorch:\n{theirs[name]['error']}"
    assert ours[name]["error"] is None, ours[name]["error"]
    got, want = numbers(ours[name]["stdout"]), numbers(theirs[name]["stdout"])
    assert len(got) == len(want), (
        f"{len(got)} numbers printed, PyTorch prints {len(want)}:\n"
        f"--- tinygrad_nn\n{ours[name]['stdout']}\n--- torch\n{theirs[name]['stdout']}"
    )
    bad = [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if not close(g, w)]
    assert not bad, (
        f"numbers that differ (index, ours, PyTorch's): {bad[:10]}\n"
        f"--- tinygrad_nn\n{ours[name]['stdout']}\n--- torch\n{theirs[name]['stdout']}"
    )


if __name__ == "__main__":  # record PyTorch's output for machines without it
    EXPECTED.mkdir(exist_ok=True)
    for program, result in run("torch").items():
        assert result["error"] is None, result["error"]
        (EXPECTED / program.replace(".py", ".json")).write_text(json.dumps(result, indent=1) + "\n")
