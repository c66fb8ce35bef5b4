r"""Variable-length sequences for the recurrent layers, as ``torch.nn.utils.rnn``.

``pad_sequence`` stacks sequences of lengths $L_1, \dots, L_B$ into one (T, B, \*) tensor,
$T = \max_b L_b$, filling the rest with ``padding_value``. A ``PackedSequence`` keeps only
the real steps: with the sequences sorted by decreasing length, ``batch_sizes[t]`` $=
\#\{b : L_b > t\}$ and ``data`` holds, time step after time step, the ``batch_sizes[t]``
rows $x_{b,t}$ of the sequences still running; ``sorted_indices`` gives the batch order of
that sort (``None`` when the input was already sorted) and ``unsorted_indices`` its inverse.
The recurrent layers (``nn.RNN``, ``nn.LSTM``, ``nn.GRU``) accept one and step each
sequence over its own length only.

Every conversion is one row gather (a differentiable index), so gradients flow back to the
padded or packed input.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ...creation import cat, full
from ...tensor import Tensor, wrap

__all__ = [
    "PackedSequence",
    "pad_sequence",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pack_sequence",
    "unpad_sequence",
    "unpack_sequence",
]

_Fields = namedtuple(
    "PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"]
)


class PackedSequence(_Fields):
    """The rows of a batch of sequences, time step after time step, without padding:
    ``(data, batch_sizes, sorted_indices, unsorted_indices)``, made by
    ``pack_padded_sequence`` or ``pack_sequence`` (not by hand)."""

    __slots__ = ()

    def __new__(
        cls,
        data: Tensor,
        batch_sizes: Tensor,
        sorted_indices: Tensor | None = None,
        unsorted_indices: Tensor | None = None,
    ) -> PackedSequence:
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = wrap(_inverse(sorted_indices._data))
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The same sequence with ``data`` converted by ``Tensor.to`` (the sizes and
        indices stay int64)."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else self._replace(data=data)

    @property
    def is_cuda(self) -> bool:
        return False


def _inverse(permutation: np.ndarray) -> np.ndarray:
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(len(permutation))
    return inverse


def _gather(rows: Tensor, index: np.ndarray, padding_value: float) -> Tensor:
    """``rows[index]`` (a tensor of shape ``index.shape + rows.shape[1:]``) where ``index``
    is -1 at the padding, filled with ``padding_value``."""
    pad = full((1,) + tuple(rows.shape[1:]), padding_value, dtype=rows.dtype)
    return cat([rows, pad])[np.where(index < 0, rows.shape[0], index)]


def _lengths_array(lengths: Any) -> np.ndarray:
    """``lengths`` (a list or a tensor) as int64, as PyTorch converts it."""
    array = np.asarray(lengths._data if isinstance(lengths, Tensor) else lengths)
    if array.ndim != 1:
        raise RuntimeError(
            f"'lengths' argument should be a 1D int64 tensor, but got {array.ndim}D {array.dtype}"
        )
    return array.astype(np.int64)


def _packed_rows(batch_sizes: np.ndarray, steps: int | None = None) -> np.ndarray:
    """(steps, B): the row of ``data`` holding step t of the b-th longest sequence, -1 past
    its end (``steps`` defaults to the longest length)."""
    steps = len(batch_sizes) if steps is None else steps
    sizes = np.zeros(steps, np.int64)
    sizes[: len(batch_sizes)] = batch_sizes
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    column = np.arange(batch_sizes[0])
    return np.where(column < sizes[:, None], starts[:, None] + column, -1)


def pad_sequence(
    sequences: Iterable[Tensor] | Tensor,
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    r"""Stack sequences of shapes $(L_b, *)$ into $(T, B, *)$ (``batch_first``: $(B, T,
    *)$), $T = \max_b L_b$, the missing steps ``padding_value`` after each sequence
    (``padding_side="left"``: before it)."""
    if padding_side not in ("right", "left"):
        raise RuntimeError(
            f"Expected padding_side to be one of left or right, but got {padding_side}."
        )
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    trailing = tuple(sequences[0].shape[1:])
    for k, s in enumerate(sequences):
        if s.ndim == 0 or tuple(s.shape[1:]) != trailing:
            raise RuntimeError(
                f"pad_sequence: every sequence must have the shape (L, *{trailing}) of the "
                f"first, but sequence {k} has shape {tuple(s.shape)}"
            )
    lengths = np.array([s.shape[0] for s in sequences], np.int64)
    steps = np.arange(lengths.max(initial=0))[:, None]
    if padding_side == "left":
        steps = steps - (lengths.max(initial=0) - lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    index = np.where((steps >= 0) & (steps < lengths), starts + steps, -1)
    rows = cat(sequences) if len(sequences) > 1 else sequences[0]
    return _gather(rows, index.T if batch_first else index, padding_value)


def pack_padded_sequence(
    input: Tensor, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    r"""Pack the padded batch ``input`` (T, B, \*) (``batch_first``: (B, T, \*)) whose
    sequence b has ``lengths[b]`` steps. With ``enforce_sorted`` the lengths must be
    decreasing; else the batch is sorted here and the order kept in the result."""
    lengths = _lengths_array(lengths)
    batch = input.shape[0 if batch_first else 1] if input.ndim >= 2 else -1
    if len(lengths) != batch:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} "
            f"(batch_size={batch})"
        )
    if enforce_sorted:
        if np.any(np.diff(lengths) > 0):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability."
            )
        order = np.arange(batch)
        sorted_indices = None
    else:
        order = np.argsort(-lengths, kind="stable")
        sorted_indices = wrap(order)
    if lengths.size and lengths.min() <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in "
            "'lengths' that is <= 0"
        )
    steps = input.shape[1 if batch_first else 0]
    if lengths.max() > steps:
        raise RuntimeError(
            f"pack_padded_sequence: a length of {lengths.max()} is longer than the "
            f"{steps} steps of the input of shape {tuple(input.shape)}"
        )
    sorted_lengths = lengths[order]
    batch_sizes = (sorted_lengths[None, :] > np.arange(sorted_lengths[0])[:, None]).sum(1)
    t, b = np.nonzero(_packed_rows(batch_sizes) >= 0)  # step after step, as packed data
    index = (order[b], t) if batch_first else (t, order[b])
    return PackedSequence(input[index], wrap(batch_sizes), sorted_indices)


def _padded_sorted(sequence: PackedSequence) -> Tensor:
    """The packed batch as (T, B, \\*), zero-padded, in the sorted order of ``data``."""
    return _gather(sequence.data, _packed_rows(sequence.batch_sizes._data), 0.0)


def _pack_sorted(padded: Tensor, batch_sizes: Tensor) -> Tensor:
    """The ``data`` of a packed sequence from its (T, B, \\*) padded form, sorted order."""
    t, b = np.nonzero(_packed_rows(batch_sizes._data) >= 0)
    return padded[t, b]


def _lengths_of(batch_sizes: np.ndarray) -> np.ndarray:
    """The length of each sequence of a packed batch, longest first."""
    return (batch_sizes[:, None] > np.arange(batch_sizes[0])).sum(0)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    r"""The inverse of ``pack_padded_sequence``: the padded batch (T, B, \*) (``batch_first``:
    (B, T, \*)) in the original batch order, and the lengths (int64). ``total_length`` pads
    to that many steps instead of the longest sequence's."""
    sizes = sequence.batch_sizes._data
    steps = len(sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{steps}"
            )
        steps = total_length
    rows, lengths = _packed_rows(sizes, steps), _lengths_of(sizes)
    if sequence.unsorted_indices is not None:
        unsorted = sequence.unsorted_indices._data
        rows, lengths = rows[:, unsorted], lengths[unsorted]
    padded = _gather(sequence.data, rows.T if batch_first else rows, padding_value)
    return padded, wrap(lengths.astype(np.int64))


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences of shapes (L_b, \\*): ``pack_padded_sequence`` of their
    ``pad_sequence``."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(
    padded_sequences: Tensor, lengths: Any, batch_first: bool = False
) -> list[Tensor]:
    """The inverse of ``pad_sequence``: the first ``lengths[b]`` steps of each sequence."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[: int(n)] for seq, n in zip(padded_sequences, _lengths_array(lengths))]


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The inverse of ``pack_sequence``: the list of sequences, in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
