"""tinygrad_nn: a small, fast, correct autograd framework on numpy, built from a course on
neural networks. It imports like a small PyTorch:

    import tinygrad_nn as tnn
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    x.grad  # tensor([2., 4.])
"""

from . import (
    autograd,
    data,
    datasets,
    hopfield,
    linalg,
    neurons,
    nn,
    optim,
    snn,
    special,
    sweep,
    utils,
    viz,
)
from .blas import *  # noqa: F403  (addmm, addmv, addr, baddbmm, addbmm: also Tensor methods)
from .blas import __all__ as _blas
from .composites import *  # noqa: F403  (unbind, diff, var_mean, ...: also Tensor methods)
from .composites import __all__ as _composites
from .counting import bincount, count_nonzero, unique, unique_consecutive
from .creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    is_tensor,
    linspace,
    logspace,
    meshgrid,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .device import (
    accelerator,
    backends,
    cuda,
    device,
    get_default_device,
    set_default_device,
)
from .distances import cdist, dist, pdist
from .dtypes import (
    bool_,
    can_cast,
    finfo,
    float16,
    float32,
    float64,
    get_default_dtype,
    iinfo,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    set_default_dtype,
    uint8,
)
from .einsum import einsum
from .elementwise import *  # noqa: F403  (logaddexp, copysign, addcmul, ...: also Tensor methods)
from .elementwise import __all__ as _elementwise
from .engine import grad
from .functions import *  # noqa: F403  (exp, add, max, ... as functions, with out=)
from .functions import __all__ as _functions
from .grad_mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad
from .histograms import HistogramResult, histc, histogram
from .legacy import BoolTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor
from .logical import *  # noqa: F403  (logical_and, isin, ...: also Tensor methods)
from .logical import __all__ as _logical
from .matrices import *  # noqa: F403  (inverse, det, kron, ...: also Tensor methods)
from .matrices import __all__ as _matrices
from .memory_format import (
    channels_last,
    channels_last_3d,
    contiguous_format,
    memory_format,
    preserve_format,
)
from .order import *  # noqa: F403  (median, quantile, cummax, ...: also Tensor methods)
from .order import __all__ as _order
from .printing import get_printoptions, printoptions, set_printoptions
from .random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from .runtime import (
    are_deterministic_algorithms_enabled,
    get_num_threads,
    is_deterministic_algorithms_warn_only_enabled,
    set_num_threads,
    use_deterministic_algorithms,
)
from .sampling import bernoulli, multinomial, poisson, randint_like
from .scatter import index_add, index_copy, index_fill, masked_scatter, scatter, scatter_add
from .searching import bucketize, searchsorted
from .serialization import load, save
from .shaping import *  # noqa: F403  (movedim, tensor_split, diagonal, ...: also Tensor methods)
from .shaping import __all__ as _shaping
from .size import Size
from .statistics import corrcoef, cov
from .tensor import MaxResult, SortResult, Tensor
from .windows import bartlett_window, blackman_window, hamming_window, hann_window, kaiser_window

__version__ = "0.1.0"

# PyTorch's dtype aliases: the numpy dtypes of tinygrad_nn.dtypes under torch's names. They
# hide Python's float, int and bool in this namespace only, as in torch.
float = float32
"""``tnn.float``: PyTorch's alias of float32."""
double = float64
"""``tnn.double``: PyTorch's alias of float64."""
half = float16
"""``tnn.half``: PyTorch's alias of float16."""
long = int64
"""``tnn.long``: PyTorch's alias of int64."""
int = int32
"""``tnn.int``: PyTorch's alias of int32."""
short = int16
"""``tnn.short``: PyTorch's alias of int16."""
bool = bool_
"""``tnn.bool``: PyTorch's alias of the boolean dtype."""

# the public names (`from tinygrad_nn import *`); tests/test_api_reference.py checks that
# each has a docstring and an entry in the API reference
__all__ = [
    "autograd",
    "data",
    "datasets",
    "hopfield",
    "linalg",
    "neurons",
    "nn",
    "optim",
    "sweep",
    "viz",
    "utils",
    "accelerator",
    "arange",
    "as_tensor",
    "backends",
    "bincount",
    "bucketize",
    "searchsorted",
    "bool",
    "BoolTensor",
    "bool_",
    "count_nonzero",
    "cuda",
    "default_generator",
    "detect_anomaly",
    "device",
    "double",
    "einsum",
    "DoubleTensor",
    "empty",
    "empty_like",
    "enable_grad",
    "eye",
    "float",
    "float16",
    "float32",
    "float64",
    "FloatTensor",
    "from_numpy",
    "full",
    "full_like",
    "Generator",
    "get_default_device",
    "get_default_dtype",
    "get_printoptions",
    "grad",
    "gradcheck",
    "GradcheckError",
    "gradgradcheck",
    "half",
    "index_add",
    "index_copy",
    "index_fill",
    "masked_scatter",
    "int",
    "int16",
    "int32",
    "int64",
    "int8",
    "IntTensor",
    "is_grad_enabled",
    "is_tensor",
    "linspace",
    "logspace",
    "unique_consecutive",
    "load",
    "long",
    "LongTensor",
    "manual_seed",
    "MaxResult",
    "meshgrid",
    "no_grad",
    "normal",
    "numerical_grad",
    "printoptions",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "save",
    "scatter",
    "scatter_add",
    "set_default_device",
    "set_default_dtype",
    "set_grad_enabled",
    "set_printoptions",
    "short",
    "Size",
    "SortResult",
    "tensor",
    "Tensor",
    "uint8",
    "unique",
    "zeros",
    "zeros_like",
    # PyTorch's runtime helpers: inference mode, dtype limits, memory formats, sampling and
    # the global generator's state
    "inference_mode",
    "is_inference_mode_enabled",
    "can_cast",
    "finfo",
    "iinfo",
    "promote_types",
    "memory_format",
    "contiguous_format",
    "preserve_format",
    "channels_last",
    "channels_last_3d",
    "bernoulli",
    "multinomial",
    "poisson",
    "randint_like",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
    "cov",
    "corrcoef",
    "histc",
    "histogram",
    "HistogramResult",
    "cdist",
    "pdist",
    "dist",
    "hann_window",
    "hamming_window",
    "bartlett_window",
    "blackman_window",
    "kaiser_window",
    "get_num_threads",
    "set_num_threads",
    "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
    *_functions,
    *_composites,
    *_matrices,
    *_order,
    *_shaping,
    *_elementwise,
    *_logical,
    *_blas,
]
