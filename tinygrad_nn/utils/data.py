"""``tinygrad_nn.utils.data``: the same objects as :mod:`tinygrad_nn.data` under PyTorch's
path ``torch.utils.data``."""

from ..data import *  # noqa: F403
from ..data import __all__  # noqa: F401
