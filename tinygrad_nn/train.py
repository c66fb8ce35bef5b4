"""The main job: train a network (``--model``: an MLP, a small CNN, or a spiking network of
LIF neurons) on the bundled 8×8 handwritten digits with mini-batch SGD, momentum and dropout
(notes §11–§14), and save a checkpoint, learning curves and metrics. The models are a small
registry, ``MODELS``, of one ``ModelSpec`` each; the training loop is shared."""

from __future__ import annotations

import importlib.util
import json
import math
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import checks, nn, snn
from .atomic import atomic_write
from .data import DataLoader, TensorDataset, random_split
from .datasets import load_digits
from .grad_mode import no_grad
from .optim import SGD
from .random import manual_seed
from .serialization import save
from .tensor import Tensor

__all__ = [
    "TrainConfig",
    "DivergenceError",
    "ModelSpec",
    "build_mlp",
    "build_cnn",
    "build_snn",
    "check_config",
    "evaluate",
    "train",
    "plot_learning_curves",
    "plot_spike_raster",
    "draw_spike_raster",
]

ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "arctan": nn.Arctan}


@dataclass
class TrainConfig:
    """The settings of a training run (the options of ``tinygrad-nn train``).

    Attributes
    ----------
    hidden : tuple of int
        The sizes of the hidden (fully connected) layers; the input (64 pixels, or the CNN's
        512 features) and output (10) sizes are the data's.
    activation : str
        ``"relu"``, ``"sigmoid"``, ``"tanh"`` or ``"arctan"``.
    epochs, batch_size : int
        Passes over the training set, and examples per SGD step.
    lr, momentum, dropout, weight_decay : float
        Learning rate, momentum of SGD, dropout probability after each hidden layer, and the
        L2 penalty (SGD's ``weight_decay``).
    seed : int
        Seeds the split, the initial weights, the shuffling and dropout: a run is repeatable.
    out : str
        The folder for ``model.npz``, ``metrics.json`` and ``learning_curves.png``.
    splits : tuple of float
        The fractions for training, validation and test.
    progress, plot : bool
        Show a progress bar; draw the learning curves.
    model : str
        A name in ``MODELS``: ``"mlp"``, ``"cnn"`` (two 3×3 convolutions, pooling, then
        the hidden layers) or ``"snn"`` (the hidden and output layers are LIF neurons, the
        pixels rate-coded over ``SNN_STEPS`` steps; ``activation`` is unused).
    """

    hidden: tuple[int, ...] = (128,)
    activation: str = "relu"
    epochs: int = 30
    batch_size: int = 32
    lr: float = 0.05
    momentum: float = 0.9
    dropout: float = 0.1
    weight_decay: float = 1e-4
    seed: int = 0
    out: str = "runs"
    splits: tuple[float, float, float] = (0.7, 0.15, 0.15)
    progress: bool = True
    plot: bool = True
    model: str = "mlp"  # last, so that positional construction keeps working


class DivergenceError(FloatingPointError):
    """Training stopped because the loss became NaN or infinite (nothing was saved)."""


#: Settings beyond these are refused before any work: they diverge, or cannot fit in memory.
MAX_LR = 10.0
MAX_PARAMETERS = 10**8
#: The loss growing this many times above its first value is reported as a warning.
LOSS_GROWTH_WARNING = 100.0


def check_config(config: TrainConfig, spell: Callable[[str], str] = str) -> None:
    """Refuse settings that cannot train (non-finite, out of range, too big) with an error
    naming the setting as ``spell(field)`` (the CLI spells ``lr`` as ``--lr``)."""
    for n in config.hidden:
        checks.integer(spell("hidden"), n, minimum=1)
    if not config.hidden:
        raise ValueError(f"{spell('hidden')} needs at least one layer size")
    if config.activation not in ACTIVATIONS:
        raise ValueError(
            f"{spell('activation')} must be one of {sorted(ACTIVATIONS)}, got {config.activation!r}"
        )
    if config.model not in MODELS:
        raise ValueError(f"{spell('model')} must be one of {sorted(MODELS)}, got {config.model!r}")
    spec = MODELS[config.model]
    sizes = [spec.features, *config.hidden, 10]
    n_params = spec.front_parameters + sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    if n_params > MAX_PARAMETERS:
        raise ValueError(
            f"{spell('hidden')} {' '.join(map(str, config.hidden))} makes {n_params:,} "
            f"parameters, more than the {MAX_PARAMETERS:,} allowed"
        )
    checks.integer(spell("epochs"), config.epochs, minimum=1)
    checks.integer(spell("batch_size"), config.batch_size, minimum=1)
    checks.integer(spell("seed"), config.seed, minimum=0)
    checks.in_range(spell("lr"), config.lr, 0.0, MAX_LR, open_low=True)
    checks.in_range(spell("momentum"), config.momentum, 0.0, 1.0, open_high=True)
    checks.in_range(spell("dropout"), config.dropout, 0.0, 1.0, open_high=True)
    checks.in_range(spell("weight_decay"), config.weight_decay, 0.0, 1.0)


