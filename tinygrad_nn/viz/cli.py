"""``tinygrad-nn graph``: draw a computation graph to a file.

* ``tinygrad-nn graph --expr "tanh(a*b + c)" --var a=2 --var b=-3 --var c=10 -o out.svg``:
  a small expression (parsed safely, see ``expr``), values shown;
* ``tinygrad-nn graph -o mlp.svg``: the main job's model and loss (the MLP of
  ``tinygrad-nn train`` with cross-entropy on a batch of digits), one cluster per module.

``--backward`` draws the backward pass. The suffix of ``-o`` picks the format: ``.svg``,
``.png``, ``.pdf`` (need graphviz's ``dot`` program) or ``.dot`` (DOT source, needs nothing).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

__all__ = ["add_graph_parser", "graph_command"]

EXAMPLES = """examples:
  tinygrad-nn graph --expr "tanh(a*b + c)" --var a=2 --var b=-3 --var c=10 -o expr.svg
  tinygrad-nn graph --expr "sigmoid(W @ x + b)" --var "W=randn(2,3)" \\
      --var "x=randn(3)" --var b=0.5,-1 --backward -o neuron.png
  tinygrad-nn graph -o mlp.svg                 # the main job's MLP and cross-entropy loss
  tinygrad-nn graph --collapse -o mlp.png      # one box per layer
  tinygrad-nn graph --backward -o mlp_backward.pdf
"""


def add_graph_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``graph`` command to an ``argparse`` subparsers object."""
    p = subparsers.add_parser(
        "graph",
        help="draw a computation graph (an expression, or the main job's model and loss)",
        description="Draw a computation graph to a file: a small expression given with --expr,\n"
        "or without it the main job's MLP and cross-entropy loss on a batch of the 8x8\n"
        "digits, one cluster per module.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--expr",
        metavar="EXPRESSION",
        help='a small expression to draw, e.g. "tanh(a*b + c)": numbers, names, '
        "+ - * / ** @ and functions such as tanh, sigmoid, relu, exp, log, sum",
    )
    p.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="value of a variable of --expr: a number (2.5), a list (1,2,3) or "
        "random numbers of a shape (randn(2,3) or 2x3); variables not given are "
        "random scalars",
    )
    p.add_argument(
        "-o",
        "--output",
        default="graph.svg",
        help="output file; its suffix picks the format: .svg .png .pdf .dot (default: graph.svg)",
    )
    p.add_argument(
        "--backward",
        action="store_true",
        help="draw the backward pass: the gradient at every tensor and the share "
        "flowing along every edge",
    )
    p.add_argument(
        "--values",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the values of tensors (default: on for --expr, off for the model)",
    )
    p.add_argument(
        "--collapse",
        nargs="*",
        metavar="MODULE",
        help="draw modules as one box each: all top-level ones, or those named "
        "(e.g. 0 3 CrossEntropyLoss)",
    )
    p.add_argument("--no-clusters", action="store_true", help="do not box the ops of each module")
    p.add_argument(
        "--max-nodes",
        type=int,
        default=250,
        help="collapse larger graphs and say so (default: 250)",
    )
    p.add_argument(
        "--rankdir",
        choices=["LR", "TB"],
        help="layout direction (default: TB for the model and deep graphs, else LR)",
    )
    p.add_argument(
        "--legend", action="store_true", help="add a key of the node styles used, under the title"
    )
    p.add_argument("--title", help="a title above the graph")
    model = p.add_argument_group("the model (without --expr; defaults as in tinygrad-nn train)")
    model.add_argument("--hidden", type=int, nargs="+", help="sizes of the hidden layers")
    model.add_argument("--activation", help="activation of the hidden layers")
    model.add_argument("--dropout", type=float, help="dropout probability (0 for none)")
    model.add_argument("--batch-size", type=int, help="digits in the batch")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.set_defaults(run=graph_command)
    return p


