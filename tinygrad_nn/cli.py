"""The ``tinygrad-nn`` command: ``train`` (the main job), ``graph`` (draw a computation
graph) and ``sweep`` (run train over a grid of options and seeds)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


class _Defaults(argparse.ArgumentDefaultsHelpFormatter):
    """Shows the default of options that take a value; on/off flags are off unless given."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.nargs == 0:
            return action.help
        return super()._get_help_string(action)


def _add_train_parser(sub: argparse._SubParsersAction) -> None:
    from .train import ACTIVATIONS, MODELS, TrainConfig

    d = TrainConfig()
    models = [f"{name} ({spec.about})" if spec.about else name for name, spec in MODELS.items()]
    p = sub.add_parser(
        "train",
        help="train an MLP, a CNN or a spiking network on the bundled 8x8 digits",
        description="Train a network (--model) on the bundled 8x8 handwritten digits with "
        "mini-batch SGD, momentum and dropout. Writes model.npz, metrics.json and "
        "learning_curves.png to --out (and spike_raster.png for --model snn).",
        formatter_class=_Defaults,
    )
    p.add_argument(
        "--model",
        choices=sorted(MODELS),
        default=d.model,
        help=f"the network: {'; '.join(models[:-1])}; or {models[-1]}",
    )
    p.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        default=list(d.hidden),
        help="sizes of the hidden layers, e.g. --hidden 128 64",
    )
    p.add_argument(
        "--activation",
        choices=sorted(ACTIVATIONS),
        default=d.activation,
        help="activation of the hidden layers",
    )
    p.add_argument("--epochs", type=int, default=d.epochs, help="passes over the training set")
    p.add_argument("--batch-size", type=int, default=d.batch_size, help="mini-batch size")
    p.add_argument("--lr", type=float, default=d.lr, help="learning rate of SGD")
    p.add_argument("--momentum", type=float, default=d.momentum, help="SGD momentum (0 for none)")
    p.add_argument(
        "--dropout",
        type=float,
        default=d.dropout,
        help="dropout probability after each hidden layer (0 for none)",
    )
    p.add_argument(
        "--weight-decay",
        type=float,
        default=d.weight_decay,
        help="L2 weight decay added to the gradient",
    )
    p.add_argument("--seed", type=int, default=d.seed, help="random seed (split, init, batches)")
    p.add_argument("--out", default=d.out, help="output folder")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--no-plot", action="store_true", help="do not draw learning_curves.png")
    p.set_defaults(run=_run_train, parser=p)


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def _run_train(args: argparse.Namespace) -> int:
    from .train import MODELS, DivergenceError, TrainConfig, check_config, prepare_out, train

    config = TrainConfig(
        model=args.model,
        hidden=tuple(args.hidden),
        activation=args.activation,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        momentum=args.momentum,
        dropout=args.dropout,
        weight_decay=args.weight_decay,
        seed=args.seed,
        out=args.out,
        progress=not args.no_progress,
        plot=not args.no_plot,
    )
    try:  # refuse bad options up front, as a one-line usage error (exit status 2)
        check_config(config, spell=_option)
        prepare_out(config.out, spell=_option)
    except (TypeError, ValueError) as err:
        args.parser.error(str(err))
    try:
        metrics = train(config)
    except DivergenceError as err:
        print(f"tinygrad-nn train: error: {err}", file=sys.stderr)
        return 1
    print(
        f"test accuracy {100 * metrics['test_accuracy']:.2f}% on {metrics['sizes']['test']} "
        f"held-out digits ({metrics['train_seconds']:.2f} s of training)"
    )
    plots = [] if args.no_plot else list(MODELS[args.model].pictures)
    written = ["model.npz", "metrics.json", *plots]
    print("wrote " + ", ".join(f"{args.out}/{name}" for name in written))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tinygrad-nn",
        description="tinygrad_nn from the command line: train the main job's network, or draw "
        "a computation graph. 'tinygrad-nn COMMAND --help' describes each command.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_train_parser(sub)
    try:
        from .viz.cli import add_graph_parser
    except ImportError:
        pass
    else:
        add_graph_parser(sub)
    from .sweep.cli import add_sweep_parser

    add_sweep_parser(sub)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
