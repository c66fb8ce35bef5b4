"""Text of the drawn boxes: names, shapes, values and gradients as short strings.

Small arrays are written out; big ones as a summary ``norm ‖a‖₂, min, max`` so that a
(128, 64) weight is one line, not 8,192 numbers.
"""

from __future__ import annotations

import html

import numpy as np

__all__ = ["escaped", "format_array", "format_number", "format_shape", "html_lines"]


def format_number(x: float | int | bool) -> str:
    """Four significant digits: ``0.4199``, ``-3``, ``1.2e-05``."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    return f"{x + 0:.4g}"  # + 0 turns -0.0 into 0.0


def format_shape(shape: tuple[int, ...]) -> str:
    return "scalar" if shape == () else str(tuple(int(n) for n in shape))


def format_array(a: np.ndarray, limit: int = 6, short: bool = False) -> str:
    r"""The elements of ``a`` if it has at most ``limit`` of them, else
    ``norm ‖a‖₂`` and on a second line ``min …  max …`` (only the norm if ``short``)."""
    a = np.asarray(a)
    if a.size == 0:
        return "[]"
    if a.size <= limit:
        if a.ndim == 0:
            return format_number(a.item())
        return np.array2string(
            a, separator=", ", max_line_width=60, formatter={"all": lambda v: format_number(v)}
        )
    f = a.astype(np.float64)
    if short:
        return f"norm {format_number(float(np.linalg.norm(f)))}"
    return (  # two short lines: boxes stay narrow
        f"norm {format_number(float(np.linalg.norm(f)))}\n"
        f"min {format_number(float(f.min()))}  max {format_number(float(f.max()))}"
    )


def escaped(text: str) -> str:
    r"""``text`` with each backslash doubled: graphviz reads ``\G``, ``\N``, ``\l`` ... as
    escapes in every label, HTML-like ones included, and a trailing backslash would swallow
    the closing quote of a plain one."""
    return text.replace("\\", "\\\\")


def html_lines(lines: list[tuple[str, dict[str, str]]]) -> str:
    """An HTML-like graphviz label: one line per ``(text, font attributes)``; a ``bold`` key
    makes the line bold. Text is escaped, so names may contain ``<`` or ``&``."""
    parts = []
    for text, font in lines:
        attrs = {k: v for k, v in font.items() if k != "bold"}
        body = "<BR/>".join(escaped(html.escape(s, quote=False)) for s in text.split("\n"))
        if font.get("bold"):
            body = f"<B>{body}</B>"
        if attrs:
            spec = " ".join(f'{k}="{v}"' for k, v in attrs.items())
            body = f"<FONT {spec}>{body}</FONT>"
        parts.append(body)
    return "<" + "<BR/>".join(parts) + ">"
