r"""Image augmentation for batches of images, numpy only (notes §11.2, data augmentation).

"Generate more valid samples by shifting or rotating images": the transforms keep the label.
Each works on one image or a batch, shaped ``(..., H, W)``, or flat ``(..., H*W)`` when
``image_shape=(H, W)`` is given (e.g. the 8x8 digits stored as 64 columns); a Tensor in
gives a Tensor out, an array in an array out, same shape and dtype. Each image of a batch
draws its own shift or angle, from ``generator`` or the global one (``tinygrad_nn.random``).

Shift by $(d_r, d_c)$ pixels: $y[r, c] = x[r - d_r, c - d_c]$, zero outside.
Rotation by $\theta$ counter-clockwise about the centre
$(c_r, c_c) = ((H-1)/2, (W-1)/2)$: output pixel $(r, c)$ reads the input at
$r_s = c_r + \sin\theta\,(c - c_c) + \cos\theta\,(r - c_r)$,
$c_s = c_c + \cos\theta\,(c - c_c) - \sin\theta\,(r - c_r)$,
interpolated bilinearly (or nearest), zero outside.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..random import resolve_generator
from ..tensor import Tensor, wrap

__all__ = ["Compose", "RandomRotation", "RandomShift", "rotate", "shift"]


def _image_shape(image_shape: int | Sequence[int] | None) -> tuple[int, int] | None:
    if image_shape is None:
        return None
    if isinstance(image_shape, int):
        image_shape = (image_shape, image_shape)
    shape = tuple(int(s) for s in image_shape)
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"image_shape must be (H, W) with H, W >= 1, got {image_shape!r}")
    return shape


class _Batch:
    """The input seen as an array of images ``(N, H, W)``; ``restore`` undoes the view."""

    def __init__(self, x: Any, image_shape: tuple[int, int] | None, op: str) -> None:
        self.is_tensor = isinstance(x, Tensor)
        arr = x._data if self.is_tensor else np.asarray(x)
        self.shape = arr.shape
        if image_shape is None:
            if arr.ndim < 2:
                raise ValueError(
                    f"{op}: expected images shaped (..., H, W), got shape {arr.shape}; "
                    "for flat images pass image_shape=(H, W)"
                )
            hw = arr.shape[-2:]
            lead = arr.shape[:-2]
        else:
            if arr.ndim < 1 or arr.shape[-1] != image_shape[0] * image_shape[1]:
                raise ValueError(
                    f"{op}: image_shape={image_shape} needs a last dim of "
                    f"{image_shape[0] * image_shape[1]}, got shape {arr.shape}"
                )
            hw = image_shape
            lead = arr.shape[:-1]
        self.images = arr.reshape((math.prod(lead), *hw))

    def restore(self, images: np.ndarray) -> Any:
        out = images.reshape(self.shape)
        return wrap(out) if self.is_tensor else out


def _check_interpolation(interpolation: str, op: str) -> None:
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError(
            f"{op}: interpolation must be 'bilinear' or 'nearest', got {interpolation!r}"
        )


def _padded(images: np.ndarray) -> np.ndarray:
    """The images with a border of zeros one pixel wide, for :func:`_gather`."""
    n, h, w = images.shape
    out = np.zeros((n, h + 2, w + 2), dtype=images.dtype)
    out[:, 1:-1, 1:-1] = images
    return out


def _gather(padded: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``images[n, rows, cols]`` per image, zero where (rows, cols) falls outside; takes
    ``_padded(images)``: indices outside are clipped onto its zero border."""
    n, hp, wp = padded.shape
    base = np.arange(0, n * hp * wp, hp * wp).reshape(n, 1, 1)
    r = np.minimum(np.maximum(rows, -1), hp - 2) + 1  # np.clip is slower on small arrays
    c = np.minimum(np.maximum(cols, -1), wp - 2) + 1
    flat = base + r * wp + c
    return padded.reshape(-1).take(flat)


def shift(images: Any, shifts: np.ndarray, image_shape: Any = None) -> Any:
    """Move each image by integer ``shifts[k] = (d_r, d_c)`` pixels (down, right), zero fill.

    ``shifts`` has shape ``(N, 2)`` for N images (or ``(2,)``, the same for all).
    """
    batch = _Batch(images, _image_shape(image_shape), "shift")
    imgs = batch.images
    n, h, w = imgs.shape
    d = np.broadcast_to(np.asarray(shifts), (n, 2))
    if not np.issubdtype(d.dtype, np.integer):
        raise TypeError(f"shift: shifts must be integers, got dtype {d.dtype}")
    rows = np.arange(h).reshape(1, h, 1) - d[:, 0].reshape(n, 1, 1)
    cols = np.arange(w).reshape(1, 1, w) - d[:, 1].reshape(n, 1, 1)
    return batch.restore(_gather(_padded(imgs), rows, cols))


