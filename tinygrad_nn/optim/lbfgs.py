r"""L-BFGS (Liu & Nocedal, 1989): a quasi-Newton method that builds its step from the last
``history_size`` changes of the parameters and gradients, as ``torch.optim.LBFGS``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..grad_mode import enable_grad
from .line_search import strong_wolfe
from .optimizer import Optimizer

__all__ = ["LBFGS"]


class LBFGS(Optimizer):
    r"""``step(closure)`` runs up to ``max_iter`` iterations; ``closure`` clears the
    gradients, computes the loss, calls ``backward`` and returns the loss.

    With all parameters as one vector $\theta$ and gradient $g$, each iteration moves along
    $d = -H g$, $H$ the inverse Hessian estimated by the two-loop recursion from the pairs
    $s = \theta_{k+1} - \theta_k$, $y = g_{k+1} - g_k$ (kept when $y^\top s > 10^{-10}$),
    scaled by $y^\top s / y^\top y$. The first step is $\min(1, 1/\|g\|_1)\,\kappa$, the
    others $\kappa$ (``lr``); with ``line_search_fn="strong_wolfe"`` that step is where
    `strong_wolfe` starts its search.

    It stops when $\max|g| \le$ ``tolerance_grad``, when the step or the change of the loss
    is below ``tolerance_change``, after ``max_iter`` iterations or after ``max_eval``
    evaluations of the closure (default ``max_iter * 5 // 4``). The state (directions,
    history, counters) carries over to the next ``step``. One parameter group only.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if line_search_fn not in (None, "strong_wolfe"):
            raise RuntimeError("only 'strong_wolfe' is supported")
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_iter * 5 // 4 if max_eval is None else max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self) -> np.ndarray:
        return np.concatenate(
            [
                np.zeros(p._data.size, p._data.dtype) if p._grad is None else p._grad._data.ravel()
                for p in self._params
            ]
        )

    def _add(self, t: float, d: np.ndarray) -> None:
        r"""$\theta \leftarrow \theta + t d$, parameter by parameter."""
        start = 0
        for p in self._params:
            n = p._data.size
            p._data += t * d[start : start + n].reshape(p._data.shape)
            p._changed_in_place()
            start += n

    def _evaluate(self, closure: Callable[[], Any]) -> Any:
        with enable_grad():
            return closure()

    def _search(self, closure: Callable, t: float, d: np.ndarray, loss: float, g, gtd, budget):
        """The strong Wolfe line search from the parameters as they are, which it leaves
        as it found them; returns the loss, gradient and step found and its evaluations."""
        start = [p._data.copy() for p in self._params]

        def evaluate(step: float) -> tuple[float, np.ndarray]:
            self._add(step, d)
            value = float(self._evaluate(closure))
            grad = self._flat_grad()
            for p, x in zip(self._params, start):
                p._data[...] = x
                p._changed_in_place()
            return value, grad

        return strong_wolfe(evaluate, t, d, loss, g, gtd, max_ls=budget)

    def _direction(self, g: np.ndarray, state: dict) -> np.ndarray:
        """$-Hg$ by the two-loop recursion, after adding the newest pair $(s, y)$."""
        y, s = g - state["prev_flat_grad"], state["d"] * state["t"]
        ys = y.dot(s)
        if ys > 1e-10:
            if len(state["old_dirs"]) == self.param_groups[0]["history_size"]:
                for name in ("old_dirs", "old_stps", "ro"):
                    state[name].pop(0)
            state["old_dirs"].append(y)
            state["old_stps"].append(s)
            state["ro"].append(1.0 / ys)
            state["H_diag"] = ys / y.dot(y)
        dirs, steps, ro = state["old_dirs"], state["old_stps"], state["ro"]
        al = [0.0] * len(dirs)
        q = -g
        for i in reversed(range(len(dirs))):
            al[i] = steps[i].dot(q) * ro[i]
            q = q - al[i] * dirs[i]
        r = q * state["H_diag"]
        for i in range(len(dirs)):
            be_i = dirs[i].dot(r) * ro[i]
            r = r + (al[i] - be_i) * steps[i]
        return r

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run the iterations; return the loss of the first call of ``closure``."""
        if closure is None:
            raise RuntimeError("LBFGS.step needs a closure that recomputes the loss")
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state.setdefault(id(self._params[0]), {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = self._evaluate(closure)
        loss = float(orig_loss)
        evals = 1
        state["func_evals"] += 1
        g = self._flat_grad()
        if np.abs(g).max() <= tol_grad:
            return orig_loss
        for n_iter in range(1, max_iter + 1):
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                state.update(old_dirs=[], old_stps=[], ro=[], H_diag=1.0)
                d = -g
            else:
                d = self._direction(g, state)
            state["prev_flat_grad"], state["prev_loss"] = g.copy(), loss
            t = min(1.0, 1.0 / np.abs(g).sum()) * lr if state["n_iter"] == 1 else lr
            state["d"], state["t"] = d, t
            if (gtd := g.dot(d)) > -tol_change:
                break
            done, used = False, 0
            if group["line_search_fn"] is not None:
                loss, g, t, used = self._search(closure, t, d, loss, g, gtd, max_eval - evals)
                state["t"] = t
                self._add(t, d)
                done = np.abs(g).max() <= tol_grad
            else:
                self._add(t, d)
                if n_iter != max_iter:
                    loss = float(self._evaluate(closure))
                    g = self._flat_grad()
                    done = np.abs(g).max() <= tol_grad
                    used = 1
            evals += used
            state["func_evals"] += used
            if n_iter == max_iter or evals >= max_eval or done:
                break
            if np.abs(d * t).max() <= tol_change or abs(loss - state["prev_loss"]) < tol_change:
                break
        return orig_loss
