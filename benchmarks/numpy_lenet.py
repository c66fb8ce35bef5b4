r"""Hand-written numpy LeNet (im2col): the limit the convolution layers are measured against.

conv 1→6 5×5, ReLU, 2×2 max pooling, conv 6→16 5×5, ReLU, pooling, then 256-120-84-10 with
ReLU, softmax cross-entropy and SGD with momentum (PyTorch's rule). Activations are kept
channels-last (N, H, W, C), the layout that makes im2col one copy: the windows of
$x$ are a strided view (N, OH, OW, KH, KW, C), reshaped into the rows of a matrix $X_c$, and

$$Y = X_c W^T + b, \qquad \bar W = \bar Y^T X_c, \qquad \bar b = \sum_p \bar Y_p,
\qquad \bar X_c = \bar Y W,$$

$\bar X_c$ being added back into $\bar x$ window by window (col2im, one strided add per
kernel offset). Pooling reshapes (N, H/2, 2, W/2, 2, C) and takes the maximum; its gradient
goes where the input equals the maximum. Parameters are given and returned in PyTorch's
layout (filters (O, C, KH, KW), the first linear layer reading features in (C, H, W) order).
"""

from __future__ import annotations

import numpy as np


def _windows(x: np.ndarray, k: int) -> np.ndarray:
    n, h, w, c = x.shape
    s = x.strides
    shape = (n, h - k + 1, w - k + 1, k, k, c)
    return np.lib.stride_tricks.as_strided(x, shape, (s[0], s[1], s[2], s[1], s[2], s[3]))


class NumpyLeNet:
    """LeNet-5-style network trained by SGD with momentum, written with numpy only."""

    def __init__(self, params: list[np.ndarray], lr: float, momentum: float = 0.9) -> None:
        c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b, f3w, f3b = (p.copy() for p in params)
        # filters as (O, KH*KW*C) rows for channels-last windows
        self.k = c1w.shape[-1]
        conv = [c.transpose(0, 2, 3, 1).reshape(c.shape[0], -1).copy() for c in (c1w, c2w)]
        # fc1 reads (C, H, W) features in PyTorch; ours come as (H, W, C)
        c, hw = c2w.shape[0], int(round((f1w.shape[1] / c2w.shape[0]) ** 0.5))
        f1 = f1w.reshape(-1, c, hw, hw).transpose(0, 2, 3, 1).reshape(f1w.shape[0], -1).copy()
        self.p = [conv[0], c1b, conv[1], c2b, f1, f1b, f2w, f2b, f3w, f3b]
        self.v = [np.zeros_like(p) for p in self.p]
        self.lr, self.momentum = lr, momentum
        self.shapes = [p.shape for p in params]

    def params(self) -> list[np.ndarray]:
        """The parameters in PyTorch's layout."""
        c1, c1b, c2, c2b, f1, f1b, f2w, f2b, f3w, f3b = self.p
        k = self.k
        convs = [w.reshape(w.shape[0], k, k, -1).transpose(0, 3, 1, 2) for w in (c1, c2)]
        c = c2.shape[0]
        hw = int(round((f1.shape[1] / c) ** 0.5))
        f1t = f1.reshape(-1, hw, hw, c).transpose(0, 3, 1, 2).reshape(f1.shape[0], -1)
        return [convs[0], c1b, convs[1], c2b, f1t, f1b, f2w, f2b, f3w, f3b]

    def _conv(self, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        win = _windows(x, self.k)
        n, oh, ow = win.shape[:3]
        cols = win.reshape(n * oh * ow, -1)  # the one copy of im2col
        y = cols @ w.T
        y += b
        return y.reshape(n, oh, ow, -1), cols

    def _conv_back(self, g: np.ndarray, cols: np.ndarray, w: np.ndarray, x_shape: tuple) -> tuple:
        g2 = g.reshape(-1, g.shape[-1])
        dw, db = g2.T @ cols, g2.sum(0)
        if x_shape is None:
            return None, dw, db
        dcols = (g2 @ w).reshape(g.shape[:3] + (self.k, self.k, x_shape[-1]))
        dx = np.zeros(x_shape, g.dtype)
        oh, ow = g.shape[1:3]
        for i in range(self.k):
            for j in range(self.k):
                dx[:, i : i + oh, j : j + ow, :] += dcols[:, :, :, i, j, :]
        return dx, dw, db

    @staticmethod
    def _pool(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n, h, w, c = x.shape
        blocks = x.reshape(n, h // 2, 2, w // 2, 2, c)
        y = blocks.max(axis=(2, 4))
        mask = blocks == y[:, :, None, :, None, :]
        return y, mask

    @staticmethod
    def _pool_back(g: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, h2, _, w2, _, c = mask.shape
        return (mask * g[:, :, None, :, None, :]).reshape(n, 2 * h2, 2 * w2, c)

    def gradients(self, x: np.ndarray, t: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """Mean cross-entropy of the batch (N, 1, 28, 28) and the gradient of each parameter
        (in this class's internal layout)."""
        c1, c1b, c2, c2b, f1, f1b, f2w, f2b, f3w, f3b = self.p
        x0 = x.transpose(0, 2, 3, 1)  # (N, H, W, 1): C = 1, so a free view
        z1, cols1 = self._conv(x0, c1, c1b)
        np.maximum(z1, 0, out=z1)
        p1, m1 = self._pool(z1)
        z2, cols2 = self._conv(p1, c2, c2b)
        np.maximum(z2, 0, out=z2)
        p2, m2 = self._pool(z2)
        h0 = p2.reshape(len(x), -1)
        h1 = h0 @ f1.T
        h1 += f1b
        np.maximum(h1, 0, out=h1)
        h2 = h1 @ f2w.T
        h2 += f2b
        np.maximum(h2, 0, out=h2)
        z = h2 @ f3w.T
        z += f3b
        z -= z.max(1, keepdims=True)
        e = np.exp(z)
        total = e.sum(1, keepdims=True)
        rows = np.arange(len(t))
        loss = float(np.log(total[:, 0]).sum() - z[rows, t].sum()) / len(t)
        g = e / total
        g[rows, t] -= 1
        g /= len(t)
        d_f3w, d_f3b = g.T @ h2, g.sum(0)
        g = g @ f3w
        g *= h2 > 0
        d_f2w, d_f2b = g.T @ h1, g.sum(0)
        g = g @ f2w
        g *= h1 > 0
        d_f1w, d_f1b = g.T @ h0, g.sum(0)
        g = (g @ f1).reshape(p2.shape)
        g = self._pool_back(g, m2)
        g *= z2 > 0
        g, d_c2, d_c2b = self._conv_back(g, cols2, c2, p1.shape)
        g = self._pool_back(g, m1)
        g *= z1 > 0
        _, d_c1, d_c1b = self._conv_back(g, cols1, c1, None)
        return loss, [d_c1, d_c1b, d_c2, d_c2b, d_f1w, d_f1b, d_f2w, d_f2b, d_f3w, d_f3b]

    def step(self, x: np.ndarray, t: np.ndarray) -> float:
        """One SGD step with momentum ($v \\leftarrow \\mu v + g$, $\\theta \\leftarrow
        \\theta - \\kappa v$); returns the loss before the step."""
        loss, grads = self.gradients(x, t)
        for p, v, g in zip(self.p, self.v, grads):
            v *= self.momentum
            v += g
            p -= self.lr * v
        return loss
