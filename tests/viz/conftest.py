"""Shared fixtures for the drawing tests: DOT parsing, the `dot` program, a PATH without it."""

import re
import shutil
from dataclasses import dataclass, field

import pytest

from tinygrad_nn import testing as tt

pytest.importorskip("graphviz", reason="the graphviz Python package is an optional extra")


def require_dot() -> str:
    """The path of `dot` (graphviz): skip without it, fail under TINYGRAD_NN_REQUIRE_DOT=1."""
    return tt.required_program("dot", install="apt-get install graphviz")


@pytest.fixture
def dot() -> str:
    return require_dot()


@pytest.fixture
def check_dot():
    return require_dot


@pytest.fixture
def no_dot(monkeypatch, tmp_path_factory):
    """PATH without the dot program (an empty directory)."""
    empty = tmp_path_factory.mktemp("empty_path")
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None
    return empty


@dataclass
class Dot:
    """The parts of DOT source the tests look at."""

    nodes: dict[str, str] = field(default_factory=dict)  # id -> attribute text
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (src, dst, attributes)
    clusters: list[str] = field(default_factory=list)  # cluster labels in order
    label: str = ""  # the graph's own label

    def label_of(self, nid: str) -> str:
        m = re.search(r"label=(<.*>|\"[^\"]*\"|\S+)", self.nodes[nid])
        if not m:
            return ""
        text = m.group(1)
        if text.startswith("<"):  # an HTML-like label: drop the tags
            return " " + re.sub(r"<[^<>]*>", " ", text[1:-1]) + " "
        return " " + text.strip('"') + " "

    def ids_with(self, text: str) -> list[str]:
        return [n for n in self.nodes if text in self.label_of(n)]


_NODE = re.compile(r"^\s*(\w+) \[(.*)\]$")
_EDGE = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$")


def parse(source: str) -> Dot:
    out = Dot()
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if m := _EDGE.match(line):
            out.edges.append((m.group(1), m.group(2), m.group(3) or ""))
        elif m := _NODE.match(line):
            if m.group(1) not in ("graph", "node", "edge"):
                out.nodes[m.group(1)] = m.group(2)
            elif m.group(1) == "graph" and (lab := re.search(r'label="([^"]*)"', line)):
                out.label = lab.group(1)
        elif line.strip().startswith("subgraph cluster_"):
            attrs = lines[i + 1]
            lab = re.search(r"label=(\"[^\"]*\"|\S+)", attrs)
            out.clusters.append(lab.group(1).strip('"') if lab else "")
        elif line.strip().startswith("label=") and not out.label:
            out.label = line.strip()[len("label=") :].strip('"')
    return out


@pytest.fixture
def parse_dot():
    return parse
