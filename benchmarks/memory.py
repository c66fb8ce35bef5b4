"""Peak memory of a training run (benchmark row 5), measured with ``tracemalloc``.

numpy reports every array buffer it allocates to ``tracemalloc`` (and Python objects are
traced too), so the traced peak is the memory the run itself needs: parameters, gradients,
momentum buffers, activations, saved arrays and temporaries. The data batches are made before
tracing starts and shared by every framework; imported code and the interpreter are not
counted. PyTorch allocates outside ``tracemalloc``'s view, so it has no row 5 figure here.
"""

from __future__ import annotations

import gc
import tracemalloc

from workloads import mlp_training_run, training_data

MEMORY_ROW, MEMORY_STEPS = "mlp_mnist", 20
#: memory rows of the grid -> the training row they measure
MEMORY_ROWS = {"memory": MEMORY_ROW, "memory_lenet": "lenet"}


def peak_memory(framework: str, row: str = MEMORY_ROW, steps: int = MEMORY_STEPS) -> int:
    """Bytes at the traced peak of building ``row``'s model and optimizer in ``framework``
    and training it for ``steps`` steps, above what was allocated before."""
    training_data(row)  # the shared data, outside the measurement
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        mlp_training_run(framework, row, steps)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base