def prepare_out(out: str, spell: Callable[[str], str] = str) -> Path:
    """Create the output folder ``out`` and make sure files can be written in it."""
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ValueError(f"{spell('out')} {out!r}: cannot write there ({reason})") from None
    return path


class _LossWatch:
    """Follows the training loss: stops at the first non-finite value, warns once when it
    grows ``LOSS_GROWTH_WARNING`` times above its first value."""

    def __init__(self, lr: float, out: Path) -> None:
        self.lr, self.out = lr, out
        self.first: tuple[float, str] | None = None
        self.warned = False

    def finite(self, loss: float, where: str) -> None:
        if not math.isfinite(loss):
            raise DivergenceError(
                f"training diverged: the loss is {loss} at {where} (lr={self.lr:g}); nothing "
                f"was saved to {self.out}. Hint: lower the learning rate (e.g. lr="
                f"{self.lr / 10:g}), the momentum or the weight decay; tnn.detect_anomaly() "
                "names the first backward that made a NaN"
            )

    def check(self, loss: float, where: str) -> None:
        self.finite(loss, where)
        if self.first is None:
            self.first = (loss, where)
        elif not self.warned and loss > LOSS_GROWTH_WARNING * max(self.first[0], 1e-12):
            self.warned = True
            warnings.warn(
                f"the loss grew from {self.first[0]:.3g} ({self.first[1]}) to {loss:.3g} "
                f"({where}) with lr={self.lr:g}: training may be diverging; lower the "
                "learning rate",
                RuntimeWarning,
                stacklevel=3,
            )


def build_mlp(sizes: list[int], activation: str = "relu", dropout: float = 0.0) -> nn.Sequential:
    """``Linear → activation → Dropout`` for each hidden layer, then a ``Linear`` to the logits."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {sorted(ACTIVATIONS)}")
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(n_in, n_out), ACTIVATIONS[activation]()]
        if dropout:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers)


#: The CNN's convolutions: 1 -> 16 -> 32 maps of 3×3 filters, then 2×2 max pooling of the
#: 8×8 maps to 32 maps of 4×4, the features of its fully connected layers.
CNN_CHANNELS = (1, 16, 32)
CNN_FEATURES = CNN_CHANNELS[-1] * 4 * 4
CNN_CONV_PARAMETERS = sum((a * 9 + 1) * b for a, b in zip(CNN_CHANNELS[:-1], CNN_CHANNELS[1:]))


def build_cnn(
    hidden: tuple[int, ...] = (128,), activation: str = "relu", dropout: float = 0.0
) -> nn.Sequential:
    r"""A small CNN for rows of 64 pixels: ``Unflatten`` to 1×8×8, two 3×3 convolutions
    (16 and 32 feature maps, ``padding="same"``) each followed by the activation, 2×2 max
    pooling to 32×4×4, ``Dropout``, then ``build_mlp([512, *hidden, 10])``: each feature map
    is $a(b_o + \sum_{c,k,l} w[o,c,k,l]\, x[c, i+k-1, j+l-1])$."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {sorted(ACTIVATIONS)}")
    layers: list[nn.Module] = [nn.Unflatten(1, (1, 8, 8))]
    for c_in, c_out in zip(CNN_CHANNELS[:-1], CNN_CHANNELS[1:]):
        layers += [nn.Conv2d(c_in, c_out, 3, padding="same"), ACTIVATIONS[activation]()]
    layers += [nn.MaxPool2d(2), nn.Dropout(dropout), nn.Flatten()]
    head = build_mlp([CNN_FEATURES, *hidden, 10], activation, dropout)
    return nn.Sequential(*layers, *head)


