"""Devices, as PyTorch names them: tinygrad_nn computes on the CPU with numpy, so ``"cpu"`` is
the one device there is.

``device("cuda")`` can be built (as in PyTorch, where it describes a device without touching
it), but putting a tensor or a module there raises a ``RuntimeError`` that says so. This lets a
PyTorch script that picks its device with ``torch.cuda.is_available()`` or
``torch.accelerator.is_available()`` run unchanged: both say False, and the script stays on
the CPU.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "device",
    "get_default_device",
    "set_default_device",
    "cuda",
    "accelerator",
    "backends",
]

# PyTorch's device types (the list its parser accepts); only "cpu" exists here.
_KNOWN = (
    "cpu cuda ipu xpu mkldnn opengl opencl ideep hip ve fpga maia xla lazy vulkan mps meta "
    "hpu mtia privateuseone"
).split()


class device:  # noqa: N801  (PyTorch's name)
    """A device: ``device("cpu")``, ``device("cpu", 0)``, ``device("cpu:0")``.

    ``type`` is the kind (``"cpu"``), ``index`` its number or None. Any device type that
    PyTorch knows can be described; only ``"cpu"`` can hold tensors.
    """

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu', got {type!r}")
        kind, _, number = type.partition(":")
        if kind not in _KNOWN:
            raise RuntimeError(
                f"Expected one of {', '.join(_KNOWN)} device type at start of device string: {type}"
            )
        if number:
            if index is not None:
                raise RuntimeError(f"device: index given twice ({type!r} and {index})")
            if not number.isdigit():
                raise RuntimeError(f"device: invalid device string {type!r}")
            index = int(number)
        if index is not None and (isinstance(index, bool) or int(index) < 0):
            raise RuntimeError(f"device: index must be a non-negative int, got {index!r}")
        self.type = kind
        self.index = None if index is None else int(index)

    def __enter__(self) -> device:
        """``with tnn.device("cpu"):`` makes creation functions use it (the CPU already);
        any other device raises."""
        resolve_device(self, "with device")
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


_CPU = device("cpu")
_default = _CPU


def resolve_device(where: Any, who: str) -> device:
    """``where`` (a device, a string such as ``"cpu:0"``, an int, or None for the default
    device) as a CPU device; any other device raises a RuntimeError naming ``who``."""
    if where is None:
        return _default
    if isinstance(where, (int, np.integer)) and not isinstance(where, bool):
        where = device("cuda", int(where))  # PyTorch reads a bare int as a CUDA index
    d = where if isinstance(where, device) else device(where)
    if d.type != "cpu":
        raise no_gpu(d, who)
    return _CPU


def no_gpu(where: Any, who: str) -> RuntimeError:
    """The error for asking ``who`` to use a device other than the CPU."""
    return RuntimeError(
        f"{who}: device '{where}' is not available: tinygrad_nn computes on the CPU with "
        "numpy (there is no GPU support); use device='cpu' or leave device out"
    )


def set_default_device(where: Any) -> None:
    """Set the device that creation functions use; only ``"cpu"`` (or None) is possible."""
    global _default
    _default = resolve_device("cpu" if where is None else where, "set_default_device")


def get_default_device() -> device:
    """The device that creation functions use: always ``device("cpu")``."""
    return _default


def _is_device(x: Any) -> bool:
    if isinstance(x, device):
        return True
    return isinstance(x, str) and x.partition(":")[0] in _KNOWN


def parse_to(args: tuple, kwargs: dict, who: str) -> tuple[np.dtype | None, bool]:
    """Read the arguments of ``Tensor.to``/``Module.to`` as PyTorch does: ``to(dtype)``,
    ``to(device, dtype)``, ``to(other_tensor)``, or keywords ``device``, ``dtype``,
    ``non_blocking`` and ``copy``. Checks the device; returns ``(dtype or None, copy)``."""
    from . import dtypes
    from .tensor import Tensor

    kwargs = dict(kwargs)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    copy = bool(kwargs.pop("copy", False))
    where, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
    if kwargs:
        raise TypeError(f"{who}: unexpected keyword arguments {sorted(kwargs)}")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):  # to(other): other's dtype (and device)
        dtype = rest.pop(0).dtype
    elif rest and (_is_device(rest[0]) or type(rest[0]) is int):
        where = rest.pop(0)
    if rest and not isinstance(rest[0], bool):
        dtype = rest.pop(0)
    if len(rest) > 2 or not all(isinstance(r, bool) for r in rest):
        raise TypeError(f"{who}: cannot read the arguments {args!r}")
    if len(rest) == 2:  # positional non_blocking, copy
        copy = rest[1]
    resolve_device(where, who)
    return (None if dtype is None else dtypes.check(dtype, who)), copy


class _Cuda:
    """``tnn.cuda``: what PyTorch's ``torch.cuda`` says on a machine without CUDA."""

    @staticmethod
    def is_available() -> bool:
        """False: tinygrad_nn computes on the CPU."""
        return False

    @staticmethod
    def device_count() -> int:
        """0: there are no CUDA devices."""
        return 0

    @staticmethod
    def manual_seed(seed: int) -> None:
        """Accepted and ignored, as PyTorch does when CUDA is not available."""

    manual_seed_all = manual_seed

    @staticmethod
    def empty_cache() -> None:
        """Does nothing, as PyTorch without CUDA."""

    @staticmethod
    def current_device() -> int:
        """Raises, as PyTorch does without CUDA."""
        raise no_gpu("cuda", "cuda.current_device")


class _Accelerator:
    """``tnn.accelerator``: PyTorch's accelerator API on a machine without one."""

    @staticmethod
    def is_available() -> bool:
        """False: tinygrad_nn has no accelerator."""
        return False

    @staticmethod
    def current_accelerator(check_available: bool = False) -> device | None:
        """None: there is no accelerator (as PyTorch answers on a CPU-only machine)."""
        return None

    @staticmethod
    def device_count() -> int:
        """0."""
        return 0


class _Backend:
    """A backend of ``tnn.backends`` (``mps``): never available here."""

    @staticmethod
    def is_available() -> bool:
        """False."""
        return False

    @staticmethod
    def is_built() -> bool:
        """False."""
        return False


class _Backends:
    """``tnn.backends``: ``mps.is_available()`` is False; ``cudnn`` takes the flags that
    seeded scripts set (``cudnn.deterministic = True``) and ignores them."""

    def __init__(self) -> None:
        self.mps, self.cudnn = _Backend(), _Backend()


cuda = _Cuda()
"""``tnn.cuda``: ``is_available()`` is False and ``device_count()`` 0, as PyTorch without CUDA."""
accelerator = _Accelerator()
"""``tnn.accelerator``: ``is_available()`` is False, ``current_accelerator()`` None."""
backends = _Backends()
"""``tnn.backends``: ``mps.is_available()`` is False; ``cudnn`` flags are ignored."""