def graph_command(args: argparse.Namespace) -> int:
    """Run ``tinygrad-nn graph``; returns the exit status (0 ok, 1 no ``dot``, 2 bad input)."""
    from .display import DotNotFoundError, render

    try:
        _check_options(args)
        graph = _expression_graph(args) if args.expr is not None else _model_graph(args)
        path = render(graph, args.output)
    except DotNotFoundError as err:
        print(f"tinygrad-nn graph: {err}", file=sys.stderr)
        return 1
    except (ValueError, TypeError, OSError) as err:  # bad input: one line, never a traceback
        print(f"tinygrad-nn graph: error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {path} ({graph.n_nodes} nodes, {graph.n_edges} edges)")
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Refuse bad options before any work, naming the option."""
    from pathlib import Path

    from .. import checks
    from .display import FORMATS

    if Path(args.output).suffix.lower() not in FORMATS:
        raise ValueError(f"-o {args.output}: use a .svg, .png, .pdf or .dot file")
    checks.integer("--seed", args.seed, minimum=0)
    checks.integer("--max-nodes", args.max_nodes, minimum=1)
    if args.expr is not None and not args.expr.strip():
        raise ValueError("--expr is empty: give an expression such as 'tanh(a*b + c)'")


def _options(args: argparse.Namespace, values_default: bool) -> dict[str, Any]:
    collapse = args.collapse
    return dict(
        backward=args.backward,
        show_values=values_default if args.values is None else args.values,
        collapse=(True if collapse == [] else collapse),
        clusters=not args.no_clusters,
        max_nodes=args.max_nodes,
        rankdir=args.rankdir,
        legend=args.legend,
    )


def _expression_graph(args: argparse.Namespace) -> Any:
    from ..creation import tensor
    from .draw import draw_graph
    from .expr import evaluate, parse_value, variables

    given: dict[str, str] = {}
    for item in args.var:
        name, sep, spec = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--var {item!r}: write NAME=VALUE, e.g. --var a=2")
        given[name.strip()] = spec
    names = variables(args.expr)
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise ValueError(f"--var {', '.join(unknown)}: not in the expression {args.expr!r}")
    rng = np.random.default_rng(args.seed)
    values = {}
    for name in names:
        data = parse_value(given[name], rng) if name in given else _random_scalar(rng)
        values[name] = tensor(data, requires_grad=True)
    out = evaluate(args.expr, values)
    return draw_graph(out, names=values, title=args.title or args.expr, **_options(args, True))


def _random_scalar(rng: np.random.Generator) -> np.ndarray:
    return np.array(round(float(rng.standard_normal()), 2), np.float32)


def _model_graph(args: argparse.Namespace) -> Any:
    from .. import nn
    from ..datasets import load_digits
    from ..random import manual_seed
    from ..train import TrainConfig, build_mlp, check_config
    from .trace import trace

    d = TrainConfig()
    hidden = list(d.hidden if args.hidden is None else args.hidden)
    activation = args.activation or d.activation
    dropout = d.dropout if args.dropout is None else args.dropout
    batch = d.batch_size if args.batch_size is None else args.batch_size
    config = TrainConfig(tuple(hidden), activation, dropout=dropout, batch_size=batch)
    check_config(config, spell=lambda field: "--" + field.replace("_", "-"))
    manual_seed(args.seed)
    X, y = load_digits(as_tensors=True)
    x, target = X[:batch], y[:batch]
    model = build_mlp([X.shape[1], *hidden, 10], activation, dropout)
    loss_fn = nn.CrossEntropyLoss()
    with trace(model, loss_fn) as tr:
        loss = loss_fn(model(x), target)
    sizes = "-".join(str(n) for n in [X.shape[1], *hidden, 10])
    title = args.title or (
        f"MLP {sizes} ({activation}, dropout {dropout:g}) with cross-entropy loss on a batch "
        f"of {batch} digits"
    )
    return tr.draw(
        loss,
        names={"x": x, "target": target, "loss": loss},
        title=title,
        **_options(args, False),
    )