def rotate(
    images: Any, degrees: Any, interpolation: str = "bilinear", image_shape: Any = None
) -> Any:
    """Rotate each image by ``degrees[k]`` counter-clockwise about its centre, zero fill.

    ``degrees`` is a scalar or one angle per image; ``interpolation`` is "bilinear" or
    "nearest". Integer images are rounded back to their dtype.
    """
    _check_interpolation(interpolation, "rotate")
    batch = _Batch(images, _image_shape(image_shape), "rotate")
    imgs = batch.images
    n, h, w = imgs.shape
    theta = np.deg2rad(np.broadcast_to(np.asarray(degrees, dtype=np.float64), (n,)))
    sin, cos = np.sin(theta).reshape(n, 1, 1), np.cos(theta).reshape(n, 1, 1)
    cr, cc = (h - 1) / 2, (w - 1) / 2
    dr = np.arange(h).reshape(1, h, 1) - cr
    dc = np.arange(w).reshape(1, 1, w) - cc
    src_r = cr + sin * dc + cos * dr
    src_c = cc + cos * dc - sin * dr
    padded = _padded(imgs)
    if interpolation == "nearest":
        return batch.restore(
            _gather(padded, np.rint(src_r).astype(np.intp), np.rint(src_c).astype(np.intp))
        )
    r0, c0 = np.floor(src_r), np.floor(src_c)
    fr, fc = src_r - r0, src_c - c0
    r0, c0 = r0.astype(np.intp), c0.astype(np.intp)
    top = (1 - fc) * _gather(padded, r0, c0) + fc * _gather(padded, r0, c0 + 1)
    bottom = (1 - fc) * _gather(padded, r0 + 1, c0) + fc * _gather(padded, r0 + 1, c0 + 1)
    out = (1 - fr) * top + fr * bottom
    if not np.issubdtype(imgs.dtype, np.floating):
        out = np.rint(out)
    return batch.restore(out.astype(imgs.dtype, copy=False))


class _RandomImageTransform:
    """View the input as images ``(N, H, W)``, apply ``_apply`` with the generator, restore."""

    def __init__(
        self, image_shape: int | Sequence[int] | None, generator: np.random.Generator | None
    ) -> None:
        self.image_shape = _image_shape(image_shape)
        self.generator = resolve_generator(generator, type(self).__name__)  # once: see DataLoader

    def _apply(self, images: np.ndarray, gen: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, images: Any) -> Any:
        name = type(self).__name__
        batch = _Batch(images, self.image_shape, name)
        return batch.restore(self._apply(batch.images, self.generator))


class RandomShift(_RandomImageTransform):
    """Shift each image by integers drawn uniformly from ``[-max_shift, max_shift]`` in each
    direction, zero fill (see :func:`shift`)."""

    def __init__(
        self,
        max_shift: int,
        image_shape: int | Sequence[int] | None = None,
        generator: np.random.Generator | None = None,
    ) -> None:
        try:
            max_shift = operator.index(max_shift)
        except TypeError:
            raise TypeError(f"RandomShift: max_shift must be an int, got {max_shift!r}") from None
        if max_shift < 0:
            raise ValueError(f"RandomShift: max_shift must be >= 0, got {max_shift}")
        super().__init__(image_shape, generator)
        self.max_shift = max_shift

    def _apply(self, images: np.ndarray, gen: np.random.Generator) -> np.ndarray:
        m = self.max_shift
        return shift(images, gen.integers(-m, m + 1, size=(images.shape[0], 2)))

    def __repr__(self) -> str:
        return f"RandomShift(max_shift={self.max_shift}, image_shape={self.image_shape})"


class RandomRotation(_RandomImageTransform):
    """Rotate each image by an angle drawn uniformly from ``[-max_degrees, max_degrees]``
    (see :func:`rotate`)."""

    def __init__(
        self,
        max_degrees: float,
        interpolation: str = "bilinear",
        image_shape: int | Sequence[int] | None = None,
        generator: np.random.Generator | None = None,
    ) -> None:
        if not (isinstance(max_degrees, (int, float)) and math.isfinite(max_degrees)):
            raise TypeError(
                f"RandomRotation: max_degrees must be a finite number, got {max_degrees!r}"
            )
        if max_degrees < 0:
            raise ValueError(f"RandomRotation: max_degrees must be >= 0, got {max_degrees}")
        _check_interpolation(interpolation, "RandomRotation")
        super().__init__(image_shape, generator)
        self.max_degrees = float(max_degrees)
        self.interpolation = interpolation

    def _apply(self, images: np.ndarray, gen: np.random.Generator) -> np.ndarray:
        d = self.max_degrees
        return rotate(images, gen.uniform(-d, d, size=images.shape[0]), self.interpolation)

    def __repr__(self) -> str:
        return (
            f"RandomRotation(max_degrees={self.max_degrees}, "
            f"interpolation={self.interpolation!r}, image_shape={self.image_shape})"
        )


class Compose:
    """Apply ``transforms`` one after the other."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)
        for k, t in enumerate(self.transforms):
            if not callable(t):
                raise TypeError(f"Compose: transform {k} is not callable: {t!r}")

    def __call__(self, x: Any) -> Any:
        for t in self.transforms:
            x = t(x)
        return x

    def __repr__(self) -> str:
        inner = ", ".join(repr(t) for t in self.transforms)
        return f"Compose([{inner}])"
