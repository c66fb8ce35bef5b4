"""Python's cyclic garbage collector and the graph: paused while a graph is recorded.

A recorded graph has no reference cycles (a tensor holds its node, a node its inputs, and
nothing points back: ``retain_grad`` keeps a weak reference), so reference counting frees it
and the cyclic collector can find no garbage in it. Yet every tensor and node is a container
the collector tracks, and a growing graph keeps triggering collections: CPython 3.11 runs a
full one each time the oldest generation has grown by a quarter, each scanning the whole graph
again. That was half the forward time of a 100,000-op chain (benchmark rows chain_100k*).

So the collector is paused from the first node recorded until the end of the next backward
pass, where it is switched on again. This is safe:

- nothing in the graph needs the collector, and cyclic garbage that other code makes while a
  graph is built (between forward and backward) is collected by the first collection after
  the pause: a training loop ends a pause every iteration, so no memory is kept across
  iterations;
- a pause lasts at most ``PAUSE_NODES`` recorded nodes: a program that records graphs and
  never calls backward (evaluation without ``no_grad``) gets the collector back then, and no
  new pause starts before a backward;
- the collector is only switched on again if this module switched it off: a program that
  disabled it before the graph was recorded keeps it disabled (one that disables it *during* a
  pause finds it on again after backward);
- ``no_grad`` records no node, so it never pauses the collector; ``gc.collect()`` works as
  ever.
"""

from __future__ import annotations

import gc
import sys

PAUSE_NODES = 250_000  # longer than the graph of a 100,000-op chain (benchmark row 4)


class _GraphPause:
    """The state of the pause. ``Function.apply`` calls ``start`` when the sequence number of
    a new node reaches ``until``: the first node of a graph (``until`` is 0 after a backward),
    or the end of a pause that lasted ``PAUSE_NODES`` nodes."""

    __slots__ = ("until", "paused")

    def __init__(self) -> None:
        self.until = 0
        self.paused = False

    def start(self, sequence: int) -> None:
        if self.paused:  # PAUSE_NODES recorded without a backward: collect again until one
            self.paused = False
            self.until = sys.maxsize
            gc.enable()
        elif gc.isenabled():
            gc.disable()
            self.paused = True
            self.until = sequence + PAUSE_NODES
        else:  # switched off by the program: leave it so
            self.until = sys.maxsize

    def hold(self) -> bool:
        """At the start of a backward pass: nothing is garbage while the graph is walked, so
        the collector is off (it usually is already, paused since the graph's first node).
        Returns whether this call switched it off."""
        if gc.isenabled():
            gc.disable()
            return True
        return False

    def end(self, held: bool = False) -> None:
        """After a backward pass: switch the collector on again if the pause or ``hold``
        switched it off; the next recorded node starts a new pause."""
        if self.paused or held:
            self.paused = False
            gc.enable()
        self.until = 0


pause = _GraphPause()


class gc_paused:
    """Pause the collector inside the block (``viz`` walks graphs, and nothing is
    garbage while they do); it is switched on again at the end only if it was on at the
    start."""

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()
