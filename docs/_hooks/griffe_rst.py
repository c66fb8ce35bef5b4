"""Griffe extensions for the API pages: reST idioms as Markdown, and no private base classes.

The house style writes math as ``$...$`` and code as double backticks, both fine in Markdown.
Some docstrings still use reST roles, which Markdown would print raw; this turns them into
what they mean, at docs-build time only (the source is not changed):

- ``:math:`x```  ->  ``$x$`` (rendered by KaTeX);
- ``:func:`f```, ``:class:`~a.b.C```, ``:meth:``, ``:attr:``, ``:mod:``, ``:exc:``  ->  code;
- ``.. math:: formula`` (and its indented continuation lines)  ->  a ``$$ formula $$`` block;
- a line ending in ``::`` (reST's "literal block follows")  ->  ``:``; the indented block after
  it is already a code block in Markdown.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import griffe
from griffe import Extension

MATH = re.compile(r":math:`([^`]+)`")
REF = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|obj|data|exc):`(~?)([^`]+)`")
DISPLAY = re.compile(r"^([ \t]*)\.\. math::[ \t]*(.*(?:\n\1[ \t]+\S.*)*)", re.M)
LITERAL = re.compile(r"(\S)::[ \t]*$", re.M)


def _display(m: re.Match) -> str:
    formula = " ".join(line.strip() for line in m.group(2).splitlines())
    return f"{m.group(1)}$$\n{m.group(1)}{formula}\n{m.group(1)}$$"


def to_markdown(text: str) -> str:
    text = DISPLAY.sub(_display, text)
    text = MATH.sub(r"$\1$", text)
    text = REF.sub(lambda m: f"`{m.group(2).split('.')[-1] if m.group(1) else m.group(2)}`", text)
    return LITERAL.sub(r"\1:", text)


class ReSTRoles(Extension):
    def on_object(self, *, obj: Any, **kwargs: Any) -> None:
        if not obj.is_alias and obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)


class PublicBases(Extension):
    """Show a private base class by the public bases it stands for: ``Sequential`` is listed
    with the bases of ``_Container`` (``Module``), not with ``_Container`` itself; also where
    the private base is imported from another module (``SiLU`` of ``layers._InPlace``). A
    private base that is not a class statement (``namedtuple(...)``) is left out."""

    def on_class(self, *, cls: Any, **kwargs: Any) -> None:
        cls.bases = _public_bases(cls)


def _public_bases(cls: Any) -> list:
    bases = []
    for base in cls.bases:
        name = str(base).rsplit(".", 1)[-1]
        private = cls.parent.members.get(name) if name.startswith("_") else None
        if private is not None and private.is_alias:
            private = private.final_target
        if private is not None and private.is_class:
            bases += _public_bases(private)
        elif not name.startswith("_"):  # a private base made by a call (a namedtuple): none
            bases.append(base)
    return bases


class RuntimeMembers(Extension):
    """Names of ``__all__`` that a module makes at run time (``functions.py`` makes ``exp``,
    ``sum``, ... in a loop, and the package re-exports them with ``import *``): taken from the
    imported module, so that they get an entry."""

    def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
        stack = [pkg]
        while stack:
            mod = stack.pop()
            stack += [m for m in mod.modules.values() if not m.is_alias]
            if mod.name == "__main__":  # importing it would run the command line
                continue
            try:
                runtime = importlib.import_module(mod.path)
            except ImportError:  # an optional dependency is missing: leave the module be
                continue
            missing = [n for n in getattr(runtime, "__all__", []) if n not in mod.members]
            inspected = griffe.inspect(mod.path) if missing else None
            for name in missing:
                value = getattr(runtime, name)
                home = getattr(value, "__module__", None)
                if home and home != mod.path and home.startswith(pkg.path + "."):
                    mod.set_member(name, griffe.Alias(name, f"{home}.{value.__name__}"))
                elif name in inspected.members and not inspected[name].is_alias:
                    mod.set_member(name, inspected[name])