#: The spiking network of ``--model snn``: the decay $\beta$ of its LIF layers and the
#: number of time steps each digit is shown for.
SNN_BETA, SNN_STEPS = 0.9, 25


def build_snn(
    sizes: list[int], dropout: float = 0.0, beta: float = SNN_BETA, num_steps: int = SNN_STEPS
) -> snn.RateCoded:
    r"""``Linear → Leaky`` for each layer (LIF neurons of notes §2.1, $U[t+1] = \beta U[t] +
    I[t+1] - R\,U_{thr}$, atan surrogate), ``Dropout`` after each hidden one, run by
    ``snn.RateCoded`` on the pixels as Bernoulli spikes for ``num_steps`` steps: the output
    is the spike record of the last layer, shape (num_steps, batch, classes)."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers += [nn.Linear(n_in, n_out), snn.Leaky(beta=beta, init_hidden=True)]
        if dropout and i < len(sizes) - 2:
            layers.append(nn.Dropout(dropout))
    return snn.RateCoded(nn.Sequential(*layers), num_steps)


def plot_spike_raster(model: snn.RateCoded, dataset: Any, path: Path, n: int = 4) -> None:
    """The output spikes of ``model`` for the first ``n`` digits of ``dataset``
    (``draw_spike_raster``), as a PNG."""
    from matplotlib.figure import Figure

    x, t = next(iter(DataLoader(dataset, batch_size=n)))
    model.eval()
    with no_grad():
        spikes = model(x)
    fig = Figure(figsize=(2.2 * n, 4.4))
    draw_spike_raster(fig, x, t, spikes)
    atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=120))


def draw_spike_raster(fig: Any, x: Tensor, t: Tensor, spikes: Tensor) -> None:
    """Into the matplotlib figure ``fig``: each digit of ``x`` (rows of 64 pixels) over a
    raster of its output spikes ``spikes[:, k]`` (shape (steps, batch, classes)), the row of
    its target ``t[k]`` shaded."""
    images, targets, spk = x.numpy(force=True), t.numpy(), spikes.numpy(force=True)
    steps, n, classes = spk.shape
    axes = fig.subplots(2, n, gridspec_kw={"height_ratios": [1, 1.3]}, squeeze=False)
    for k in range(n):
        target = int(targets[k])
        axes[0, k].imshow(images[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        axes[0, k].set(xticks=[], yticks=[], title=f"digit {target}")
        ax = axes[1, k]
        ax.axhspan(target - 0.5, target + 0.5, color="tab:orange", alpha=0.25)
        snn.spikeplot.raster(spk[:, k], ax, s=6, c="black")
        ax.set(xlim=(-0.5, steps - 0.5), ylim=(-0.5, classes - 0.5), yticks=range(classes))
        ax.set(xlabel="time step", ylabel="output neuron" if k == 0 else "")
    fig.suptitle("Output spikes for test digits (target neuron shaded)")
    fig.tight_layout()


def _logits(out: Tensor) -> Tensor:
    return out


def _spike_counts(spikes: Tensor) -> Tensor:
    return spikes.sum(0)


LEARNING_CURVES = "learning_curves.png"


@dataclass(frozen=True)
class ModelSpec:
    """What the training job knows of one ``--model``: adding a model is one entry of
    ``MODELS``.

    Attributes
    ----------
    build : callable
        The network for a ``TrainConfig``; it maps rows of 64 pixels to ``scores``' input.
    about : str
        What it is, in a few words, for ``tinygrad-nn train --help`` ("" for none).
    features : int
        The inputs of its fully connected layers: the 64 pixels, or the CNN's 512 features.
    front : str
        The layers before those, for the title of the learning curves ("" for none).
    front_parameters : int
        The parameters of those layers (the CNN's convolutions).
    units : str or None
        The hidden units, for the title; None: the config's ``activation``.
    loss : callable
        Makes the loss of an output and the targets, a mean over the batch.
    scores : callable
        The class scores of an output; the prediction is their argmax.
    picture : (str, callable) or None
        An extra PNG written after training, and the function that draws the trained model
        on test digits into it (``plot_spike_raster``'s arguments).
    """

    build: Callable[[TrainConfig], nn.Module]
    about: str = ""
    features: int = 64
    front: str = ""
    front_parameters: int = 0
    units: str | None = None
    loss: Callable[[], Callable[[Tensor, Tensor], Tensor]] = nn.CrossEntropyLoss
    scores: Callable[[Tensor], Tensor] = _logits
    picture: tuple[str, Callable[[nn.Module, Any, Path], None]] | None = None

    @property
    def pictures(self) -> tuple[str, ...]:
        """The PNG files a run with plots writes."""
        return (LEARNING_CURVES, self.picture[0]) if self.picture else (LEARNING_CURVES,)


#: ``--model`` name -> its spec. An SNN's output is its spike record: ``ce_rate_loss``, and
#: the most active output neuron wins.
MODELS: dict[str, ModelSpec] = {
    "mlp": ModelSpec(lambda c: build_mlp([64, *c.hidden, 10], c.activation, c.dropout)),
    "cnn": ModelSpec(
        lambda c: build_cnn(c.hidden, c.activation, c.dropout),
        about="two 3x3 conv layers and pooling before --hidden",
        features=CNN_FEATURES,
        front=f"conv {'-'.join(map(str, CNN_CHANNELS))} 3×3, pool, ",
        front_parameters=CNN_CONV_PARAMETERS,
    ),
    "snn": ModelSpec(
        lambda c: build_snn([64, *c.hidden, 10], c.dropout),
        about=f"LIF neurons on the digits rate-coded over {SNN_STEPS} steps, trained by "
        "backpropagation through time; --activation is unused",
        units=f"LIF, T = {SNN_STEPS}",
        loss=snn.functional.ce_rate_loss,
        scores=_spike_counts,
        picture=("spike_raster.png", plot_spike_raster),
    ),
}


def evaluate(
    model: nn.Module,
    loader: DataLoader,
    loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None,
    scores: Callable[[Tensor], Tensor] = _logits,
) -> tuple[float, float]:
    """Mean loss (cross-entropy unless ``loss_fn``, a mean over the batch, is given) and
    accuracy of ``model`` over ``loader``, in eval mode; the prediction is the argmax of
    ``scores(model(x))``."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with no_grad():
        for x, y in loader:
            out = model(x)
            if loss_fn is None:
                total_loss += nn.functional.cross_entropy(out, y, reduction="sum").item()
            else:
                total_loss += loss_fn(out, y).item() * len(y)
            correct += int((scores(out)._data.argmax(-1) == y._data).sum())
            count += len(y)
    return total_loss / count, correct / count


def train(config: TrainConfig) -> dict[str, Any]:
    """Train, evaluate on the held-out test split, write the outputs, return the metrics.

    Raises ``ValueError`` for settings that cannot train (see ``check_config``) and
    ``DivergenceError`` at the first non-finite loss, before anything is written."""
    check_config(config)
    if config.plot and importlib.util.find_spec("matplotlib") is None:  # fail before, not after
        raise ImportError(
            "the learning-curve plot needs matplotlib: pip install 'tinygrad_nn[train]' "
            "(or pass --no-plot)"
        )
    manual_seed(config.seed)
    X, y = load_digits()
    data = TensorDataset(X, y)
    train_set, val_set, test_set = random_split(data, list(config.splits))
    loader = DataLoader(train_set, batch_size=config.batch_size, shuffle=True)
    train_eval_loader = DataLoader(train_set, batch_size=512)
    val_loader = DataLoader(val_set, batch_size=512)
    test_loader = DataLoader(test_set, batch_size=512)

    spec = MODELS[config.model]
    model = spec.build(config)
    optimizer = SGD(
        model.parameters(),
        lr=config.lr,
        momentum=config.momentum,
        weight_decay=config.weight_decay,
    )
    loss_fn, scores = spec.loss(), spec.scores
    out = prepare_out(config.out)
    watch = _LossWatch(config.lr, out)

    bar = _progress(config.epochs, config.progress)
    seconds = 0.0  # time spent in training steps, evaluation excluded
    history: list[dict[str, float]] = []
    for epoch in range(1, config.epochs + 1):
        start = time.perf_counter()
        model.train()
        for step, (x, t) in enumerate(loader, start=1):
            optimizer.zero_grad()
            loss = loss_fn(model(x), t)
            watch.check(loss.item(), f"epoch {epoch}, step {step} of {len(loader)}")
            loss.backward()
            optimizer.step()
        seconds += time.perf_counter() - start
        train_loss, train_acc = evaluate(model, train_eval_loader, loss_fn, scores)
        val_loss, val_acc = evaluate(model, val_loader, loss_fn, scores)
        watch.finite(train_loss + val_loss, f"the evaluation after epoch {epoch}")
        row = dict(
            epoch=epoch,
            train_loss=train_loss,
            train_accuracy=train_acc,
            val_loss=val_loss,
            val_accuracy=val_acc,
        )
        history.append(row)
        bar.set_postfix(loss=f"{train_loss:.3f}", val_acc=f"{val_acc:.3f}")
        bar.write(
            f"epoch {epoch:3d}  train loss {train_loss:.4f} acc {train_acc:.4f}  "
            f"val loss {val_loss:.4f} acc {val_acc:.4f}"
        )
        bar.update()
    bar.close()
    test_loss, test_acc = evaluate(model, test_loader, loss_fn, scores)
    watch.finite(test_loss, "the final test")
    save(model.state_dict(), out / "model.npz")
    metrics = {
        "test_accuracy": test_acc,
        "test_loss": test_loss,
        "train_seconds": seconds,
        "history": history,
        "config": asdict(config),
        "sizes": {"train": len(train_set), "val": len(val_set), "test": len(test_set)},
    }
    _write_json(metrics, out / "metrics.json")
    if config.plot:
        plot_learning_curves(history, out / LEARNING_CURVES, test_acc, _describe(config))
        if spec.picture:
            name, draw = spec.picture
            draw(model, test_set, out / name)
    return metrics


class _Quiet:
    """Stands in for a tqdm bar when progress is off: no output, no tqdm needed."""

    def set_postfix(self, **kwargs: Any) -> None:
        pass

    def write(self, text: str) -> None:
        pass

    def update(self) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool) -> Any:
    if not enabled:
        return _Quiet()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError(
            "the progress bar needs tqdm: pip install 'tinygrad_nn[train]' (or pass --no-progress)"
        ) from None
    return tqdm(total=total, desc="training", unit="epoch")


def _write_json(obj: Any, path: Path) -> None:
    text = json.dumps(obj, indent=2).encode()
    atomic_write(path, lambda fh: fh.write(text))


def _describe(config: TrainConfig) -> str:
    """The configuration in one line, for the title of the learning curves."""
    spec = MODELS[config.model]
    sizes = "-".join(map(str, (spec.features, *config.hidden, 10)))
    units = spec.units or config.activation
    kind = f"{config.model.upper()} {spec.front}{sizes} on the 8×8 digits ({units}"
    return (
        f"{kind}, dropout {config.dropout:g}): "
        f"SGD lr {config.lr:g}, momentum {config.momentum:g}, weight decay "
        f"{config.weight_decay:g}, batch {config.batch_size}, {config.epochs} epochs, "
        f"seed {config.seed}"
    )


def plot_learning_curves(
    history: list[dict[str, float]],
    path: Path,
    test_acc: float,
    title: str = "MLP on the 8×8 digits",
) -> None:
    """Loss and accuracy per epoch for the training and validation sets, as a PNG, under
    ``title`` (the training job writes its configuration there)."""
    from matplotlib.figure import Figure  # not pyplot: no global backend or figure state

    epochs = [h["epoch"] for h in history]
    fig = Figure(figsize=(10, 4))
    ax_loss, ax_acc = fig.subplots(1, 2)
    for split, style in (("train", "-"), ("val", "--")):
        label = "training" if split == "train" else "validation"
        ax_loss.plot(epochs, [h[f"{split}_loss"] for h in history], style, label=label)
        ax_acc.plot(epochs, [100 * h[f"{split}_accuracy"] for h in history], style, label=label)
    ax_acc.axhline(
        100 * test_acc, color="gray", lw=0.8, ls=":", label=f"test {100 * test_acc:.1f}%"
    )
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="Loss", yscale="log")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=120))
