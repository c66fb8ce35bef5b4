"""``nn.utils`` as PyTorch's: gradient clipping (``clip_grad``) and the padding and packing
of variable-length sequences for the recurrent layers (``rnn``)."""

from . import rnn
from .clip_grad import clip_grad_norm_, clip_grad_value_

__all__ = ["clip_grad_norm_", "clip_grad_value_", "rnn"]
